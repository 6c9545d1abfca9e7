@domestic_abuse
Feature: Domestic abuse in the child's household
  Children who see, hear or experience the effects of domestic abuse are victims in their own
  right (Domestic Abuse Act 2021). The councils grade it differently: Hampshire places "concerns
  about possible domestic abuse" at Level 2 and "concerns about domestic abuse" at Level 3; Kent
  places "domestic abuse, drugs and alcohol issues" in the home at Level 3.

  Scenario: Incidents of domestic abuse in Kent
    Given a child aged 8 years
    And there have been incidents of domestic abuse
    When the referral is evaluated under Kent
    Then the suggested level is "L3 Intensive Support"
    And the canonical outcome is early_help_multi_agency
    And the explanation cites "kent-l3-domestic-abuse-drugs-alcohol"
    And no safety override applies

  @comparison
  Scenario Outline: Concerns about possible domestic abuse land differently by council
    Given a child aged 6 years
    And there are concerns about possible domestic abuse
    When the referral is evaluated under <authority>
    Then the suggested level is <level>
    And the canonical outcome is <outcome>
    # Kent's only domestic-abuse indicator needs actual incidents or a history of abuse.
    And the explanation does not cite "kent-l3-domestic-abuse-drugs-alcohol"

    Examples:
      | authority | level | outcome                  |
      | Hampshire | L2    | early_help_single_agency |
      | Kent      | L1    | universal                |
      | Buckinghamshire | L1 | universal              |

  @comparison
  Scenario: Concerns about domestic abuse reach targeted early help in Hampshire but no Kent indicator
    Given a child aged 6 years
    And Domestic abuse in the household is concerns
    When the referral is evaluated under each of Kent and Hampshire
    Then under Hampshire the suggested level is "L3"
    And under Kent the suggested level is "L1"
    And the referral lands higher in Hampshire than in Kent
    And the explanation does not cite "kent-l3-domestic-abuse-drugs-alcohol"

  Scenario: Persistent domestic abuse is Hampshire targeted early help
    Given a child aged 10 years
    And there is persistent or escalating domestic abuse
    When the referral is evaluated under Hampshire
    Then the suggested level is Targeted Early Help
    And the explanation cites "hampshire-l3-domestic-abuse"
    And the explanation cites "concerns about domestic abuse"

  @unknown_facts
  Scenario: Domestic abuse with the child's safety not yet known
    Given a child aged 10 years
    And there is chronic and serious domestic violence involving the child
    And it is not known whether the child is in immediate danger
    When the referral is evaluated under Kent
    Then the suggested level is at least "L3"
    And the explanation cites "kent-l3-domestic-abuse-drugs-alcohol"
    And a question to ask is "immediate danger"
