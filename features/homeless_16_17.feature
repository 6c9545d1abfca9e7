@homeless
Feature: Homeless 16 and 17 year olds
  A 16 or 17 year old who presents as homeless or asks for accommodation must be assessed by
  children's services under the Children Act 1989, including the s20 duty to accommodate
  (R (G) v LB Southwark [2009] UKHL 26; england-safety R9). Kent also lists "a homeless child in
  need, including 16-17 year olds" at Level 3, which covers child in need services.

  @safety_override
  Scenario: A 16 year old who asks for accommodation in Kent
    Given a young person aged 16 years and 8 months
    And the young person has asked for accommodation
    When the referral is evaluated under Kent
    Then the suggested level is "L3"
    And the canonical outcome is child_in_need
    And the safety override "homeless-16-17-year-old" applies
    And a required action is "s20 duty to accommodate"
    And the explanation cites "kent-l3-homeless-child-in-need"

  @safety_override
  Scenario Outline: A homeless 17 year old is a child in need in every council
    Given a young person aged 17 years
    And the young person is homeless
    When the referral is evaluated under <authority>
    Then the suggested level is <level>
    And the canonical outcome is child in need
    And the explanation cites "homeless-16-17-year-old"

    Examples:
      | authority | level |
      | Kent      | L3    |
      | Hampshire | L4    |
      | Buckinghamshire | L3 |

  @comparison
  Scenario: A homeless 15 year old: Kent's indicator applies, the 16-17 rule does not
    Given a young person aged 15 years
    And the young person is homeless
    When the referral is evaluated under each of Kent and Hampshire
    Then under Kent the suggested level is "L3"
    And under Hampshire the suggested level is "L1"
    And the explanation does not cite "homeless-16-17-year-old"

  Scenario: A 16 year old thrown out of home in Kent
    Given a young person aged 16 years
    And the young person has been thrown out of home
    When the referral is evaluated under Kent
    Then the suggested level is "L4"
    And the explanation cites "kent-l4-thrown-out-of-home"
