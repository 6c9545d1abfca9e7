@neglect
Feature: Neglect and basic care
  Kent grades neglect from "low level / emerging" (Level 2) through chronic neglect where food,
  warmth and basics are "often not available" (Level 3) to "abandoned or severely neglected"
  (Level 4). The Hampshire chart's neglect items above Level 2 were not captured.

  Scenario: Low-level or emerging neglect in Kent
    Given a child aged 3 years
    And there is low-level or emerging neglect
    When the referral is evaluated under Kent
    Then the suggested level is Additional Support
    And the explanation cites "kent-l2-emerging-neglect"

  Scenario: Chronic neglect in Kent
    Given a child aged 3 years
    And there is chronic neglect
    When the referral is evaluated under Kent
    Then the suggested level is "L3"
    And the explanation cites "kent-l3-chronic-neglect"
    And the explanation cites "often not available"

  Scenario: Severe neglect in Kent
    Given a child aged 3 years
    And the child is severely neglected
    When the referral is evaluated under Kent
    Then the suggested level is "L4 Specialist Support"
    And the canonical outcome is child_protection
    And the explanation cites "kent-l4-abandoned-or-severely-neglected"
    And a required action is "strategy discussion"

  Scenario Outline: Hazards from poor home conditions
    Given a baby aged 11 months
    And Home conditions is hazards or affecting health
    When the referral is evaluated under <authority>
    Then the suggested level is <level>
    And the explanation cites "<indicator>"

    Examples:
      | authority | level | indicator                  |
      | Kent      | L2    | kent-l2-home-hazards       |
      | Hampshire | L2    | hampshire-l2-poor-housing  |
      | Buckinghamshire | L2 | buckinghamshire-l2-poor-housing |

  Scenario: A carer who cannot parent properly in Kent
    Given a child aged 6 years
    And Basic care: not good enough
    When the referral is evaluated under Kent
    Then the suggested level is at least child protection
    And the explanation cites "kent-l4-carer-cannot-parent"
