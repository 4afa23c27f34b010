"""Hostile names: quotes, braces, backslashes, newlines, SPARQL keywords, markup, scripts, emoji.

Two directions. Names a person types reach every command that takes a name or text (ask,
show, partners, path, map, central --type, sparql @file, extract, ingest): each gives an
answer or exactly one ``Error:`` line with exit 1, and the store does not change. Names the
data holds (a TriG file we write, loaded through ``carrierkg load``) are found by ask, show,
partners, path and map and printed intact: JSON round-trips exactly, tables show the text as
it is (never read as rich markup), the map page never holds the raw markup.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pyoxigraph as ox
import pytest
from typer.testing import CliRunner

from carrierkg.cli.common import state
from carrierkg.cli.main import app
from carrierkg.graph.model import identity_iri
from carrierkg.ontology.namespaces import CKG, DCTERMS, ID, RDF, SKOS, STATUS, XSD, source_iri

#: Names typed by a person; none of them names anything in the store.
TYPED = [
    'a"b', "O'Neil's", "{}", "} }", "a\\b", "trailing\\", "line\nbreak", "tab\there", "cr\rlf",
    '" } DROP ALL ; # typed', "'} ; DELETE WHERE { ?s ?p ?o } #", "x> } DROP ALL { <y",
    "SELECT * WHERE { ?s ?p ?o }", "ASK", "FILTER(true)", "?org", "$var", "UNION", "GRAPH ?g",
    "<script>alert(1)</script>", "[bold]markup[/bold]", "[/closing]", "%s%n%x", "{0}{name}",
    "中国电信", "Мегафон", "عربي", "📡🚀", "e\u0301\u200b\u202e", "x" * 5000, "", "   ", "\n",
    "http://a b", "https://x> } DROP ALL { <y", "http://example.org/not-in-the-store",
    "\x00", "a\x00b", "\x07\x1b[31mred", "\udcff\udcfe", "@/etc/passwd",
]

#: A few of them for the combinations that take longer (each class of trouble once).
SAMPLE = ['a"b', "a\\b", "line\nbreak", "x> } DROP ALL { <y", "SELECT * WHERE { ?s ?p ?o }", "[/closing]",
          "中国电信", "📡🚀", "x" * 5000, "   ", "https://x> } DROP ALL { <y", "a\x00b", "\udcff\udcfe"]

#: Labels the data holds (each a carrier partnering with HUB).
LABELS = [
    'Quote "Q" Telecom', "O'Brien Mobile", "Brace {Net} } Telecom", "Back\\slash Mobile", "Line\nBreak Telecom",
    '" } DROP ALL ; #', "SELECT * WHERE { ?s ?p ?o } Telecom", "<script>alert(1)</script> Mobile",
    "中国电信测试", "Мегафон Тест", "عربي للاتصالات", "📡 Emoji Telecom 🚀", "[bold red]Rich[/] Markup Telecom",
    "Closing [/x] Tag Telecom", "L" + "o" * 300 + "ng Telecom",
]
HUB = "Hostile Hub Telecom"
HUB_IRI = ID + "org/hostile-hub"
SOURCE = source_iri("hostile-names")
TITLE = 'Title with "quotes" } and <script>x</script> [b]'


def org_of(i: int) -> str:
    return ID + f"org/hostile-{i}"


def hostile_quads() -> list[ox.Quad]:
    """A valid source graph: HUB partners with an organisation of each hostile label."""
    N, L = ox.NamedNode, ox.Literal
    src, a = N(SOURCE), N(RDF.type)
    triples = [(src, a, N(CKG.Source)), (src, N(DCTERMS.title), L(TITLE)),
               (src, N(DCTERMS.publisher), L("carrierkg tests")),
               (src, N(DCTERMS.date), L("2024-01-02", datatype=N(XSD.date))),
               (src, N(CKG.extractionMethod), L("manual")), (src, N(CKG.confidence), L("1.0", datatype=N(XSD.decimal))),
               (N(HUB_IRI), a, N(CKG.Carrier)), (N(HUB_IRI), N(SKOS.prefLabel), L(HUB))]
    for i, label in enumerate(LABELS):
        o = N(org_of(i))
        rel = N(identity_iri(CKG.Partnership, {CKG.party: [HUB_IRI, org_of(i)]}))
        triples += [(o, a, N(CKG.Carrier)), (o, N(SKOS.prefLabel), L(label)),
                    (rel, a, N(CKG.Partnership)), (rel, N(CKG.party), N(HUB_IRI)), (rel, N(CKG.party), o),
                    (rel, N(CKG.status), N(STATUS.active)), (rel, N(CKG.source), src),
                    (rel, N(CKG.startDate), L("2020", datatype=N(XSD.gYear)))]
    return [ox.Quad(s, p, o, src) for s, p, o in triples]


def invoke(*args: str):
    try:
        return CliRunner().invoke(app, list(args), catch_exceptions=True)
    finally:
        state.reset()


@pytest.fixture(scope="module")
def hostile(built_store, tmp_path_factory) -> Path:
    """A store holding the bundled data and the hostile source, loaded through ``carrierkg load``."""
    import shutil

    base = tmp_path_factory.mktemp("hostile")
    store = base / "store"
    shutil.copytree(built_store, store)
    trig = base / "hostile.trig"
    trig.write_bytes(ox.serialize(hostile_quads(), format=ox.RdfFormat.TRIG))
    result = invoke("--store", str(store), "load", str(trig))
    assert result.exit_code == 0, result.stderr
    return store


@pytest.fixture
def unchanged(hostile, snapshot):
    """Fails the test if the store changed while it ran."""
    before = snapshot(hostile)
    yield hostile
    assert snapshot(hostile) == before, "the store changed"


def cmd(store: Path, *args: str):
    return invoke("--store", str(store), *args)


# -- names a person types -----------------------------------------------------------------------

QUESTION_FORMS = ["who partners with {}", "which licences does {} hold", "how is {} connected to BT",
                  "path from BT to {}", "who owns {}", "what do we know about {}", "which carriers operate in {}",
                  "who regulates {}", "{}"]


@pytest.mark.parametrize("form", QUESTION_FORMS)
def test_ask_with_typed_names(unchanged, clean_outcome, form):
    for name in TYPED if form in QUESTION_FORMS[:2] else SAMPLE:
        result = cmd(unchanged, "ask", form.format(name))
        clean_outcome(result, allow_ok=False, where=name)


@pytest.mark.parametrize("command", [
    ["show", "{}"], ["partners", "{}"], ["path", "{}", "BT"], ["path", "BT", "{}"], ["path", "{}", "{}"],
    ["map", "--focus", "{}", "-o", "-"], ["map", "--path", "BT", "{}", "-o", "-"],
    ["central", "--type", "{}"], ["map", "--type", "{}", "-o", "-"],
    ["show", "{}", "--format", "json"], ["partners", "{}", "--format", "csv"],
])
def test_commands_with_typed_names(unchanged, clean_outcome, command):
    for name in TYPED if command[0] in ("show", "partners") and len(command) == 2 else SAMPLE:
        result = cmd(unchanged, *[a.format(name) for a in command])
        # an empty --type is no filter (an answer); every other name here is wrong
        clean_outcome(result, allow_ok="--type" in command and not name.strip(), where=name)
        if result.exit_code:
            assert result.stdout == "", (name, result.stdout[:200])


def test_typed_names_in_options_that_take_text(unchanged, clean_outcome):
    for name in SAMPLE:
        for args in (["partners", "BT", "--as-of", name], ["partners", "BT", "--relation", name],
                     ["ask", "who partners with BT", "--relation", name], ["central", "--measure", name]):
            result = cmd(unchanged, *args)
            if args[-2] == "--measure":  # a typer choice: a usage error, exit 2, no traceback
                assert result.exit_code == 2 and "Traceback" not in result.stderr
                continue
            clean_outcome(result, allow_ok=not name.strip(), where=(args, name))  # empty: no filter


def test_a_typed_title_for_the_map_is_kept_as_text(unchanged, tmp_path):
    for name in ["<script>alert(1)</script>", '" } DROP ALL ; #', "中国电信 📡", "[bold]x[/bold]"]:
        out = tmp_path / "m.html"
        result = cmd(unchanged, "map", "--focus", HUB, "--title", name, "-o", str(out))
        assert result.exit_code == 0, result.stderr
        assert "<script>alert(1)" not in out.read_text(encoding="utf-8")


def sparql_literal(text: str) -> str:
    return str(ox.Literal(text))


def test_sparql_file_with_names_in_literals(unchanged, clean_outcome, tmp_path):
    """A query file whose literals hold the labels (correctly escaped) finds each organisation."""
    for i, label in enumerate(LABELS):
        query = tmp_path / "q.rq"
        query.write_text(f"SELECT ?o WHERE {{ ?o skos:prefLabel {sparql_literal(label)} }}\n", encoding="utf-8")
        result = cmd(unchanged, "sparql", f"@{query}", "--format", "json", "--timeout", "0")
        assert result.exit_code == 0, (label, result.stderr)
        bindings = json.loads(result.stdout)["results"]["bindings"]
        assert [b["o"]["value"] for b in bindings] == [org_of(i)]


def test_sparql_file_with_names_pasted_raw_is_invalid_sparql_not_an_update(unchanged, clean_outcome, tmp_path):
    """Names pasted into a query without escaping break the query; they never run as an update."""
    for name in ['" } DROP ALL ; #', "'} ; DELETE WHERE { ?s ?p ?o } #", '"} ; INSERT DATA { <a:b> <a:c> "d" } #',
                 'x" . } CLEAR ALL #', "line\nbreak\"", "\\"]:
        query = tmp_path / "q.rq"
        query.write_text(f'SELECT ?o WHERE {{ ?o skos:prefLabel "{name}" }}\n', encoding="utf-8")
        result = cmd(unchanged, "sparql", f"@{query}")
        clean_outcome(result)
    # an update given to the query command is refused
    for update in ["DROP ALL", "INSERT DATA { <a:b> <a:c> <a:d> }", "DELETE WHERE { ?s ?p ?o }", "CLEAR DEFAULT"]:
        result = cmd(unchanged, "sparql", update)
        clean_outcome(result, allow_ok=False, where=name)


def test_sparql_query_files_with_hostile_paths(unchanged, clean_outcome):
    for name in TYPED:
        if "\x00" in name or "\udcff" in name:
            continue  # not a file name the OS takes; covered by the typed-name tests above
        result = cmd(unchanged, "sparql", "@" + name)
        clean_outcome(result, allow_ok=False, where=name)


# -- extract and ingest ---------------------------------------------------------------------------

ARTICLE = ('中国电信测试 has acquired Мегафон Тест for $2 billion. "Quote Q Telecom" and O\'Brien Mobile '
           "signed a partnership agreement. <script>alert(1)</script> SELECT * WHERE { ?s ?p ?o } DROP ALL ; # "
           "📡 Emoji Telecom 🚀 teamed up with Back\\slash Mobile.\n")


def test_extract_reads_hostile_text_and_keeps_evidence_exact(unchanged, tmp_path):
    article = tmp_path / "article.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    result = cmd(unchanged, "extract", str(article), "--format", "json")
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    for r in doc["relations"]:
        ev = r["evidence"]
        assert ARTICLE[ev["start"]:ev["end"]] == ev["text"]
    result = cmd(unchanged, "extract", str(article))
    assert result.exit_code == 0 and "Traceback" not in result.stderr


def test_extract_with_hostile_file_names(unchanged, clean_outcome, tmp_path):
    for name in TYPED:
        if "\x00" in name or "\udcff" in name or name in ("-", "", "   ", "\n"):
            continue
        result = cmd(unchanged, "extract", str(tmp_path / name.replace("/", "_")))
        clean_outcome(result, allow_ok=False, where=name)
    # a real file with a hostile name is read
    weird = tmp_path / 'a "b" {c} \\ [bold]d[\\x] 中国 📡.txt'
    weird.write_text("Northwind Telecom has acquired Southwind Mobile for $2 billion.\n", encoding="utf-8")
    result = cmd(unchanged, "extract", str(weird), "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["source"]["file_name"] == weird.name


def _ingest_registered() -> bool:
    return any((c.name or getattr(c.callback, "__name__", "")) in ("ingest", "ingest_command")
               for c in app.registered_commands)


needs_ingest = pytest.mark.skipif(not _ingest_registered(), reason="carrierkg ingest is not registered in cli/main.py")


@needs_ingest
def test_ingest_keeps_hostile_metadata_intact(store_copy, clean_outcome, tmp_path):
    store = store_copy()
    article = tmp_path / "article.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    title, publisher = '<script>alert(1)</script> "} DROP ALL ; #', "Мегафон 中国 📡 [bold]x[/]"
    result = cmd(store, "ingest", "--yes", str(article), "--title", title, "--publisher", publisher,
                 "--format", "json")
    clean_outcome(result)
    assert result.exit_code == 0, result.stderr
    sources = json.loads(cmd(store, "sources", "--format", "json").stdout)
    mine = [s for s in sources if s["title"] == title]
    assert len(mine) == 1 and mine[0]["publisher"] == publisher


@needs_ingest
def test_ingest_refuses_hostile_options_and_leaves_the_store_unchanged(store_copy, snapshot, clean_outcome,
                                                                        tmp_path):
    store = store_copy()
    article = tmp_path / "article.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    before = snapshot(store)
    for args in (["--date", "<script>"], ["--date", '" } DROP ALL ; #'], ["--url", "javascript:alert(1)"],
                 ["--url", 'http://x"> } DROP ALL {'], ["--date", "2024-13-45"]):
        result = cmd(store, "ingest", "--yes", str(article), *args)
        clean_outcome(result, allow_ok=False, where=args)
    for name in TYPED:
        if "\x00" in name or "\udcff" in name or name in ("", "-"):
            continue
        result = cmd(store, "ingest", "--yes", str(tmp_path / name.replace("/", "_")))
        clean_outcome(result, allow_ok=False, where=name)
    assert snapshot(store) == before


# -- names the data holds -------------------------------------------------------------------------

def test_the_hostile_source_loaded_exactly(unchanged, snapshot):
    from carrierkg.graph.store import open_store

    kg = open_store(unchanged, read_only=True)
    try:
        assert kg.count_quads(SOURCE) == len(hostile_quads())
        rows = kg.select("SELECT ?o ?l WHERE { GRAPH ?g { ?o skos:prefLabel ?l } }", {"g": ox.NamedNode(SOURCE)})
        assert {r["l"].value for r in rows} == {*LABELS, HUB}
    finally:
        kg.close()


def test_show_finds_each_label_and_json_round_trips(unchanged):
    for i, label in enumerate(LABELS):
        result = cmd(unchanged, "show", label, "--format", "json")
        assert result.exit_code == 0, (label, result.stderr)
        doc = json.loads(result.stdout)
        assert doc["organisation"]["label"] == label
        assert doc["organisation"]["iri"] == org_of(i)
        assert [r["counterpart"] for r in doc["rows"]] == [HUB]


def test_show_and_partners_tables_print_the_label_as_it_is(unchanged):
    for label in LABELS:
        if "\n" in label or len(label) > 100:
            continue  # a table folds these over lines; JSON carries them exactly (above)
        result = cmd(unchanged, "show", label)
        assert result.exit_code == 0, (label, result.stderr)
        assert result.stdout.splitlines()[0].startswith(label + " (Carrier)")
        result = cmd(unchanged, "partners", label)
        assert result.exit_code == 0, (label, result.stderr)
        assert f"Partners of {label}" in result.stdout
        assert TITLE in result.stdout  # the source, listed below the table


def test_partners_of_the_hub_lists_every_label_exactly(unchanged):
    result = cmd(unchanged, "partners", HUB, "--format", "json")
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert sorted(r["partner"] for r in doc["rows"]) == sorted(LABELS)
    assert {s["title"] for r in doc["rows"] for s in r["sources"]} == {TITLE}
    table = cmd(unchanged, "partners", HUB).stdout
    for label in LABELS:
        if "\n" not in label and len(label) < 60:
            assert f"│ {label} " in table, label
    csv_out = cmd(unchanged, "partners", HUB, "--format", "csv").stdout
    import csv
    import io

    assert sorted(r["partner"] for r in csv.DictReader(io.StringIO(csv_out))) == sorted(LABELS)


def test_ask_finds_hostile_labels(unchanged):
    result = cmd(unchanged, "ask", f"who partners with {HUB}", "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert sorted(r["partner"] for r in json.loads(result.stdout)["rows"]) == sorted(LABELS)
    for label in LABELS:
        if "\n" in label:
            continue
        result = cmd(unchanged, "ask", f"who partners with {label}", "--format", "json")
        assert result.exit_code == 0, (label, result.stderr)
        doc = json.loads(result.stdout)
        assert [r["partner"] for r in doc["rows"]] == [HUB], label
        assert doc["question"] == f"who partners with {label}"


def test_path_between_hostile_labels(unchanged):
    for i in range(len(LABELS) - 1):
        a, b = LABELS[i], LABELS[i + 1]
        result = cmd(unchanged, "path", a, b, "--format", "json")
        assert result.exit_code == 0, (a, b, result.stderr)
        doc = json.loads(result.stdout)
        assert (doc["from"]["label"], doc["to"]["label"], doc["connected"]) == (a, b, True)
        assert [(r["from"], r["to"]) for r in doc["rows"]] == [(a, HUB), (HUB, b)]
        if "\n" not in a + b and len(a + b) < 60:
            table = cmd(unchanged, "path", a, b).stdout
            assert table.splitlines()[0] == f"{a} is connected to {b} in 2 hops."


def _json_strings(html: str, key: str) -> set[str]:
    return {json.loads(f'"{m}"') for m in re.findall(rf'"{key}":\s*"((?:[^"\\]|\\.)*)"', html)}


def test_map_draws_every_label_escaped(unchanged, tmp_path):
    out = tmp_path / "hub.html"
    result = cmd(unchanged, "map", "--focus", HUB, "-o", str(out))
    assert result.exit_code == 0, result.stderr
    html = out.read_text(encoding="utf-8")
    assert set(LABELS) <= _json_strings(html, "label")
    assert "<script>alert(1)" not in html and "<script>x</script>" not in html
    for label in LABELS[:3]:
        result = cmd(unchanged, "map", "--path", label, LABELS[-1], "-o", "-")
        assert result.exit_code == 0, result.stderr
        assert {label, LABELS[-1], HUB} <= _json_strings(result.stdout, "label")
