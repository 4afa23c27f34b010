"""map: the real app writes the page, prints its path on stdout and a summary on stderr."""

from __future__ import annotations

import json
import re

M = ("--store", "memory")


def page_data(text: str) -> dict:
    m = re.search(r'<script type="application/json" id="ckg-data">(.*?)</script>', text, re.S)
    return json.loads(m.group(1))


def test_focus_map_prints_its_path(cli, tmp_path):
    out = tmp_path / "china-telecom-map.html"
    result = cli(*M, "map", "--focus", "China Telecom", "--depth", "2", "--output", str(out))
    assert result.exit_code == 0, result.output
    assert result.stdout == f"{out}\n"
    data = page_data(out.read_text(encoding="utf-8"))
    assert result.stderr == (f"Wrote {out}: {len(data['nodes'])} organisations, "
                             f"{len(data['edges'])} relationships\n")
    labels = {n["label"] for n in data["nodes"]}
    assert {"China Telecom", "AT&T", "Shanghai Symphony Telecommunications"} <= labels
    assert not list(tmp_path.glob(".*.tmp"))


def test_default_output_name(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = cli(*M, "map", "--focus", "China Telecom")
    assert result.exit_code == 0, result.output
    assert result.stdout == "china-telecom-map.html\n" and (tmp_path / "china-telecom-map.html").is_file()


def test_path_map_through_a_place_says_so(cli, tmp_path):
    out = tmp_path / "bt.html"
    result = cli(*M, "map", "--path", "BT", "China Telecom", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines()[1] == (
        "Highlighted: BT is connected to China Telecom in 2 hops (through a place both are tied to).")
    data = page_data(out.read_text(encoding="utf-8"))
    assert len(data["path"]) == 3 and data["path"][1].endswith("/country/CN")


def test_path_map_direct(cli, tmp_path):
    out = tmp_path / "att.html"
    result = cli(*M, "map", "--path", "AT&T", "America Movil", "--depth", "0", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert result.stderr == (f"Wrote {out}: 2 organisations, 1 relationship\n"
                             "Highlighted: AT&T is connected to América Movil in 1 hop.\n")


def test_filters_and_limit(cli, tmp_path):
    out = tmp_path / "m.html"
    result = cli(*M, "map", "--relation", "licence", "--type", "Carrier", "--type", "Regulator",
                 "--size-by", "pagerank", "--max-nodes", "3", "--title", "<Licences>", "-o", str(out))
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    data = page_data(text)
    assert {e["relation"] for e in data["edges"]} <= {"licence_grant"}
    assert {n["orgType"] for n in data["nodes"]} <= {"Carrier", "Regulator"}
    assert len(data["nodes"]) == 3 and data["omitted"]["organisations"] > 0
    lines = result.stderr.splitlines()
    assert lines[1].startswith(f"Left out {data['omitted']['organisations']} organisations and ")
    assert lines[1].endswith("(raise --max-nodes above 3 to draw more).")
    assert "<h1>&lt;Licences&gt;</h1>" in text


def test_html_to_stdout(cli):
    result = cli(*M, "map", "--focus", "AT&T", "-o", "-")
    assert result.exit_code == 0
    assert result.stdout.startswith("<!DOCTYPE html>") and result.stderr.startswith("Wrote stdout: ")


def test_errors_are_one_line(cli, tmp_path):
    cases = [
        (["--focus", "Chna Telecom"], "Error: no organisation named 'Chna Telecom'. Did you mean: China Telecom?"),
        (["--type", "Bank"], "Error: unknown organisation type 'Bank'; use one of: Carrier, Regulator, Vendor, "
                             "Company, JointVenture"),
        (["--as-of", "someday"], "Error: not a date: 'someday' (use YYYY, YYYY-MM or YYYY-MM-DD)"),
        (["-o", str(tmp_path / "missing" / "m.html")],
         f"Error: {tmp_path}/missing/m.html: the folder {tmp_path}/missing does not exist"),
    ]
    for args, line in cases:
        result = cli(*M, "map", *args)
        assert result.exit_code == 1, args
        assert result.stderr == line + "\n", result.stderr
        assert result.stdout == ""
