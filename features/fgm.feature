@fgm @safety_override
Feature: Female genital mutilation
  Regulated health and social care professionals and teachers must report to the police when a
  girl under 18 says FGM has been carried out, or physical signs appear to show it (FGM Act 2003
  s5B). A suspected imminent risk of FGM is a Level 4 (significant harm) concern (england-safety R5).

  Scenario: A girl says FGM has been carried out
    Given a girl aged 10 years
    And FGM has been carried out on the girl
    When the referral is evaluated under Kent
    Then the suggested level is "L4"
    And the safety override "fgm-carried-out" applies
    And a required action is "report to the police yourself"
    And the explanation cites "Mandatory reporting duty"

  Scenario Outline: FGM carried out is a child-protection matter in every council
    Given a girl aged 10 years
    And FGM has been carried out on the girl
    When the referral is evaluated under <authority>
    Then the suggested level is <level>
    And the canonical outcome is child protection
    And the explanation cites "fgm-carried-out"

    Examples:
      | authority | level |
      | Kent      | L4    |
      | Hampshire | L4    |
      | Buckinghamshire | L4 |

  Scenario: A suspected imminent risk of FGM
    Given a girl aged 8 years
    And there is a suspected imminent risk of FGM
    When the referral is evaluated under Hampshire
    Then the canonical outcome is child_protection
    And the safety override "fgm-imminent-risk" applies
    And a required action is "strategy meeting"

  @unknown_facts
  Scenario: FGM not yet asked about is one of the questions
    Given a girl aged 9 years
    When the referral is evaluated under Kent
    Then the suggested level is "L1"
    And the explanation does not cite "fgm"
    And a question to ask is "female genital mutilation"
