@early_help
Feature: Early help examples
  Most referrals do not need children's social care. These exercises show needs met by early help
  or universal services, and how the councils' Level 2 lists differ.

  Scenario: Nothing of concern is reported
    Given a child aged 7 years
    When the referral is evaluated under Kent
    Then the suggested level is "L1 Universal Support"
    And the canonical outcome is universal
    And no safety override applies
    And the explanation does not cite "kent-l"

  Scenario Outline: Occasional absence from school
    Given a child aged 9 years
    And the child is occasionally absent from school
    When the referral is evaluated under <authority>
    Then the suggested level is <level>
    And the explanation cites "<indicator>"

    Examples:
      | authority | level | indicator                    |
      | Kent      | L2    | kent-l2-occasional-absence   |
      | Hampshire | L2    | hampshire-l2-absence-truancy |

  @comparison
  Scenario: Occasional absence is Family Help in Brighton & Hove's refreshed document
    Brighton & Hove's 2024 document names its Level 2 "Family Help"; Kent's document predates the
    Families First reforms, so its route is derived from its canonical outcome (single-agency early help).
    Given a child aged 9 years
    And the child is occasionally absent from school
    When the referral is evaluated under each of Kent and Brighton & Hove
    Then under Brighton & Hove the Families First route is Family Help
    And under Brighton & Hove the lead practitioner is "Family Help Lead Practitioner"
    And under Kent the Families First route is universal

  @comparison
  Scenario: Regular absence from school is social care in Hampshire but additional support in Kent
    Given a child aged 12 years
    And the child is regularly absent from school
    When the referral is evaluated under each of Kent and Hampshire
    Then under Hampshire the suggested level is Children's Social Care
    And under Kent the suggested level is Additional Support
    And the referral lands higher in Hampshire than in Kent
    And the explanation cites "absence"

  @comparison
  Scenario Outline: A child of a prisoner
    Given a child aged 8 years
    And Parent or sibling in prison is yes
    When the referral is evaluated under <authority>
    Then the suggested level is <level>
    # Hampshire lists "children of prisoners" at Level 2, Buckinghamshire "parent or sibling in
    # custody" at Level 4; the Kent lists captured do not mention it.
    And the explanation does not cite "kent-l2"

    Examples:
      | authority | level |
      | Kent      | L1    |
      | Hampshire | L2    |
      | Buckinghamshire | L4 |

  Scenario: Speech and language difficulties in Kent
    Given a child aged 3 years
    And Speech, language and communication is some difficulties
    When the referral is evaluated under Kent
    Then the suggested level is at most Additional Support
    And the suggested level is at least early_help_single_agency
    And the explanation cites "kent-l2-language-communication"

  Scenario: Bereavement in Kent, through the fact table with unknowns
    Given the authority is Kent
    And the referral reports:
      | fact                 | value     |
      | child_age_months     | 96        |
      | Bereavement or loss  | yes       |
      | school_absence       | not known |
    When the referral is evaluated
    Then the suggested level is "L2"
    And the explanation cites "kent-l2-bereavement"
    And the practitioner should be asked about school_absence

  @comparison
  Scenario: A child of a prisoner lands at three different levels in three councils
    Given a child aged 8 years
    And Parent or sibling in prison is yes
    When the referral is evaluated under each of Kent, Hampshire and Buckinghamshire
    Then under Kent the suggested level is "L1"
    And under Hampshire the suggested level is "L2"
    And under Buckinghamshire the suggested level is "L4"
    And the referral lands higher in Buckinghamshire than in Hampshire
    And the referral lands higher in Hampshire than in Kent
    And under Buckinghamshire the suggested level is at least child_protection
    And under Buckinghamshire the explanation cites "buckinghamshire-l4-custody"
    And under Hampshire the explanation cites "hampshire-l2-children-of-prisoners"

  Scenario: An exercise can pin the ruleset version and date
    Given a child aged 9 years
    And the authority is Kent
    And the ruleset version is "i-statements"
    And the date is 2026-01-15
    And the child is occasionally absent from school
    When the referral is evaluated under Kent version "i-statements"
    Then the suggested level is "L2"
    And the explanation cites "kent-l2-occasional-absence"
