"""ask, show, partners, path, central, communities: the real app, exit codes and exact lines."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

M = ("--store", "memory")


def test_ask_partners_of_china_telecom(cli):
    result = cli(*M, "ask", "who partners with China Telecom")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "AT&T" in out and "shares infrastructure with" in out and "formed a joint venture with" in out
    assert "Shanghai Symphony Telecommunications" in out
    assert "Sources:" in out and "[1] AT&T, China Telecom to share infrastructure" in out


def test_ask_json_has_iris_and_sources(cli):
    result = cli(*M, "ask", "who partners with China Telecom", "--format", "json")
    assert result.exit_code == 0
    doc = json.loads(result.stdout)
    assert doc["form"] == "partners"
    row = doc["rows"][0]
    assert row["partner"] == "AT&T" and row["partner_iri"] == "https://w3id.org/carrierkg/id/org/at-t"
    assert row["organisation_iri"] == "https://w3id.org/carrierkg/id/org/china-telecom"
    assert row["sources"][0]["iri"].startswith("https://w3id.org/carrierkg/id/source/")
    assert set(row["sources"][0]) == {"iri", "title", "url"}


def test_ask_csv(cli):
    result = cli(*M, "ask", "which licences does BT hold", "--format", "csv")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].startswith("licence,issuer,jurisdiction,scope,held_by")
    assert len(lines) == 3 and "issuer_iri" in lines[0] and lines[0].endswith("sources")


def test_ask_licences_of_bt(cli):
    result = cli(*M, "ask", "which licences does BT hold")
    assert result.exit_code == 0
    out = result.stdout
    assert "Nationwide domestic IP-VPN licence" in out and "Nationwide ISP licence" in out
    assert "nationwide" in out and "subsidiary" in out
    csv_out = cli(*M, "ask", "which licences does BT hold", "-f", "csv").stdout
    assert csv_out.count("BT; BT China Communications Limited (subsidiary of BT)") == 2
    assert "China Approves BT for Domestic IP-VPN and Internet Service" in out
    assert "BT scores telecommunications licenses in China" in out


def test_ask_sparql(cli):
    result = cli(*M, "ask", "which licences does BT hold", "--sparql")
    assert result.exit_code == 0
    assert "SPARQL:" in result.stdout and "ckg:licensee ?holder" in result.stdout
    doc = json.loads(cli(*M, "ask", "who owns EE", "--sparql", "-f", "json").stdout)
    assert "VALUES ?org" in doc["sparql"]


def test_ask_unknown_name(cli):
    result = cli(*M, "ask", "who partners with Chna Telecom")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == "Error: no organisation named 'Chna Telecom'. Did you mean: China Telecom?"
    assert result.stdout == ""


def test_ask_ambiguous_name(cli, monkeypatch):
    import carrierkg.cli.common as common
    from carrierkg.graph.fixtures import example_kg

    kg = example_kg()
    monkeypatch.setattr(common.state, "_kg", kg, raising=False)
    monkeypatch.setattr(common.state, "reset", lambda: None)
    result = cli(*M, "partners", "Nova")
    assert result.exit_code == 1
    assert result.stderr.strip() == ("Error: 'Nova' could be more than one organisation: Nova Telecom Finland "
                                     "(Carrier, Finland), Nova Telecom Sweden (Carrier, Sweden). Be more specific.")


def test_ask_unmappable_lists_the_forms(cli):
    result = cli(*M, "ask", "why is the sky blue")
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[0] == "Questions I understand:"
    assert any(line.strip().startswith("partners:") for line in lines)
    assert lines[-1] == ("Error: cannot map 'why is the sky blue' onto a question I know; "
                         "try one of the forms listed above (carrierkg ask --help)")


def test_as_of_hides_relationships_that_start_later(cli, monkeypatch):
    import carrierkg.cli.common as common
    from carrierkg.graph.fixtures import example_kg

    monkeypatch.setattr(common.state, "_kg", example_kg(), raising=False)
    monkeypatch.setattr(common.state, "reset", lambda: None)
    result = cli(*M, "partners", "Delta Wireless", "-f", "json")
    assert [r["partner"] for r in json.loads(result.stdout)["rows"]] == ["Cobalt Networks"]
    result = cli(*M, "partners", "Delta Wireless", "--as-of", "2022", "-f", "json")
    assert json.loads(result.stdout)["rows"] == []
    result = cli(*M, "ask", "who partners with Delta Wireless", "--as-of", "2022")
    assert result.exit_code == 0 and "Cobalt" not in result.stdout
    result = cli(*M, "path", "Delta Wireless", "Aurora Telecom", "--as-of", "2020")
    assert result.exit_code == 0
    assert result.stderr.strip() == "No connection between Delta Wireless and Aurora Telecom as of 2020."


def test_bad_as_of_and_relation(cli):
    result = cli(*M, "partners", "BT", "--as-of", "someday")
    assert result.exit_code == 1
    assert result.stderr.strip() == "Error: not a date: 'someday' (use YYYY, YYYY-MM or YYYY-MM-DD)"
    result = cli(*M, "partners", "BT", "--relation", "friendship")
    assert result.exit_code == 1 and result.stderr.startswith("Error: unknown relation type 'friendship'")


def test_show(cli):
    result = cli(*M, "show", "British Telecom")
    assert result.exit_code == 0
    out = result.stdout
    assert out.startswith("BT (Carrier)\n")
    assert "Country: United Kingdom" in out and "Also known as: BT Group, British Telecom" in out
    assert "acquired" in out and "EE" in out and "Huawei" in out
    doc = json.loads(cli(*M, "show", "BT", "-f", "json").stdout)
    assert doc["organisation"]["iri"] == "https://w3id.org/carrierkg/id/org/bt"
    assert all(r["sources"] for r in doc["rows"])


def test_partners(cli):
    result = cli(*M, "partners", "AT&T", "--relation", "partnership", "-f", "json")
    assert result.exit_code == 0
    rows = json.loads(result.stdout)["rows"]
    assert sorted(r["partner"] for r in rows) == ["América Movil", "China Telecom"]
    assert {r["relation"] for r in rows} == {"partnership"}


def test_path_explains_hops(cli):
    result = cli(*M, "path", "BT", "China Telecom")
    assert result.exit_code == 0
    out = result.stdout
    assert out.splitlines()[0].startswith("BT is connected to China Telecom in 2 hops")
    assert "operates in" in out and "Sources:" in out
    doc = json.loads(cli(*M, "path", "BT", "China Telecom", "-f", "json").stdout)
    assert doc["connected"] and doc["rows"][0]["from_iri"] == "https://w3id.org/carrierkg/id/org/bt"
    assert doc["rows"][-1]["to_iri"] == "https://w3id.org/carrierkg/id/org/china-telecom"
    assert all(h["sources"] for h in doc["rows"])


def test_path_all(cli):
    result = cli(*M, "path", "AT&T", "China Telecom", "--all", "--max-hops", "2", "-f", "json")
    assert result.exit_code == 0
    rows = json.loads(result.stdout)["rows"]
    assert rows[0]["path"] == 1 and rows[0]["hop"] == 1 and rows[0]["to"] == "China Telecom"
    assert max(r["path"] for r in rows) >= 2


def test_path_same_organisation(cli):
    result = cli(*M, "path", "BT", "British Telecom")
    assert result.exit_code == 1
    assert result.stderr.strip() == "Error: BT and BT are the same organisation"


@pytest.mark.parametrize("measure", ["degree", "betweenness", "pagerank", "eigenvector", "closeness"])
def test_central(cli, measure):
    result = cli(*M, "central", "--measure", measure, "--top", "3", "--type", "Carrier", "-f", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)["rows"]
    assert len(rows) == 3 and all(r["type"] == "Carrier" for r in rows)
    assert [r["rank"] for r in rows] == [1, 2, 3]


def test_central_table(cli):
    result = cli(*M, "central", "--top", "2")
    assert result.exit_code == 0 and "rank" in result.stdout and "score" in result.stdout


def test_communities(cli):
    result = cli(*M, "communities", "-f", "json")
    assert result.exit_code == 0
    groups = json.loads(result.stdout)["rows"]
    assert any({"AT&T", "China Telecom"} <= set(g["members"]) for g in groups)
    result = cli(*M, "communities", "--method", "greedy")
    assert result.exit_code == 0 and "members" in result.stdout


def test_ask_does_not_import_networkx_or_rdflib():
    code = (
        "import sys\n"
        "from carrierkg.cli.main import app\n"
        "try:\n"
        "    app(['--store', 'memory', 'ask', 'who partners with China Telecom'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = [m for m in ('rdflib', 'networkx', 'pyshacl') if m in sys.modules]\n"
        "print('HEAVY=' + ','.join(heavy), file=sys.stderr)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert "AT&T" in result.stdout
    assert "HEAVY=\n" in result.stderr, result.stderr
