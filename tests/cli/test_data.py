"""load, validate, sparql, export, stats, sources: the real app, exit codes and exact lines."""

from __future__ import annotations

import json

import pytest

from carrierkg.ontology.namespaces import source_iri


def count(cli, store) -> str:
    result = cli("--store", str(store), "sparql", "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }",
                 "--format", "csv")
    assert result.exit_code == 0, result.output
    return result.stdout


def test_load_then_query(cli, disk_store, files):
    result = cli("--store", str(disk_store), "load", str(files / "northwind.trig"))
    assert result.exit_code == 0, result.output
    assert "Loaded" in result.stderr and "1 named graph" in result.stderr
    result = cli("--store", str(disk_store), "sparql",
                 "SELECT ?name WHERE { ?c a ckg:Carrier ; skos:prefLabel ?name } ORDER BY ?name", "-f", "csv")
    assert "Northwind Telecom" in result.stdout.splitlines()
    assert "China Telecom" in result.stdout.splitlines()


@pytest.mark.parametrize(
    ("name", "line"),
    [
        ("broken-syntax.ttl", "Error: {files}/broken-syntax.ttl:4: "),
        ("missing.trig", "Error: {files}/missing.trig: no such file"),
        ("licence-issuer-not-regulator.trig",
         "Error: {files}/licence-issuer-not-regulator.trig does not conform to the shapes: "),
    ],
)
def test_load_errors_are_one_line_and_change_nothing(cli, disk_store, files, name, line):
    before = count(cli, disk_store)
    result = cli("--store", str(disk_store), "load", str(files / "northwind.trig"), str(files / name))
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(line.format(files=files)), lines[0]
    assert "Traceback" not in result.output
    assert count(cli, disk_store) == before


def test_unknown_format(cli, tmp_path):
    (tmp_path / "deals.yaml").write_text("a: b\n")
    result = cli("--store", "memory", "load", str(tmp_path / "deals.yaml"))
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: {tmp_path}/deals.yaml: cannot tell the format")


def test_sparql_select_formats(cli):
    q = "SELECT ?name WHERE { ?c a ckg:Carrier ; skos:prefLabel ?name } ORDER BY ?name"
    table = cli("--store", "memory", "sparql", q)
    assert table.exit_code == 0 and "AT&T" in table.stdout
    as_json = json.loads(cli("--store", "memory", "sparql", q, "--format", "json").stdout)
    names = [b["name"]["value"] for b in as_json["results"]["bindings"]]
    assert "China Telecom" in names and names == sorted(names)
    as_csv = cli("--store", "memory", "sparql", q, "--format", "csv").stdout.splitlines()
    assert as_csv[0] == "name" and "AT&T" in as_csv


def test_sparql_ask_construct_and_file(cli, tmp_path):
    assert cli("--store", "memory", "sparql", "ASK { ?d a ckg:InfrastructureSharingDeal }").stdout == "true\n"
    assert cli("--store", "memory", "sparql", "ASK { ?d a ckg:Carrier ; skos:prefLabel 'Nope' }").stdout == "false\n"
    out = cli("--store", "memory", "sparql",
              "CONSTRUCT { ?c skos:prefLabel ?n } WHERE { ?c a ckg:Carrier ; skos:prefLabel ?n }").stdout
    assert "skos:prefLabel" in out and '"China Telecom"' in out
    (tmp_path / "q.rq").write_text("SELECT (COUNT(*) AS ?n) WHERE { ?s a ckg:Source }")
    result = cli("--store", "memory", "sparql", f"@{tmp_path}/q.rq", "-f", "csv")
    assert result.exit_code == 0 and int(result.stdout.splitlines()[1]) >= 5


def test_sparql_errors(cli, tmp_path):
    result = cli("--store", "memory", "sparql", "SELECT ?x WHERE { ?x ?y }")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: invalid SPARQL: ")
    assert len(result.stderr.strip().splitlines()) == 1
    result = cli("--store", "memory", "sparql", f"@{tmp_path}/none.rq")
    assert result.exit_code == 1 and result.stderr == f"Error: {tmp_path}/none.rq: no such query file\n"


def test_validate_store_and_files(cli, files):
    result = cli("--store", "memory", "validate")
    assert result.exit_code == 0, result.output
    assert "conforms" in result.stdout
    result = cli("--store", "memory", "validate", str(files / "licence-issuer-not-regulator.trig"))
    assert result.exit_code == 1
    assert "violation" in result.stdout
    assert "regulator" in result.stdout.lower()
    assert result.stderr.startswith("Error: 1 of 1 target(s) do not conform")


def test_export_formats(cli, tmp_path):
    result = cli("--store", "memory", "export", "--format", "nquads")
    assert result.exit_code == 0
    assert source_iri("004_110dc85f55a30326") in result.stdout
    out = tmp_path / "all.trig"
    result = cli("--store", "memory", "export", "--format", "trig", "-o", str(out))
    assert result.exit_code == 0 and out.read_text().startswith("@prefix")
    result = cli("--store", "memory", "export", "--format", "docx")
    assert result.exit_code == 1 and result.stderr.startswith("Error: unknown format 'docx'")
    result = cli("--store", "memory", "export", "-o", str(tmp_path / "no" / "such" / "dir.trig"))
    assert result.exit_code == 1 and "does not exist" in result.stderr


def test_stats_and_sources(cli):
    stats = json.loads(cli("--store", "memory", "stats", "--format", "json").stdout)
    assert stats["quads"] > 100 and stats["graphs"] >= 6
    assert stats["classes"]["https://w3id.org/carrierkg/ontology#Carrier"] >= 5
    sources = json.loads(cli("--store", "memory", "sources", "--format", "json").stdout)
    by_iri = {s["source"]: s for s in sources}
    att = by_iri[source_iri("004_110dc85f55a30326")]
    assert att["title"] == "AT&T, China Telecom to share infrastructure" and att["facts"] >= 4
    table = cli("--store", "memory", "sources").stdout
    assert "BT scores telecommunications licenses in China" in table


def test_triples_that_belong_to_no_source_are_refused(cli, disk_store, tmp_path):
    orphan = tmp_path / "orphan.ttl"
    orphan.write_text(
        "@prefix ckg: <https://w3id.org/carrierkg/ontology#> .\n"
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        '<https://w3id.org/carrierkg/id/org/orphan-telecom> a ckg:Carrier ; skos:prefLabel "Orphan Telecom" .\n')
    before = count(cli, disk_store)
    result = cli("--store", str(disk_store), "load", str(orphan))
    assert result.exit_code == 1
    assert result.stderr == (f"Error: {orphan}: 2 triple(s) belong to no source; describe the source in the file "
                             "(a ckg:Source, whose IRI names its graph) or give the graph with --graph IRI\n")
    assert count(cli, disk_store) == before
    graph = "https://w3id.org/carrierkg/id/source/my-notes"
    result = cli("--store", str(disk_store), "load", str(orphan), "--graph", graph)
    assert result.exit_code == 0, result.output
    query = "ASK { GRAPH <" + graph + "> { ?o skos:prefLabel 'Orphan Telecom' } }"
    assert cli("--store", str(disk_store), "sparql", query).stdout == "true\n"
