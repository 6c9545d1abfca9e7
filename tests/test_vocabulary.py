"""The fact vocabulary: referral values checked, unknown kept unknown, errors by JSON Pointer."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.errors import ReferralError, SchemaError
from engine.load.catalogue import VOCABULARY_FILE, bundled_root
from engine.load.loader import load_vocabulary, validate_model
from engine.load.yamlfile import load_text
from engine.model.vocabulary import Vocabulary

MINI = Path(__file__).parent / "fixtures" / "mini" / "national" / "vocabulary.yaml"


@pytest.fixture(scope="module")
def vocab() -> Vocabulary:
    return load_vocabulary(MINI)


def problems(vocab: Vocabulary, facts: dict[str, object]) -> list[str]:
    with pytest.raises(ReferralError) as info:
        vocab.normalise(facts)
    return [str(p) for p in info.value.problems]


def test_values_become_channel_values(vocab: Vocabulary) -> None:
    norm = vocab.normalise({"missing_from_home": "regular", "young_carer": False, "child_age_months": 4})
    assert norm == {"missing_from_home": 2, "young_carer": False, "child_age_months": 4}
    assert vocab.denormalise(norm) == {"missing_from_home": "regular", "young_carer": False, "child_age_months": 4}


def test_null_and_absent_are_unknown_not_false(vocab: Vocabulary) -> None:
    norm = vocab.normalise({"young_carer": None, "missing_from_home": None})
    assert norm == {}
    assert "young_carer" not in norm  # not reported as False


def test_unknown_fact_with_did_you_mean(vocab: Vocabulary) -> None:
    assert problems(vocab, {"mising_from_home": "regular"}) == [
        "/facts/mising_from_home: unknown fact 'mising_from_home' (did you mean 'missing_from_home'?)"]


def test_json_pointer_escapes_slash_and_tilde(vocab: Vocabulary) -> None:
    (msg,) = problems(vocab, {"a/b~c": True})
    assert msg.startswith("/facts/a~1b~0c: unknown fact 'a/b~c'")


def test_pointer_prefix_can_be_chosen(vocab: Vocabulary) -> None:
    with pytest.raises(ReferralError) as info:
        vocab.normalise({"nope_fact": 1}, pointer="/referral/facts")
    assert info.value.problems[0].pointer == "/referral/facts/nope_fact"


@pytest.mark.parametrize("fact, value, words", [
    ("young_carer", 1, "must be true, false or null, not 1"),
    ("young_carer", "no", "must be true, false or null, not 'no'"),
    ("child_age_months", True, "must be a whole number of months or null, not True"),
    ("child_age_months", "4", "must be a whole number of months or null, not '4'"),
    ("child_age_months", 4.5, "not 4.5"),
    ("child_age_months", -1, "must be between 0 and 215 months, not -1"),
    ("child_age_months", 216, "must be between 0 and 215 months, not 216"),
    ("missing_from_home", 2, "must be one of none, occasional, regular, frequent (or null), not 2"),
    ("missing_from_home", "regularly", "did you mean 'regular'"),
    ("missing_from_home", True, "not True"),
])
def test_wrong_types_and_values(vocab: Vocabulary, fact: str, value: object, words: str) -> None:
    (msg,) = problems(vocab, {fact: value})
    assert msg.startswith(f"/facts/{fact}: '{fact}' ")
    assert words in msg


def test_whole_float_counts_as_an_integer_like_json_schema(vocab: Vocabulary) -> None:
    assert vocab.normalise({"child_age_months": 4.0}) == {"child_age_months": 4}
    assert isinstance(vocab.normalise({"child_age_months": 4.0})["child_age_months"], int)


def test_every_problem_is_reported_at_once(vocab: Vocabulary) -> None:
    msgs = problems(vocab, {"young_carer": "yes", "nope_fact": 1, "child_age_months": 999, "immediate_danger": True})
    assert [m.split(":")[0] for m in msgs] == ["/facts/young_carer", "/facts/nope_fact", "/facts/child_age_months"]


def test_referral_schema_covers_every_fact_and_allows_null(vocab: Vocabulary) -> None:
    schema = vocab.referral_schema()
    props = schema["properties"]["facts"]["properties"]
    assert set(props) == {f.id for f in vocab.facts}
    assert props["young_carer"]["type"] == ["boolean", "null"]
    assert props["missing_from_home"]["enum"] == ["none", "occasional", "regular", "frequent", None]
    assert (props["child_age_months"]["minimum"], props["child_age_months"]["maximum"]) == (0, 215)
    assert schema["properties"]["facts"]["additionalProperties"] is False


def test_category_rank_and_concerns(vocab: Vocabulary) -> None:
    fact = vocab.fact("missing_from_home")
    assert fact.type == "category" and fact.rank("frequent") == 3
    assert vocab.concerns()["missing_from_home"] == ["missing_from_home"]


HEAD = "vocabulary: {id: v, version: '1.0.0', title: t, description: d}\nfacts:\n"
FACT = "  - {{id: {id}, type: boolean, domain: circumstances, dimension: x, concern: cc, label: l, question: q}}\n"


def vocab_problems(text: str) -> list[str]:
    with pytest.raises(SchemaError) as info:
        validate_model(load_text(text, "v.yaml"), Vocabulary)
    return [str(p) for p in info.value.problems]


def test_a_fact_declared_twice_is_rejected() -> None:
    msgs = vocab_problems(HEAD + FACT.format(id="aa") + FACT.format(id="aa"))
    assert any("fact id 'aa' is declared twice" in m for m in msgs)


def test_integer_bounds_and_category_values_are_checked() -> None:
    bad_int = HEAD + ("  - {id: nn, type: integer, domain: circumstances, dimension: x, concern: cc, label: l, "
                      "question: q, minimum: 5, maximum: 1, unit: months, worse: none}\n")
    assert any("minimum above maximum" in m for m in vocab_problems(bad_int))
    bad_cat = HEAD + ("  - id: cat\n    type: category\n    domain: circumstances\n    dimension: x\n"
                      "    concern: cc\n    label: l\n    question: q\n    values:\n"
                      "      - {id: a, label: A}\n      - {id: a, label: B}\n")
    assert any(m.startswith("v.yaml:3:5:") and "repeats a value id" in m for m in vocab_problems(bad_cat))


def test_unknown_fact_type_is_named() -> None:
    text = HEAD + ("  - {id: nn, type: number, domain: circumstances, dimension: x, concern: cc, label: l, "
                   "question: q}\n")
    assert any("v.yaml:3:" in m and "number" in m for m in vocab_problems(text))


def test_the_bundled_vocabulary_loads_and_every_question_is_a_question() -> None:
    vocab = load_vocabulary(bundled_root() / VOCABULARY_FILE)
    assert len(vocab.facts) >= 100
    assert all("?" in f.question for f in vocab.facts)
