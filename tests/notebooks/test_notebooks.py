"""The notebooks: each runs top to bottom, uses only the public API, and is stored without outputs."""

from __future__ import annotations

import ast
import os
import sys
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
PATHS = sorted(NOTEBOOKS.glob("*.ipynb"))
CELL_TIMEOUT = 120  # seconds; every cell runs in a few


def _id(path: Path) -> str:
    return path.stem


def _code_cells(path: Path) -> list:
    return [c for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"]


def _execute(nb, *, path: Path = NOTEBOOKS):
    client = nbclient.NotebookClient(nb, kernel_name="python3", timeout=CELL_TIMEOUT,
                                     resources={"metadata": {"path": str(path)}})
    return client.execute()


@pytest.fixture
def kernel_env(monkeypatch):
    """The kernel inherits this environment: no GUI for matplotlib, no user store (see conftest)."""
    monkeypatch.setenv("MPLBACKEND", "Agg")
    monkeypatch.delenv("CARRIERKG_DEBUG", raising=False)
    return os.environ


def test_there_are_notebooks():
    assert [p.name for p in PATHS] == ["01_explore.ipynb", "02_grow_the_graph.ipynb"]


@pytest.mark.slow
def test_the_kernel_is_this_python(kernel_env):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        "import os, sys; print(sys.prefix); print(os.environ['MPLBACKEND'])")])
    out = _execute(nb).cells[0].outputs[0]["text"].split()
    assert out == [sys.prefix, "Agg"], \
        "the python3 kernel runs another Python; run: python -m ipykernel install --sys-prefix"


@pytest.mark.slow
@pytest.mark.parametrize("path", PATHS, ids=_id)
def test_notebook_runs_top_to_bottom(path, kernel_env):
    before = sorted(p.name for p in NOTEBOOKS.rglob("*"))
    nb = _execute(nbformat.read(path, as_version=4))  # raises CellExecutionError on any error
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert not errors
    assert sorted(p.name for p in NOTEBOOKS.rglob("*")) == before, "the notebook wrote files beside itself"
    assert not Path(os.environ["CARRIERKG_STORE"]).exists(), "the notebook opened the user's store"


@pytest.mark.parametrize("path", PATHS, ids=_id)
def test_notebook_is_stored_without_outputs(path):
    for cell in _code_cells(path):
        assert cell.outputs == [], f"{path.name}: a cell has outputs; strip them before committing"
        assert cell.execution_count is None, f"{path.name}: a cell has an execution count"
    nbformat.validate(nbformat.read(path, as_version=4))


@pytest.mark.parametrize("path", PATHS, ids=_id)
def test_notebook_uses_only_the_public_api(path):
    for cell in _code_cells(path):
        tree = ast.parse(cell.source)
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom | ast.Import):
                names = [node.module] if isinstance(node, ast.ImportFrom) else [a.name for a in node.names]
                for name in names:
                    if name and name.startswith("carrierkg"):
                        assert name in ("carrierkg.graph", "carrierkg.ingest"), f"{path.name} imports {name}"
            assert not isinstance(node, ast.FunctionDef | ast.ClassDef), \
                f"{path.name} defines {node.name}: library code belongs in the library"
