@missing
Feature: Children missing from home, care or school
  The documents use qualifiers for how often a child goes missing: "started to go missing"
  (Kent Level 2), "incidence of absence or missing from home" (Hampshire Level 2), "regularly ...
  with no explanation" (Kent Level 3), and "frequently" or "often" missing (Kent Level 4,
  Hampshire Level 4).

  Scenario: A child who has started to go missing in Kent
    Given a child aged 13 years
    And the child has started to go missing from home
    When the referral is evaluated under Kent
    Then the suggested level is "L2"
    And the explanation cites "kent-l2-started-going-missing"

  Scenario Outline: Regularly missing with no explanation
    Given a young person aged 14 years
    And the young person regularly goes missing from home
    And there is no explanation for the missing episodes
    When the referral is evaluated under <authority>
    Then the suggested level is <level>
    And the explanation cites "<indicator>"

    Examples:
      | authority | level | indicator                      |
      | Kent      | L3    | kent-l3-missing-regularly      |
      | Hampshire | L2    | hampshire-l2-missing-from-home |
      | Buckinghamshire | L4 | buckinghamshire-l3-regularly-missing |

  Scenario: Regularly missing but with an explanation is not Kent's Level 3 item
    Given a young person aged 14 years
    And Going missing is regular
    And Missing without explanation is no
    When the referral is evaluated under Kent
    Then the suggested level is "L2"
    And the explanation does not cite "kent-l3-missing-regularly"

  Scenario Outline: Frequently missing reaches each council's top level, at different outcomes
    Given a young person aged 15 years
    And the young person frequently goes missing from home
    When the referral is evaluated under <authority>
    Then the suggested level is <level>
    And the canonical outcome is <outcome>
    And the explanation cites "<indicator>"

    Examples:
      | authority | level | outcome          | indicator                           |
      | Kent      | L4    | child_protection | kent-l4-frequently-missing          |
      | Hampshire | L4    | child_in_need    | hampshire-l4-often-missing-from-home |
      | Buckinghamshire | L4 | child_protection | buckinghamshire-l4-repeated-missing |

  @safety_override
  Scenario: Missing right now and in immediate danger
    Given a young person aged 15 years
    And the young person frequently goes missing from home
    And the young person is in immediate danger
    When the referral is evaluated under every authority
    Then the canonical outcome is immediate_protection
    And the safety override "immediate-danger" applies
    And a required action is "Call the police on 999"
