@substance_misuse
Feature: Parental drug or alcohol misuse and mental health
  Threshold documents grade parental difficulties by their impact on the child: "impacts
  negatively" (Hampshire Level 3; Kent's "drugs and alcohol issues" at Level 3) versus a "direct
  negative impact" (Kent Level 3).

  Scenario: Misuse is present but its impact on the child is not established
    Given a child aged 5 years
    And a parent's drug or alcohol misuse is present, with no known impact on the child
    When the referral is evaluated under Kent
    Then the suggested level is "L1"
    And the explanation does not cite "kent-l3-domestic-abuse-drugs-alcohol"
    And the suggestion is incomplete

  Scenario: Misuse is present and does not affect the child or parenting
    Given a child aged 5 years
    And a parent's drug or alcohol misuse is present, with no impact on the child
    When the referral is evaluated under Kent
    Then the suggested level is "L1"
    And the explanation does not cite "kent-l3-domestic-abuse-drugs-alcohol"

  Scenario Outline: Parental misuse that impacts negatively on the child
    Given a child aged 5 years
    And a parent's drug or alcohol misuse is impacting negatively on the child
    When the referral is evaluated under <authority>
    Then the suggested level is <level>
    And the canonical outcome is early help multi agency
    And the explanation cites "<indicator>"

    Examples:
      | authority | level | indicator                            |
      | Kent      | L3    | kent-l3-domestic-abuse-drugs-alcohol |
      | Hampshire | L3    | hampshire-l3-parental-health-substance |

  Scenario: A direct negative impact matches two Kent indicators
    Given a child aged 2 years
    And a parent's drug or alcohol misuse is having a direct negative impact on the child
    When the referral is evaluated under Kent
    Then the suggested level is Intensive Support
    And the explanation cites "kent-l3-parent-direct-impact"
    And the explanation cites "direct negative impact"

  @comparison
  Scenario: A parent's mental health affecting the child lands differently in Kent and Hampshire
    # Kent's Level 3 item needs a "direct negative impact"; Hampshire's needs "impacts negatively".
    Given a child aged 9 years
    And a parent's mental health is impacting negatively on the child
    When the referral is evaluated under each of Kent and Hampshire
    Then under Hampshire the suggested level is "L3"
    And under Kent the suggested level is "L1"
    And the referral lands differently in Kent and Hampshire
    And the explanation does not cite "kent-l3-parent-direct-impact"

  Scenario: Misuse written through the fact table
    Given the authority is Kent
    And the referral reports:
      | fact                              | value                  |
      | Child's age in months             | 30                     |
      | parental_substance_misuse_impact  | direct_negative_impact |
      | domestic_abuse                    | none                   |
    When the referral is evaluated
    Then the suggested level is "L3"
    And the explanation cites "kent-l3-parent-direct-impact"

  @comparison
  Scenario: Misuse that impacts negatively is below Buckinghamshire's threshold
    # Buckinghamshire lists parental misuse only where it "significantly affects the care of the
    # child" (Levels 3 and 4); Kent and Hampshire list it at Level 3 when it affects the child.
    Given a child aged 5 years
    And a parent's drug or alcohol misuse is impacting negatively on the child
    When the referral is evaluated under each of Kent, Hampshire and Buckinghamshire
    Then under Buckinghamshire the suggested level is "L1"
    And under Kent the suggested level is "L3"
    And the referral lands higher in Kent than in Buckinghamshire
    And the referral lands the same in Kent and Hampshire
    And the explanation does not cite "buckinghamshire-l3-mh-substance-significant"

  Scenario: Misuse that significantly affects the care of the child in Buckinghamshire
    # The guidance uses the same words ("significantly affects" care) at Level 3 and Level 4. The
    # words alone give Level 3; Level 4 ("suffering or likely to suffer significant harm") also needs
    # reasonable cause to suspect significant harm.
    Given a child aged 5 years
    And a parent's drug or alcohol misuse is significantly affecting the care of the child
    When the referral is evaluated under Buckinghamshire
    Then the suggested level is "L3"
    And the explanation cites "buckinghamshire-l3-mh-substance-significant"

  Scenario: With reasonable cause to suspect significant harm it is Buckinghamshire's Level 4
    Given a child aged 5 years
    And a parent's drug or alcohol misuse is significantly affecting the care of the child
    And significant_harm_suspected is true
    When the referral is evaluated under Buckinghamshire
    Then the suggested level is "L4"
    And the explanation cites "buckinghamshire-l4-mh-substance-significant"
