"""Hand-written natural phrasings for the common concerns of the training topics.

Each phrase sets one vocabulary fact to one value; the catalogue shows which. Anything not
covered here can still be written with the generated "<fact> is <value>" phrase.
"""

from __future__ import annotations

from dataclasses import dataclass

from engine.model.vocabulary import FactValue
from service.training.library import REGISTRY as R
from service.training.state import ScenarioState

THE = "the (child|baby|girl|boy|young person)"


@dataclass(frozen=True)
class Phrase:
    template: str
    example: str
    fact: str
    value: FactValue | None
    doc: str
    section: str


def _phrases() -> list[Phrase]:
    p: list[Phrase] = []

    def add(section: str, template: str, example: str, fact: str, value: FactValue | None, doc: str) -> None:
        p.append(Phrase(template, example, fact, value, doc, section))

    s = "Safety and abuse"
    add(s, f"{THE} has (a bruise|an injury|a bruise or injury|a mark that may be a bruise)",
        "the baby has a bruise", "bruise_or_injury", True, "Any bruise, mark that may be a bruise, or injury.")
    add(s, f"{THE} has no bruise or injury", "the child has no bruise or injury", "bruise_or_injury", False,
        "No bruise or injury has been seen.")
    add(s, f"{THE} is in immediate danger", "the child is in immediate danger", "immediate_danger", True,
        "The child is in immediate danger now.")
    add(s, f"{THE} is not in immediate danger", "the child is not in immediate danger", "immediate_danger",
        False, "The child is not in immediate danger now.")
    add(s, f"it is not known whether {THE} is in immediate danger",
        "it is not known whether the child is in immediate danger", "immediate_danger", None,
        "Nobody knows yet whether the child is in immediate danger.")
    add(s, f"{THE} has (disclosed abuse|told someone they have been abused|told someone they have been harmed)",
        "the child has disclosed abuse", "disclosure_by_child", True, "The child has disclosed abuse or harm.")
    add(s, "there is an allegation of physical abuse", "there is an allegation of physical abuse",
        "physical_abuse", "alleged_or_suspected", "An allegation or reasonable suspicion of physical abuse.")
    add(s, "there is an allegation of sexual abuse", "there is an allegation of sexual abuse",
        "sexual_abuse", True, "An allegation or suspicion of sexual abuse, including sexual assault.")
    add(s, "an adult who works with children is alleged to have harmed a child",
        "an adult who works with children is alleged to have harmed a child",
        "allegation_against_person_working_with_children", True,
        "An allegation against someone who works or volunteers with children (a LADO matter).")

    s = "Domestic abuse"
    for template, value, doc in [
        ("there are concerns about possible domestic abuse", "possible_concerns",
         "Concerns about possible domestic abuse."),
        ("there are concerns about domestic abuse", "concerns", "Concerns about domestic abuse."),
        ("there have been incidents of domestic abuse", "incidents_or_history",
         "Incidents or a history of domestic abuse between the adults."),
        ("there is persistent or escalating domestic abuse", "persistent_or_escalating",
         "Persistent, escalating or serious domestic abuse."),
        ("there is chronic and serious domestic violence involving the child", "chronic_serious_involving_child",
         "Chronic and serious domestic violence involving the child."),
        ("there is no domestic abuse", "none", "No concern of domestic abuse."),
    ]:
        add(s, template, template, "domestic_abuse", value, doc)

    s = "Parents' drug or alcohol misuse, mental health"
    impacts = [
        ("present, with no known impact on the child", "impact_not_established"),
        ("present, with no impact on the child", "present_no_impact"),
        ("impacting negatively on the child", "impacts_negatively"),
        ("having a direct negative impact on the child", "direct_negative_impact"),
        ("significantly affecting the care of the child", "significantly_affects_care"),
        ("placing the child at significant harm", "places_child_at_significant_harm"),
    ]
    for words_, value in impacts:
        add(s, f"a parent's drug or alcohol misuse is {words_}", f"a parent's drug or alcohol misuse is {words_}",
            "parental_substance_misuse_impact", value, f"Parental drug or alcohol misuse: {value}.")
        add(s, f"a parent's mental health is {words_}", f"a parent's mental health is {words_}",
            "parental_mental_health_impact", value, f"Parental mental health difficulties: {value}.")

    s = "Missing from home"
    for how, value in [("has started to go missing", "started"), ("occasionally goes missing", "occasional"),
                       ("repeatedly goes missing", "repeated"), ("regularly goes missing", "regular"),
                       ("frequently goes missing", "frequent")]:
        add(s, f"{THE} {how} [from home]", f"the young person {how} from home", "missing_from_home", value,
            f"How often the child goes missing from home, care or school ({value}).")
    add(s, "there is no explanation for the missing episodes", "there is no explanation for the missing episodes",
        "missing_unexplained", True, "The child goes missing with no explanation.")

    s = "Exploitation"
    add(s, f"{THE} is vulnerable to (exploitation|being exploited)", "the young person is vulnerable to exploitation",
        "child_exploitation", "vulnerable", "Vulnerable to being sexually or criminally exploited.")
    add(s, f"{THE} shows emerging signs of exploitation", "the young person shows emerging signs of exploitation",
        "child_exploitation", "emerging_signs", "Emerging behaviours suggesting exploitation.")
    add(s, f"{THE} is being exploited", "the young person is being exploited", "child_exploitation", "exploited",
        "Being exploited (CSE or CCE), or at risk of sexual exploitation.")
    for level in ["low", "medium", "high"]:
        add(s, f"the exploitation toolkit shows {level} risk", f"the exploitation toolkit shows {level} risk",
            "exploitation_toolkit_risk", level, f"The CSE/CCE toolkit or screening tool gives {level} risk.")

    s = "Neglect"
    for template, value in [("there is low-level or emerging neglect", "low_level_emerging"),
                            ("basic care is erratic, with an impact on the child's health", "erratic_with_impact"),
                            ("there is chronic neglect", "chronic"),
                            (f"{THE} is severely neglected", "severe")]:
        example = template.replace(THE, "the child")
        add(s, template, example, "neglect", value, f"Neglect: {value}.")

    s = "Sexual activity, pregnancy and FGM"
    add(s, f"{THE} is sexually active", "the girl is sexually active", "sexually_active", True,
        "The child is sexually active (under 13 this is a child-protection matter).")
    add(s, f"{THE} has a sexually transmitted infection", "the child has a sexually transmitted infection",
        "sexually_transmitted_infection", True, "The child has a sexually transmitted infection.")
    add(s, f"{THE} is pregnant", "the girl is pregnant", "child_pregnancy_or_parenthood", "pregnant_or_parent",
        "The child is pregnant (no further support needs identified).")
    add(s, "FGM has been carried out on the girl", "FGM has been carried out on the girl", "fgm_carried_out", True,
        "The girl says FGM has been carried out, or physical signs appear to show it.")
    add(s, "there is a suspected imminent risk of FGM", "there is a suspected imminent risk of FGM",
        "fgm_imminent_risk", True, "A suspected imminent risk that the girl will undergo FGM.")

    s = "Young carers and homelessness"
    add(s, f"{THE} is a young carer with some responsibilities at home",
        "the child is a young carer with some responsibilities at home", "young_carer", "some_responsibilities",
        "A young carer with some caring responsibilities.")
    add(s, f"{THE} is a young carer whose caring affects their outcomes",
        "the child is a young carer whose caring affects their outcomes", "young_carer", "affecting_outcomes",
        "Caring affects the child's outcomes, e.g. interferes with education.")
    add(s, f"{THE} is the main carer for a family member", "the young person is the main carer for a family member",
        "young_carer", "main_carer", "The child is the main carer for a family member.")
    add(s, f"{THE} is homeless", "the young person is homeless", "child_homeless", True,
        "The child or young person is homeless.")
    add(s, f"{THE} has asked for accommodation", "the young person has asked for accommodation",
        "child_homeless", True, "The young person asks for accommodation (treated as presenting homeless).")
    add(s, f"{THE} has been thrown out of home", "the young person has been thrown out of home",
        "rejection_from_home", "thrown_out_or_left_unsafe", "Thrown out of home, or left because it was unsafe.")

    s = "School and early help"
    for template, value in [("occasionally absent from school", "occasional"),
                            ("regularly absent from school", "regular"),
                            ("persistently absent from school", "persistent")]:
        add(s, f"{THE} is {template}", f"the child is {template}", "school_absence", value,
            f"Absence from school: {value}.")
    add(s, "needs are escalating despite early help", "needs are escalating despite early help",
        "needs_escalating_despite_early_help", True, "Needs are escalating although early help is in place.")
    return p


def _register(phrase: Phrase) -> None:
    def step(state: ScenarioState) -> None:
        state.set_fact(phrase.fact, phrase.value)

    shown = "not known" if phrase.value is None else phrase.value
    step.__doc__ = f"{phrase.doc} Sets {phrase.fact} = {shown}."
    R.given(phrase.template, example=phrase.example, section=phrase.section)(step)


for _phrase in _phrases():
    _register(_phrase)
