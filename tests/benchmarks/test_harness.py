"""The benchmark harness runs end to end on a tiny graph and writes its table."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_harness_runs_on_a_tiny_graph(tmp_path):
    env = {**os.environ, "CARRIERKG_BENCH_CACHE": str(tmp_path / "cache")}
    proc = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--size", "2k", "--runs", "1", "--timeout", "60",
         "--only", "load", "--only", "ask-typical", "--only", "projection", "--only", "projection-build",
         "--only", "help", "--only", "extract",
         "--results-dir", str(tmp_path / "results")],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    lines = [line for line in proc.stdout.splitlines() if line.startswith("| ")]
    assert lines[0].startswith("| measurement | what | carrierkg | baseline")
    names = [line.split("|")[1].strip() for line in lines[1:]]
    assert names == ["load", "ask-typical", "projection", "projection-build", "help", "extract"]
    projection = lines[3].split("|")
    assert projection[3].strip().endswith(("ms", " s")) and "median of 1" in projection[-2], lines[3]
    load = lines[1]
    assert " s |" in load or " ms |" in load
    results = (tmp_path / "results" / "RESULTS-2k.md").read_text()
    assert "## The machine" in results and "| load |" in results
