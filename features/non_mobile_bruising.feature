@bruising @safety_override
Feature: Bruising or injury on a child who is not independently mobile
  Any bruise, mark that may be a bruise, or injury on a baby who is not yet rolling, crawling,
  cruising or walking (or an older child immobile through disability) should prompt suspicion of
  maltreatment. This is a national safety override (england-safety, rule R2): it applies under
  every council's thresholds and cannot be lowered.

  Scenario: A bruise on a 4 month old baby who is not yet mobile
    Given a baby aged 4 months
    And the baby is not independently mobile
    And the baby has a bruise
    When the referral is evaluated under Kent
    Then the suggested level is "L4"
    And the canonical outcome is child_protection
    And the safety override "non-mobile-bruise-or-injury" applies
    And a required action is "urgent paediatric"
    And the explanation cites "kent-l4-non-mobile-bruise-or-injury"

  Scenario Outline: The same bruised baby is a child-protection matter in every council
    Given a baby aged 4 months
    And the baby is not yet rolling, crawling, cruising or walking
    And the baby has a bruise
    When the referral is evaluated under <authority>
    Then the suggested level is <level>
    And the canonical outcome is child protection
    And the explanation cites "non-mobile-bruise-or-injury"

    Examples:
      | authority | level |
      | Kent      | L4    |
      | Hampshire | L4    |
      | Buckinghamshire | L4 |

  Scenario: A bruise on a 3 month old baby whose mobility is not known
    # Durham applies its guidance to every baby under 6 months (england-safety bruise-or-injury-under-6-months).
    Given a baby aged 3 months
    And the baby's mobility is not known
    And the baby has a bruise
    When the referral is evaluated under Kent
    Then the suggested level is at least child_protection
    And the safety override "bruise-or-injury-under-6-months" applies
    And the practitioner should be asked about Independently mobile

  Scenario: A bruise on a 9 month old whose mobility nobody has asked about
    # No override can fire until mobility is known: unknown is not "no", so the engine asks.
    Given a baby aged 9 months
    And the baby has a bruise
    And the following are not known:
      | fact                 |
      | independently_mobile |
    When the referral is evaluated under Kent
    Then the suggested level is at most "L1"
    And the explanation does not cite "non-mobile-bruise-or-injury"
    And the suggestion is incomplete
    And a question to ask is "independently mobile"

  Scenario: An injury on an older child who is immobile through disability
    Given a child aged 7 years
    And the child is immobile through disability
    And the child has an injury
    When the referral is evaluated under Hampshire
    Then the suggested level is "L4"
    And the canonical outcome is child protection
    And the safety override "non-mobile-bruise-or-injury" applies
    And a required action is "strategy discussion"

  Scenario Outline: Every council places the bruised baby at its own child-protection level
    # Each council's level is the lowest of its levels whose canonical outcome is child protection
    # (read from the levels of rulesets/england/<authority>/): local labels are not a shared scale.
    Given a baby aged 4 months
    And the baby is not independently mobile
    And the baby has a bruise
    When the referral is evaluated under <authority>
    Then the suggested level is <level>
    And the suggested level is "<label>"
    And the canonical outcome is child_protection
    And the safety override "non-mobile-bruise-or-injury" applies

    Examples:
      | authority                 | level     | label |
      | barnsley                  | L4        | Immediate |
      | brighton-and-hove         | L3        | Specialist Services to address Acute & Chronic need |
      | bristol                   | L4        | Level 4 |
      | buckinghamshire           | L4        | Suffering or likely to suffer significant harm |
      | cheshire-west-and-chester | SSW       | Statutory Social Work |
      | devon                     | L4        | Specialist |
      | dudley                    | L4        | Children with Acute Needs - Statutory/Specialist |
      | east-sussex               | L4        | Acute needs, including protection |
      | essex                     | L4        | Specialist |
      | hampshire                 | L4        | Children's Social Care |
      | harrow                    | L4        | Acute / Child Protection |
      | hertfordshire             | L4        | Specialist |
      | kent                      | L4        | Specialist Support |
      | liverpool                 | L4        | Safeguarding and specialist |
      | london                    | L4        | Children in acute need |
      | newcastle                 | L4        | Specialist |
      | poole                     | L4        | Specialist/Statutory |
      | stoke-on-trent            | L4b       | Children in Need of Safeguarding |
      | surrey                    | STATUTORY | Statutory Services |
      | tameside                  | L4        | Level 4 |
      | torbay                    | L4        | Statutory Intervention |
      | trafford                  | L5        | Child Protection (s47) |
      | wigan                     | L4        | Complex or serious, including child protection |
      | wirral                    | L4        | Children at Risk of Significant Harm or Being Removed from Home |
      | wokingham                 | L4        | Specialist Help |
