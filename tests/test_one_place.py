"""Concepts stated once: the operator table, the rule records and whose fault each error is."""

from __future__ import annotations

import pytest

from engine.errors import EvaluationFailed, ReferralError, RulesetError, ThresholdsError
from engine.evaluate.channels.operands import OPERATORS
from engine.load.catalogue import Catalogue
from service.store.record import RecordUnavailable
from service.training.registry import StepError


@pytest.mark.parametrize("name", [k for k, m in OPERATORS.items() if m.negation is not None])
def test_negated_operator_tests_the_opposite(name: str) -> None:
    meaning = OPERATORS[name]  # type: ignore[index]
    assert meaning.negation is not None
    opposite = OPERATORS[meaning.negation]
    assert opposite.negation == name and opposite.durable and meaning.durable
    for v in range(-3, 4):
        assert meaning.holds(v, 0) is (not opposite.holds(v, 0))


def test_rules_know_their_place_in_the_truth_vector() -> None:
    loaded = Catalogue.load().all()[0]
    rules = loaded.rules
    assert [r.index for r in rules] == list(range(len(rules)))
    assert [r.id for r in rules[: len(loaded.model.indicators)]] == [i.id for i in loaded.model.indicators]
    kinds = [r.kind for r in loaded.override_rules]
    assert kinds == sorted(kinds, key=lambda k: k != "override")  # national overrides first
    assert all((r.level is None) == r.is_override and (r.minimum is None) != r.is_override for r in rules)


def test_located_errors_share_one_base_and_keep_suggestions_as_data() -> None:
    from engine.errors import LocatedError
    from engine.model.vocabulary import Vocabulary
    from service.training.feature import FeatureError

    for cls in (RulesetError, ReferralError, FeatureError):
        assert issubclass(cls, LocatedError)
    vocab: Vocabulary = Catalogue.load().vocabulary
    with pytest.raises(ReferralError) as info:
        vocab.normalise({"mising_from_home": "regular", "missing_from_home": "reguler"}, pointer="")
    by_pointer = {p.pointer: p for p in info.value.problems}
    assert by_pointer["/mising_from_home"].suggestions[0] == "missing_from_home"
    assert by_pointer["/mising_from_home"].message == "unknown fact 'mising_from_home'"
    assert by_pointer["/missing_from_home"].suggestions[0] == "regular"
    assert "(did you mean 'missing_from_home'" in str(by_pointer["/mising_from_home"])


def test_every_error_says_whose_it_is() -> None:
    from service.store.replay import NotReplayable

    for cls in (RecordUnavailable, StepError, NotReplayable, ReferralError, RulesetError, EvaluationFailed):
        assert issubclass(cls, ThresholdsError)
    assert RecordUnavailable.caused_by == "internal" and EvaluationFailed.caused_by == "internal"
    assert NotReplayable.caused_by == "internal"
    assert StepError.caused_by == "user" and ReferralError.caused_by == "user" and RulesetError.caused_by == "user"


def test_one_citation_format_on_every_surface() -> None:
    from pathlib import Path

    from jinja2 import Environment, FileSystemLoader
    from markupsafe import Markup

    from engine.model.ruleset import Citation
    from engine.render.document import Link
    from engine.render.ruleset_document import cite

    c = Citation(section="Level 3", url="https://example.org/l3", mirror="https://mirror.example.org/l3",
                 quote="needs are complex")
    assert c.text("Demo Thresholds") == ("Demo Thresholds, Level 3 <https://example.org/l3> (read from a mirror "
                                         "<https://mirror.example.org/l3>): \u201cneeds are complex\u201d")
    assert Citation(section="Level 2").text() == "Level 2 (no address given)"
    # the ruleset document links the same words
    rich = cite(c, "Demo Thresholds")
    assert "".join(p.text if isinstance(p, Link) else p for p in rich) == \
        "".join(t for t, _ in c.segments("Demo Thresholds"))
    assert Link("Level 3", "https://example.org/l3") in rich
    # the pages' macro writes the same words, each address a link
    env = Environment(loader=FileSystemLoader(Path(__file__).resolve().parent.parent / "service/web/templates"),
                      autoescape=True)
    html = str(env.get_template("web/macros.html").module.cite(c, "Demo Thresholds"))  # type: ignore[attr-defined]
    plain = Markup(html).striptags()
    assert plain == ("Demo Thresholds, Level 3 (opens in new tab) (read from a mirror (opens in new tab)): "
                     "\u201cneeds are complex\u201d")
    assert 'href="https://example.org/l3"' in html and 'href="https://mirror.example.org/l3"' in html


def test_evaluator_for_rulesets_compiles_only_those_and_questions_are_built_once() -> None:
    from engine.evaluate.evaluator import Evaluator
    from engine.triage.questions import question_engine

    cat = Catalogue.load()
    kent = cat.select("kent")
    ev = Evaluator.for_rulesets(cat, [kent, kent], with_durable=False)
    assert [r.key for r in ev.catalogue.all()] == [kent.key]
    assert ev.catalogue.vocabulary is cat.vocabulary and ev.catalogue.national is cat.national
    with pytest.raises(KeyError):
        ev.compiled(cat.select("hampshire"))
    compiled = ev.compiled(kent)
    first = question_engine(compiled)
    assert question_engine(compiled) is first  # cached with the compiled version, not rebuilt per request
    again = Evaluator.for_rulesets(cat, [kent], with_durable=False)
    assert question_engine(again.compiled(kent)) is not first  # a new compile (a reload) builds its own
    facts = cat.vocabulary.normalise({"young_carer": "main_carer"})
    assert first.next_questions(facts).model_dump() == question_engine(again.compiled(kent)).next_questions(
        facts).model_dump()


def test_dates_are_parsed_once_into_dates() -> None:
    import datetime as dt

    from pydantic import ValidationError

    from service.api.models import EvaluateRequest

    req = EvaluateRequest.model_validate({"ruleset": "kent", "as_of": "2024-06-01", "facts": {}})
    assert req.as_of == dt.date(2024, 6, 1)  # handlers receive a date, never text to parse again
    for bad in ("2024-02-30", "2024-6-1", 20240601):
        with pytest.raises(ValidationError, match="as_of"):
            EvaluateRequest.model_validate({"ruleset": "kent", "as_of": bad, "facts": {}})
    for loaded in Catalogue.load().all():
        assert loaded.start is None or type(loaded.start) is dt.date
        assert loaded.end is None or type(loaded.end) is dt.date


def test_a_referral_is_normalised_once_for_every_council(monkeypatch: pytest.MonkeyPatch) -> None:
    from engine.evaluate.across import across_councils
    from engine.evaluate.evaluator import Evaluator
    from engine.model.referral import Referral
    from engine.model.vocabulary import Vocabulary

    cat = Catalogue.load()
    ids = cat.ids()[:3]
    ev = Evaluator.for_rulesets(cat, [cat.select(i) for i in ids], with_durable=False)
    facts = {"young_carer": "main_carer", "child_age_months": 150, "missing_from_home": None}
    calls: list[int] = []
    real = Vocabulary.normalise

    def counted(self: Vocabulary, *args: object, **kwargs: object) -> object:
        calls.append(1)
        return real(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Vocabulary, "normalise", counted)
    both = across_councils(ev, facts, ids, None, strict=True)
    assert len(calls) == 1 and len(both.results) == len(ids)  # not N+1
    monkeypatch.undo()
    for loaded, s in both.results:  # the same suggestion as from the raw facts, explained from the same facts
        assert s.model_dump(exclude={"evaluated_at"}) == ev.evaluate(loaded, facts).model_dump(exclude={"evaluated_at"})
    referral = Referral.of(cat.vocabulary, facts)
    assert dict(referral.facts) == {"young_carer": "main_carer", "child_age_months": 150}
    assert referral.under(cat.vocabulary) is referral


def test_pages_render_suggestions_from_the_problem_as_the_text_does() -> None:
    from pathlib import Path

    from jinja2 import Environment, FileSystemLoader

    from engine.errors import Problem

    env = Environment(loader=FileSystemLoader(Path(__file__).resolve().parent.parent / "service/web/templates"),
                      autoescape=False)
    macro = env.get_template("web/macros.html").module.did_you_mean  # type: ignore[attr-defined]
    p = Problem("draft.yaml", 3, 5, "unknown level 'l9'", ("L3", "L4"))
    assert str(p) == "draft.yaml:3:5: unknown level 'l9'" + str(macro(p.suggestions))
    assert str(macro(p.suggestions)) == " (did you mean 'L3' or 'L4'?)" and str(macro(())) == ""
