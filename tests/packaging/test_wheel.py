"""`pip install .` ships the ontology, shapes, queries and bundled data, and works from anywhere."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation", "-w", str(out),
         str(REPO)],
        check=True, capture_output=True, cwd=out,
    )
    return next(out.glob("carrierkg-*.whl"))


def test_wheel_holds_every_package_and_data_file(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for required in [
        "carrierkg/ontology/carrierkg.ttl",
        "carrierkg/ontology/shapes.ttl",
        "carrierkg/ontology/vocabularies.ttl",
        "carrierkg/ontology/namespaces.py",
        "carrierkg/graph/store.py",
        "carrierkg/cli/main.py",
        "carrierkg/ingest/__init__.py",
        "carrierkg/data/reference/reference.trig",
        "carrierkg/data/sources/004_110dc85f55a30326.trig",
    ]:
        assert required in names, required
    assert not any(n.startswith(("tests/", "carrierkg/tests")) for n in names)
    # every query file of the source tree ships
    for rq in (REPO / "graph" / "queries").glob("*.rq"):
        assert f"carrierkg/graph/queries/{rq.name}" in names


def test_installed_wheel_works_from_another_directory(wheel, tmp_path):
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    deps = sysconfig.get_paths()["purelib"]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(site), deps]), "CARRIERKG_STORE": str(tmp_path / "s")}
    code = (
        "import carrierkg.ontology, carrierkg.graph.store as s, sys;"
        "assert carrierkg.ontology.__file__.startswith(sys.argv[1]), carrierkg.ontology.__file__;"
        "kg = s.open_store('memory');"
        "print(kg.ask('ASK { ?c skos:prefLabel \"China Telecom\" }'))"
    )
    # -S: no site-packages .pth files, so the editable install of the work tree cannot answer
    result = subprocess.run([sys.executable, "-S", "-c", code, str(site)], capture_output=True, text=True,
                            cwd=tmp_path, env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True"
