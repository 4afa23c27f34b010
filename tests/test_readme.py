"""Every command the README's tour shows runs, as shown, against a fresh store.

Files the examples name (article.txt, my-deals.trig, my-query.rq) are stand-ins we wrote;
commands that ask questions on a terminal (ingest and retract without --yes) run on a
pseudo-terminal and get their answers typed in; `serve` is started and stopped.
"""

from __future__ import annotations

import glob
import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
README = (REPO / "README.md").read_text(encoding="utf-8")
CARRIERKG = str(Path(sys.executable).with_name("carrierkg"))


def tour_commands() -> list[str]:
    tour = README[README.index("## A short tour"): README.index("## The data model")]
    commands = []
    for block in re.findall(r"```sh\n(.*?)```", tour, flags=re.S):
        block = block.replace("\\\n", " ")
        for line in block.splitlines():
            if line.startswith("carrierkg "):
                commands.append(line)
    return commands


COMMANDS = tour_commands()


def test_the_tour_shows_every_kind_of_command():
    shown = {shlex.split(c, comments=True)[1] for c in COMMANDS}
    for name in ["ask", "show", "partners", "path", "central", "communities", "map", "sparql", "serve",
                 "extract", "ingest", "retract", "stats", "sources", "load", "validate", "export"]:
        assert name in shown, name


@pytest.fixture(scope="module")
def workdir(tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("tour")
    articles = REPO / "tests" / "ingest" / "articles"
    shutil.copy(articles / "spectrum_award.txt", work / "article.txt")
    shutil.copy(articles / "tower_jv.txt", work / "second.txt")
    shutil.copy(REPO / "tests" / "files" / "northwind.trig", work / "my-deals.trig")
    (work / "my-query.rq").write_text("SELECT ?name WHERE { ?c a ckg:Carrier ; skos:prefLabel ?name } ORDER BY ?name\n")
    return work


def _env(workdir: Path) -> dict[str, str]:
    return {**os.environ, "CARRIERKG_STORE": str(workdir / "store"), "COLUMNS": "160"}


def _argv(line: str, workdir: Path) -> list[str]:
    args = shlex.split(line, comments=True)[1:]
    out: list[str] = []
    for a in args:
        matches = sorted(glob.glob(str(workdir / a))) if "*" in a else []
        out.extend(matches or [a])
    return [CARRIERKG, *out]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _run_on_terminal(argv: list[str], workdir: Path, answers: str) -> tuple[int, str]:
    primary, secondary = os.openpty()
    proc = subprocess.Popen(argv, cwd=workdir, env=_env(workdir), stdin=secondary, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT)
    os.close(secondary)
    try:
        for ch in answers:
            os.write(primary, ch.encode())
        out, _ = proc.communicate(timeout=120)
    finally:
        os.close(primary)
        if proc.poll() is None:
            proc.kill()
    return proc.returncode, out.decode()


def _serve(argv: list[str], workdir: Path) -> tuple[int, str]:
    port = _free_port()
    proc = subprocess.Popen([*argv, "--port", str(port)], cwd=workdir, env=_env(workdir),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if proc.poll() is not None:
                    break
                time.sleep(0.2)
        alive = proc.poll() is None
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    return (0 if alive and proc.returncode == 0 else 1), proc.stderr.read().decode()


@pytest.mark.slow
def test_every_tour_command_runs_as_shown(workdir):
    failures = []
    for line in COMMANDS:
        argv = _argv(line, workdir)
        name = argv[1]
        if name == "serve":
            code, out = _serve(argv, workdir)
        elif name in ("ingest", "retract") and "--yes" not in argv:
            code, out = _run_on_terminal(argv, workdir, "a\n" if name == "ingest" else "y\n")
        else:
            result = subprocess.run(argv, cwd=workdir, env=_env(workdir), capture_output=True, text=True,
                                    timeout=180)
            code, out = result.returncode, result.stdout + result.stderr
        if code != 0 or "Traceback" in out:
            failures.append(f"{line}\n  exit {code}: {out.strip()[-400:]}")
    assert not failures, "README commands that fail:\n" + "\n".join(failures)


def test_every_python_example_runs(tmp_path):
    blocks = re.findall(r"```python\n(.*?)```", README, flags=re.S)
    assert blocks, "the README shows no Python"
    for code in blocks:
        result = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True,
                                env={**os.environ, "CARRIERKG_STORE": str(tmp_path / "store")}, timeout=120)
        assert result.returncode == 0, f"{code}\n{result.stderr[-1000:]}"


def _scaling_out_blocks() -> list[list[str]]:
    section = README[README.index("## Scaling out"):]
    return [[line for line in block.replace("\\\n", " ").splitlines() if line.strip()]
            for block in re.findall(r"```sh\n(.*?)```", section, flags=re.S)]


def _start(argv: list[str], workdir: Path, port: int) -> subprocess.Popen:
    proc = subprocess.Popen(argv, cwd=workdir, env=_env(workdir), stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return proc
        except OSError:
            if proc.poll() is not None:
                raise AssertionError(f"{argv} ended: {proc.stderr.read().decode()[-500:]}") from None
            time.sleep(0.2)
    proc.kill()
    raise AssertionError(f"{argv} did not listen on {port}")


def _stop(proc: subprocess.Popen) -> None:
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@pytest.mark.slow
@pytest.mark.server
def test_scaling_out_commands_run_as_shown(workdir):
    """The servers the section starts listen on free ports in place of 7878 and 8080."""
    ports = {"7878": str(_free_port()), "8080": str(_free_port())}
    servers: list[subprocess.Popen] = []
    ran = []
    try:
        for block in _scaling_out_blocks():
            for line in block:
                for fixed, free in ports.items():
                    line = line.replace(fixed, free)
                if line.startswith("export "):
                    continue  # shell configuration, not a command
                args = shlex.split(line, comments=True)
                if args[0] == "carrierkg" and args[1] == "serve":
                    port = int(args[args.index("--port") + 1]) if "--port" in args else int(ports["7878"])
                    argv = [CARRIERKG, *args[1:]] + ([] if "--port" in args else ["--port", str(port)])
                    if port == int(ports["7878"]):
                        servers.append(_start(argv, workdir, port))   # queried by the lines after it
                    else:
                        _stop(_start(argv, workdir, port))
                elif args[0] == "oxigraph":
                    for s in servers:
                        _stop(s)
                    servers.clear()
                    argv = [str(Path(sys.executable).with_name("oxigraph")), *args[1:]]
                    servers.append(_start(argv, workdir, int(ports["7878"])))
                else:
                    argv = [CARRIERKG, *args[1:]] if args[0] == "carrierkg" else args
                    result = subprocess.run(argv, cwd=workdir, env=_env(workdir), capture_output=True, text=True,
                                            timeout=120)
                    assert result.returncode == 0, f"{line}\n{result.stderr[-800:]}"
                    ran.append((line, result.stdout))
    finally:
        for s in servers:
            _stop(s)
    outputs = dict(ran)
    curl = next(out for line, out in ran if line.startswith("curl"))
    assert sorted(curl.splitlines()[0].split(",")) == ["o", "p", "s"] and len(curl.splitlines()) == 6
    ask = next(out for line, out in outputs.items() if " ask " in line)
    assert "AT&T" in ask
