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

  @safety_override
  Scenario Outline: Every council assesses a homeless 17 year old as a child in need
    # The national rule sets a floor of child in need (s17/s20); each council's level is the lowest
    # of its levels that provides child in need services (read from its ruleset's levels).
    Given a young person aged 17 years
    And the young person has asked for accommodation
    When the referral is evaluated under <authority>
    Then the suggested level is <level>
    And the suggested level is "<label>"
    And the canonical outcome is child_in_need
    And the safety override "homeless-16-17-year-old" applies

    Examples:
      | authority                 | level     | label |
      | barnsley                  | L4        | Immediate |
      | brighton-and-hove         | L2        | Family Help |
      | bristol                   | L3        | Children in Need who Require Statutory or Specialist Services |
      | buckinghamshire           | L3        | Children in need who require statutory or specialist services and targeted early help |
      | cheshire-west-and-chester | SSW       | Statutory Social Work |
      | devon                     | L4        | Specialist |
      | dudley                    | L4        | Children with Acute Needs - Statutory/Specialist |
      | east-sussex               | L4        | Acute needs, including protection |
      | essex                     | L4        | Specialist |
      | hampshire                 | L4        | Children's Social Care |
      | harrow                    | L3        | Level 3 |
      | hertfordshire             | L3        | Intensive |
      | kent                      | L3        | Intensive Support |
      | liverpool                 | L4        | Safeguarding and specialist |
      | london                    | L3        | Children with complex multiple needs |
      | newcastle                 | L4        | Specialist |
      | poole                     | L4        | Specialist/Statutory |
      | stoke-on-trent            | L4a       | Children in Need |
      | surrey                    | STATUTORY | Statutory Services |
      | tameside                  | L4        | Level 4 |
      | torbay                    | L4        | Statutory Intervention |
      | trafford                  | L4        | Child in Need (s17) |
      | wigan                     | L4        | Complex or serious, including child protection |
      | wirral                    | L4        | Children at Risk of Significant Harm or Being Removed from Home |
      | wokingham                 | L4        | Specialist Help |
