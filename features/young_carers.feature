@young_carers
Feature: Young carers
  Kent places "a young carer with some responsibilities" at Level 2 and a young carer whose caring
  duties are affecting their outcomes at Level 3. Hampshire's chart places "young carers" at
  Level 2.

  Scenario Outline: A young carer with some responsibilities at home
    Given a child aged 11 years
    And the child is a young carer with some responsibilities at home
    When the referral is evaluated under <authority>
    Then the suggested level is <level>
    And the canonical outcome is early_help_single_agency
    And the explanation cites "<indicator>"

    Examples:
      | authority | level | indicator               |
      | Kent      | L2    | kent-l2-young-carer     |
      | Hampshire | L2    | hampshire-l2-young-carer |
      | Buckinghamshire | L2 | buckinghamshire-l2-young-carer |

  @comparison
  Scenario Outline: Caring that affects the child's outcomes
    Given a child aged 13 years
    And the child is a young carer whose caring affects their outcomes
    When the referral is evaluated under <authority>
    Then the suggested level is <level>
    And the explanation cites "<indicator>"

    Examples:
      | authority | level | indicator                             |
      | Kent      | L3    | kent-l3-young-carer-affecting-outcomes |
      | Hampshire | L2    | hampshire-l2-young-carer               |
      | Buckinghamshire | L2 | buckinghamshire-l2-young-carer       |

  @comparison
  Scenario: The main carer for a parent lands higher in Kent than in Hampshire
    Given a young person aged 15 years
    And the young person is the main carer for a family member
    When the referral is evaluated under each of Kent and Hampshire
    Then under Kent the suggested level is "L3"
    And under Hampshire the suggested level is "L2"
    And the referral lands higher in Kent than in Hampshire
    And the explanation cites "young carer"
