"""The readable views: complete against the ruleset, and accessible, script-free HTML.

The HTML is parsed with the standard library's html.parser and its structure checked the way
an accessibility review would: language, one h1 and no skipped heading levels, captioned
tables whose header cells declare their scope, no scripts, event handlers or external assets,
and a print style. Completeness is checked against the model: every indicator appears once,
in a row of its own, with its citation linked; every national override is listed.
"""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest

from engine.load.catalogue import Catalogue, LoadedRuleset
from engine.render.ruleset_document import to_html, to_markdown
from service.cli import main
from tests import bundled

LINT = Path(__file__).parent / "fixtures" / "lint"
MINI = Path(__file__).parent / "fixtures" / "mini"


class Page(HTMLParser):
    """Records what the structural checks need from one HTML page."""

    def __init__(self) -> None:
        super().__init__()
        self.doctype = ""
        self.lang: str | None = None
        self.headings: list[int] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.stack: list[str] = []
        self.tables: list[dict[str, object]] = []
        self.rows: list[list[tuple[str, dict[str, str | None], str]]] = []
        self.links: list[str] = []
        self.text: list[str] = []
        self._cell: list[str] | None = None
        self._cell_tag: tuple[str, dict[str, str | None]] | None = None
        self.style = ""

    def handle_decl(self, decl: str) -> None:
        self.doctype = decl

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self.tags.append((tag, a))
        if tag not in ("meta", "br"):
            self.stack.append(tag)
        if tag == "html":
            self.lang = a.get("lang")
        if len(tag) == 2 and tag[0] == "h" and tag[1].isdigit():
            self.headings.append(int(tag[1]))
        if tag == "table":
            self.tables.append({"caption": False, "rows": []})
        if tag == "caption" and self.tables:
            self.tables[-1]["caption"] = True
        if tag == "tr":
            row: list[tuple[str, dict[str, str | None], str]] = []
            self.rows.append(row)
            rows = self.tables[-1]["rows"]
            assert isinstance(rows, list)
            rows.append(row)
        if tag in ("th", "td"):
            self._cell, self._cell_tag = [], (tag, a)
        if tag == "a" and a.get("href"):
            self.links.append(str(a["href"]))

    def handle_endtag(self, tag: str) -> None:
        if tag in ("th", "td") and self._cell is not None and self._cell_tag is not None:
            self.rows[-1].append((self._cell_tag[0], self._cell_tag[1], "".join(self._cell)))
            self._cell = None
        if self.stack and self.stack[-1] == tag:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._cell is not None:
            self._cell.append(data)
        if self.stack and self.stack[-1] == "style":
            self.style += data


def parse(page: str) -> Page:
    p = Page()
    p.feed(page)
    p.close()
    return p


def rulesets() -> list[LoadedRuleset]:
    return [*bundled.catalogue().all(), *Catalogue.load(LINT).all(), *Catalogue.load(MINI).all()]


@pytest.fixture(params=rulesets(), ids=lambda r: f"{Path(r.path).parts[-4]}/{r.key}")
def loaded(request: pytest.FixtureRequest) -> LoadedRuleset:
    r: LoadedRuleset = request.param
    return r


def test_html_is_a_complete_page_in_english(loaded: LoadedRuleset) -> None:
    page = parse(to_html(loaded))
    assert page.doctype.lower() == "doctype html"
    assert page.lang == "en-GB"
    assert [t for t, _ in page.tags].count("title") == 1
    assert page.stack == [], f"unclosed elements: {page.stack}"


def test_headings_start_at_h1_and_never_skip_a_level(loaded: LoadedRuleset) -> None:
    levels = parse(to_html(loaded)).headings
    assert levels[0] == 1 and levels.count(1) == 1
    for before, after in zip(levels, levels[1:]):
        assert after <= before + 1, f"h{before} followed by h{after}"


def test_tables_have_captions_and_scoped_header_cells(loaded: LoadedRuleset) -> None:
    page = parse(to_html(loaded))
    assert page.tables
    for table in page.tables:
        assert table["caption"] is True
        rows = table["rows"]
        assert isinstance(rows, list) and len(rows) >= 2
        assert all(tag == "th" and attrs.get("scope") == "col" for tag, attrs, _ in rows[0])
        for row in rows[1:]:
            assert len(row) == len(rows[0])
            assert row[0][0] == "th" and row[0][1].get("scope") == "row"
    assert all(a.get("scope") in ("col", "row") for t, a in page.tags if t == "th")


def test_no_scripts_handlers_or_external_assets_and_a_print_style(loaded: LoadedRuleset) -> None:
    page = parse(to_html(loaded))
    assert not [t for t, _ in page.tags if t in ("script", "iframe", "object", "embed", "link", "img")]
    assert not [(t, k) for t, a in page.tags for k in a if k.startswith("on") or k in ("src", "style")]
    assert "@media print" in page.style
    assert all(h.startswith(("https://", "http://", "#")) for h in page.links)


def test_every_indicator_is_one_row_with_its_citation_linked(loaded: LoadedRuleset) -> None:
    page = parse(to_html(loaded))
    ids = [cells[-1][2] for cells in page.rows if len(cells) == 4 and cells[0][0] == "th"
           and cells[-1][0] == "td" and cells[0][1].get("scope") == "row"]
    indicators = loaded.model.indicators
    assert sorted(ids) == sorted(i.id for i in indicators)
    for ind in indicators:
        if ind.cite.url:
            assert ind.cite.url in page.links
    for ov in loaded.national.overrides:
        assert f"({ov.id})" in "".join(page.text)


def test_coverage_notes_and_partial_warning_are_shown(loaded: LoadedRuleset) -> None:
    text = " ".join("".join(parse(to_html(loaded)).text).split())
    assert " ".join(loaded.model.ruleset.coverage.notes.split()) in text
    assert ("Partial encoding: this is not the whole document" in text) is (not loaded.model.ruleset.coverage.complete)


def test_markdown_says_the_same_as_the_html(loaded: LoadedRuleset) -> None:
    md = to_markdown(loaded)
    assert md.startswith(f"# {loaded.model.ruleset.authority}: ")
    for ind in loaded.model.indicators:
        assert f"| {ind.id} |" in md
        if ind.cite.url:
            assert f"]({ind.cite.url})" in md
    for lv in loaded.model.levels:
        assert f"| {lv.id} {lv.label} | {lv.outcome.label} |" in md


def test_accepted_warnings_are_listed_with_their_reasons() -> None:
    r = Catalogue.load(LINT).select("accepted")
    page = parse(to_html(r))
    rows = [[c[2] for c in cells] for cells in page.rows]
    assert ["missing-regular", "subsumed",
            r.model.accepted_warnings[0].reason] in rows
    assert "| missing-regular | subsumed | The source lists regular absence" in to_markdown(r)


def test_text_from_a_ruleset_is_escaped(tmp_path: Path) -> None:
    root = tmp_path / "root"
    (root / "england" / "demo").mkdir(parents=True)
    (root / "national").mkdir()
    for name in ("vocabulary.yaml", "england-safety.yaml"):
        (root / "national" / name).write_text((MINI / "national" / name).read_text())
    text = (MINI / "england" / "demo" / "1.yaml").read_text()
    text = text.replace("says: Young carer", "says: \"<script>alert(1)</script> & co\"")
    text = text.replace('url: "https://example.org/demo#l2"}', 'url: "https://example.org/x\\"onclick=\\"y"}', 1)
    (root / "england" / "demo" / "1.yaml").write_text(text)
    page_text = to_html(Catalogue.load(root).select("demo"))
    page = parse(page_text)
    assert not [t for t, _ in page.tags if t == "script"]
    assert not [k for _, a in page.tags for k in a if k.startswith("on")]
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in page_text
    assert 'href="https://example.org/x&quot;onclick=&quot;y"' in page_text


def test_cli_render_writes_both_formats(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--rulesets", str(LINT), "render", "clean", "--format", "html"]) == 0
    assert parse(capsys.readouterr().out).lang == "en-GB"
    assert main(["--rulesets", str(LINT), "render", "clean"]) == 0
    assert capsys.readouterr().out.startswith("# Demo Council: Demo Thresholds")
