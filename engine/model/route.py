"""The Families First route scale, and who leads on each route.

The Families First reforms (DfE programme guide, March 2025; delivery from April 2025) merge
targeted early help and statutory child in need work (Children Act 1989 s17) into **Family
Help**, led by a Family Help Lead Practitioner, and send child protection through
multi-agency child protection teams led by a Lead Child Protection Practitioner. Every
partnership must publish a refreshed threshold document. Legacy documents (levels mapped to
the six canonical outcomes) and refreshed ones therefore need one shared, coarser scale: the
route. Sources: docs/sources/threshold-indicators-2026.md §17 and §18.

A refreshed document declares each level's route (``route:`` on the level); a legacy
document's routes are derived from each level's canonical outcome (:func:`derived_route`),
and every result says which of the two it is, so nobody reads a derivation as the
document's own words.

The one judgement: **single-agency early help** (``early_help_single_agency``) derives to the
**universal** route. The programme guide's continuum runs from "universal services and
community based early help, through Family Help (including targeted early help and statutory
services under section 17 ...)" (Bucks MAPP summary of the guide), so Family Help takes
*targeted* early help; and documents that name both kinds keep them apart, e.g. Hampshire's
Family Support Service page: Level 2 "Early Help" (single service, e.g. speech and language
advice) and Level 3 "Targeted Early Help" (many needs requiring more than one service)
(docs/sources/threshold-indicators-more.md §3a). Single-agency help given by the service
already working with the child is community-based early help on the universal route. A
refreshed document that puts some single-agency help inside Family Help (Brighton & Hove
2024: "sometimes through one professional or agency") declares its route, which the loader
allows for that outcome.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from engine.model.outcome import Outcome


class Route(StrEnum):
    """Families First routes in ascending order of intervention."""

    universal = "universal"
    family_help = "family_help"
    child_protection = "child_protection"
    immediate_protection = "immediate_protection"

    @property
    def rank(self) -> int:
        return _RANK[self]

    @property
    def label(self) -> str:
        return LABELS[self]

    @property
    def lead(self) -> str:
        """Who leads on this route under the reforms, when the document names no local role."""
        return LEADS[self]


ROUTES: tuple[Route, ...] = tuple(Route)
_RANK: dict[Route, int] = {r: i for i, r in enumerate(ROUTES)}

LABELS: dict[Route, str] = {
    Route.universal: "Universal services and community-based early help",
    Route.family_help: "Family Help (targeted early help and child in need, s17)",
    Route.child_protection: "Child protection through the multi-agency child protection team (s47)",
    Route.immediate_protection: "Immediate protection (police 999, s46 police protection, s44 EPO)",
}

LEADS: dict[Route, str] = {
    Route.universal: "No Families First lead role: the universal or community service already working with "
                     "the child",
    Route.family_help: "Family Help Lead Practitioner (a social worker or another practitioner, under a "
                       "social-work-qualified supervisor)",
    Route.child_protection: "Lead Child Protection Practitioner (a social worker) in the multi-agency child "
                            "protection team",
    Route.immediate_protection: "Police or the local authority, acting at once under statutory powers; then the "
                                "Lead Child Protection Practitioner in the multi-agency child protection team",
}


@dataclass(frozen=True)
class RouteSource:
    """Where the national route and its lead role come from (kept as data: no circular import)."""

    document: str
    section: str
    url: str
    quote: str | None = None


BUCKS = "Families First Partnership programme and delivery expectations (Buckinghamshire MAPP summary of the DfE guide)"
BUCKS_URL = ("https://www.buckschildrensmapp.co.uk/amilies-first-partnership-programme-and-delivery-expectations-for-"
             "safeguarding-partners/")
TELFORD = "Families First Partnership: minimum expectations (Telford & Wrekin Safeguarding Partnership summary)"

SOURCES: dict[Route, tuple[RouteSource, ...]] = {
    Route.universal: (
        RouteSource(BUCKS, "The continuum of help, support and protection", BUCKS_URL,
                    "universal services and community based early help, through Family Help"),
    ),
    Route.family_help: (
        RouteSource(BUCKS, "The continuum of help, support and protection", BUCKS_URL,
                    "Family Help (including targeted early help and statutory services under section 17 of the "
                    "Children Act 1989)"),
        RouteSource(TELFORD, "Family Help: minimum expectations (Family Help Lead Practitioner)",
                    "https://www.telfordsafeguardingpartnership.org.uk/site/scripts/documents_info.php?"
                    "categoryID=1&documentID=40&switchstyle=textonly.css"),
        RouteSource("Community Care, 14 January 2024", "Working Together 2023: child in need work may be led by a "
                    "lead practitioner who is not a social worker",
                    "https://www.communitycare.co.uk/2024/01/14/child-in-need-cases-opened-up-to-non-social-work-"
                    "staff-despite-risk-concerns/"),
    ),
    Route.child_protection: (
        RouteSource(TELFORD, "Multi-agency child protection: minimum expectations (Lead Child Protection "
                    "Practitioner, multi-agency child protection teams)",
                    "https://www.telfordsafeguardingpartnership.org.uk/site/scripts/documents_info.php?"
                    "categoryID=1&documentID=40&switchstyle=textonly.css"),
        RouteSource("Wokingham children's social care procedures (October 2024)", "Section 47 enquiries",
                    "https://proceduresonline.com/wokingham/childcare/p_sec_47_enq.html",
                    "The Lead Practitioner should always be a social worker for child protection enquiries"),
    ),
    Route.immediate_protection: (
        RouteSource("Surrey Safeguarding Children Partnership procedures (June 2025)",
                    "Strategy discussions and section 47 enquiries: immediate protection",
                    "https://surreyscp.trixonline.co.uk/chapter/strategy-discussions-and-child-protection-enquiries-"
                    "section-47-children-act-1989"),
    ),
}

_DERIVED: dict[Outcome, Route] = {
    Outcome.universal: Route.universal,
    Outcome.early_help_single_agency: Route.universal,  # the judgement in the module docstring
    Outcome.early_help_multi_agency: Route.family_help,
    Outcome.child_in_need: Route.family_help,
    Outcome.child_protection: Route.child_protection,
    Outcome.immediate_protection: Route.immediate_protection,
}

_ALLOWED: dict[Outcome, frozenset[Route]] = {
    o: frozenset({r}) for o, r in _DERIVED.items()
} | {Outcome.early_help_single_agency: frozenset({Route.universal, Route.family_help})}

DERIVED_NOTE = ("Derived from the canonical outcome, because this ruleset declares no Families First route (a legacy "
                "document): targeted early help and child in need are read as Family Help.")
SINGLE_AGENCY_NOTE = ("Single-agency early help is read as community-based early help on the universal route (the "
                      "Families First continuum puts targeted early help in Family Help).")


def derived_route(outcome: Outcome) -> Route:
    """The route a legacy level (or a result raised to ``outcome``) takes under the reforms."""
    return _DERIVED[outcome]


def allowed_routes(outcome: Outcome, also_covers: Outcome | None = None) -> frozenset[Route]:
    """Routes a refreshed document may declare for a level with this outcome (and the one it also covers)."""
    out = _ALLOWED[outcome]
    return out | _ALLOWED[also_covers] if also_covers is not None else out


class LevelRoute(BaseModel):
    """A level's route as a refreshed (Families First) document states it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Route = Field(description="The route this level's help is given on.")
    lead: str | None = Field(default=None, min_length=1, description="Who leads, in the document's words; the "
                             "national role for the route when omitted.")
    note: str | None = Field(default=None, min_length=1, description="Where the level does not fit one route "
                             "exactly, in plain words.")
