@under_13 @safety_override
Feature: Sexual activity involving a child under 13
  Children under 13 cannot legally consent (Sexual Offences Act 2003): any sexual activity, a
  sexually transmitted infection or a pregnancy is a potential criminal and child-protection
  matter (england-safety R3, and Kent Level 4). At 13 the national rule no longer applies.

  Scenario: A 12 year old who is sexually active
    Given a girl aged 12 years and 6 months
    And the girl is sexually active
    When the referral is evaluated under Kent
    Then the suggested level is "L4"
    And the safety override "sexual-activity-under-13" applies
    And the explanation cites "kent-l4-under-13-sexual-activity"

  Scenario Outline: A pregnant 12 year old in every council
    Given a girl aged 12 years
    And the girl is pregnant
    When the referral is evaluated under <authority>
    Then the suggested level is <level>
    And the canonical outcome is child_protection
    And the explanation cites "<indicator>"

    Examples:
      | authority | level | indicator                          |
      | Kent      | L4    | kent-l4-under-13-sexual-activity   |
      | Hampshire | L4    | hampshire-l4-parent-under-13       |
      | Buckinghamshire | L4 | sexual-activity-under-13        |

  Scenario: The same facts at 13 years old do not trigger the under-13 rule
    Given a girl aged 13 years
    And the girl is sexually active
    When the referral is evaluated under Kent
    Then the suggested level is at most "L2"
    And the explanation does not cite "sexual-activity-under-13"

  @unknown_facts
  Scenario: Sexual activity when the child's age is not known
    Given the child's age is not known
    And the child is sexually active
    When the referral is evaluated under Kent
    Then the explanation does not cite "sexual-activity-under-13"
    And the practitioner should be asked about child_age_months
    And the suggestion is incomplete

  Scenario: A sexually transmitted infection at 11
    Given a child aged 11 years
    And the child has a sexually transmitted infection
    When the referral is evaluated under Hampshire
    Then the canonical outcome is child_protection
    And the safety override "sexual-activity-under-13" applies
