"""Two rulesets compared on the Families First route scale.

A refreshed (Families First) document has fewer, differently cut levels than the legacy one it
replaces: Brighton & Hove's 2024 "Family Help" level takes work its 2018 framework split
between early help and specialist services. On the six canonical outcomes such a pair differs
almost everywhere, and much of that is the reform's merger, not a change in how the documents
place a concern. On the route scale (universal, family help, child protection, immediate
protection: :mod:`engine.model.route`) both sides are read the same way, so what still differs
is a real difference in where the documents send the child and who leads.

The same witness referrals as the semantic diff are evaluated under both rulesets on the fast
channel; each result's route comes from its level (declared by a refreshed document, derived
from the canonical outcome for a legacy one) and any safety floor, exactly as the suggestion's.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

from engine.compare.semantic import _encoded as encoded_concerns  # the concerns a ruleset's indicators read
from engine.compare.witness import COMBINED, Witness, witness_bank
from engine.evaluate.bulk import BulkEvaluator
from engine.evaluate.decision import level_route, route_at
from engine.load.catalogue import LoadedRuleset
from engine.model.outcome import Outcome
from engine.model.route import ROUTES, Route

STATEMENT = ("On the Families First route scale (universal; Family Help, which merges targeted early help and child "
             "in need; child protection through the multi-agency child protection team; immediate protection) a "
             "legacy document and a refreshed one are read the same way: differences that come only from the "
             "reform's merging of levels disappear, and what remains is where the documents send the child and "
             "who leads.")


class _Value(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class RouteLevel(_Value):
    """One local level on the route scale."""

    id: str
    label: str
    outcome: Outcome
    route: Route
    lead: str
    basis: Literal["declared", "derived"]


class RouteRow(_Value):
    """The local levels of each side that sit on one route."""

    route: Route
    label: str
    a: list[RouteLevel]
    b: list[RouteLevel]


class RouteShift(_Value):
    """A witness referral whose route differs between the two rulesets."""

    witness: Witness
    a_route: Route
    a_level: str
    a_outcome: Outcome
    b_route: Route
    b_level: str
    b_outcome: Outcome
    difference: int
    """Rank of b's route minus a's."""


class RouteGroup(_Value):
    concern: str
    label: str
    largest: int
    shifts: list[RouteShift]
    encoded_a: bool
    """Whether ruleset a has any indicator on this concern (false: the difference may be the encoding's)."""
    encoded_b: bool


class RouteComparison(_Value):
    statement: str
    a_basis: Literal["declared", "derived"]
    """declared: the document states its levels' routes (a refreshed document); derived: read from outcomes."""
    b_basis: Literal["declared", "derived"]
    levels: list[RouteRow]
    witnesses_tried: int
    outcome_differs: int
    """Witnesses whose canonical outcome differs."""
    route_differs: int
    """Witnesses whose route differs: the differences that remain on the route scale."""
    same_route: int
    """Witnesses whose canonical outcome differs but whose route is the same."""
    groups: list[RouteGroup]
    summary: str


def route_levels(r: LoadedRuleset) -> list[RouteLevel]:
    out = []
    for lv in r.model.levels:
        route = level_route(lv)
        out.append(RouteLevel(id=lv.id, label=lv.label, outcome=lv.outcome, route=route,
                              lead=(lv.route.lead if lv.route is not None and lv.route.lead else route.lead),
                              basis="declared" if lv.route is not None else "derived"))
    return out


def _basis(r: LoadedRuleset) -> Literal["declared", "derived"]:
    return "declared" if any(lv.route is not None for lv in r.model.levels) else "derived"


def route_comparison(a: LoadedRuleset, b: LoadedRuleset, a_name: str, b_name: str,
                     bulk: BulkEvaluator | None = None) -> RouteComparison:
    bulk = bulk or BulkEvaluator([a, b])
    bank = witness_bank([a, b], bulk)
    la, lb = route_levels(a), route_levels(b)
    rows = [RouteRow(route=rt, label=rt.label, a=[x for x in la if x.route == rt], b=[x for x in lb if x.route == rt])
            for rt in ROUTES]
    outcome_differs = same_route = 0
    groups: dict[str, list[RouteShift]] = {}
    for w in bank.witnesses:
        pa, pb = bulk.position(a, w.norm), bulk.position(b, w.norm)
        va, vb = a.model.levels[pa.level], b.model.levels[pb.level]
        ra, rb = route_at(va, pa.outcome), route_at(vb, pb.outcome)
        if pa.outcome != pb.outcome:
            outcome_differs += 1
            if ra == rb:
                same_route += 1
        if ra != rb:
            groups.setdefault(w.concern, []).append(RouteShift(
                witness=w, a_route=ra, a_level=va.id, a_outcome=pa.outcome, b_route=rb, b_level=vb.id,
                b_outcome=pb.outcome, difference=rb.rank - ra.rank))
    ca, cb = encoded_concerns(a), encoded_concerns(b)
    ordered = sorted((RouteGroup(concern=k, label=k.replace("_", " "), largest=max(abs(s.difference) for s in v),
                                 shifts=sorted(v, key=lambda s: (-abs(s.difference), len(s.witness.norm),
                                                                 int(s.witness.id[1:]))),
                                 encoded_a=k == COMBINED or bool(set(k.split(" + ")) & ca),
                                 encoded_b=k == COMBINED or bool(set(k.split(" + ")) & cb))
                      for k, v in groups.items()),
                     key=lambda g: (not (g.encoded_a and g.encoded_b), -g.largest, -len(g.shifts), g.concern))
    differs = sum(len(g.shifts) for g in ordered)
    one_side = sum(len(g.shifts) for g in ordered if not (g.encoded_a and g.encoded_b))
    how = {"declared": "declares its routes", "derived": "has its routes derived from its levels' outcomes"}
    summary = (f"{a_name} {how[_basis(a)]}; {b_name} {how[_basis(b)]}. Of {len(bank.witnesses)} witness referrals, "
               f"{outcome_differs} get a different canonical outcome; {same_route} of those keep the same route, and "
               f"{differs} referral(s) in {len(ordered)} concern(s) take a different route"
               + (f"; {one_side} of them in concerns that only one side encodes, where the difference may come from "
                  "a partial encoding rather than from the documents." if one_side else "."))
    return RouteComparison(statement=STATEMENT, a_basis=_basis(a), b_basis=_basis(b), levels=rows,
                           witnesses_tried=len(bank.witnesses), outcome_differs=outcome_differs, route_differs=differs,
                           same_route=same_route, groups=ordered, summary=summary)
