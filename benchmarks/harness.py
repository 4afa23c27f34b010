"""The measurements of ``make bench``: carrierkg against a baseline measured in the same run.

CLI commands are timed as whole processes (the venv's ``carrierkg`` against a store built from
the generated N-Quads), the median of ``runs`` runs after one warm-up run; library calls are
timed in-process. Baselines: rdflib in memory (parse the data, run the same SPARQL),
``rdflib_to_networkx_multidigraph`` for the projection, plain networkx for the algorithms and
pyvis's ``from_nx`` for the map. Expensive baselines (the rdflib parse, the naive projection)
are measured once per run and reused.
"""

from __future__ import annotations

import contextlib
import gc
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.generate import Generated

BIN = Path(sys.executable).parent
CARRIERKG = str(BIN / "carrierkg")

#: Targets from issue 7 (seconds, or MB for memory), on the 1M-triple graph unless noted.
TARGETS: dict[str, float] = {
    "load": 10.0, "ask-busiest": 0.35, "ask-typical": 0.15, "path": 0.6, "projection": 1.5,
    "pagerank": 1.0, "betweenness": 2.0, "map": 1.0, "help": 0.15, "memory": 300.0,
}

PARTNERS_QUERY = """
PREFIX ckg: <https://w3id.org/carrierkg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT DISTINCT ?partner ?name ?source WHERE {
  ?org skos:prefLabel|skos:altLabel ?label .
  ?rel a ckg:Partnership ; ckg:party ?org, ?partner ; ckg:source ?source .
  FILTER(?partner != ?org)
  ?partner skos:prefLabel ?name .
}"""


@dataclass
class Result:
    name: str
    what: str
    ours: float | None = None  # seconds (MB for memory)
    baseline: float | None = None
    baseline_what: str = ""
    note: str = ""
    unit: str = "s"
    runs: list[float] = field(default_factory=list)

    def __post_init__(self):
        if self.name == "memory":
            self.unit = "MB"

    @property
    def target(self) -> float | None:
        return TARGETS.get(self.name)

    def verdict(self, size: int) -> str:
        if self.ours is None or self.target is None:
            return ""
        scope = 100_000 if self.name == "betweenness" else 1_000_000
        ok = "pass" if self.ours <= self.target else "FAIL"
        return ok if size >= scope * 0.9 else f"{ok} (target is for {scope // 1000}k)"


class Bench:
    """One benchmark run over one generated file."""

    def __init__(self, data: Generated, *, runs: int = 5, only: set[str] | None = None, workdir: Path,
                 timeout: float = 300.0, log: Callable[[str], None] | None = None):
        self.data = data
        self.meta = data.meta
        self.size = int(self.meta["size"])
        self.runs = runs
        self.only = only
        self.workdir = workdir
        self.timeout = timeout
        self.log = log or (lambda m: print(m, file=sys.stderr, flush=True))
        self.store = workdir / "store"
        self.results: list[Result] = []
        self._rdflib = None
        self._rdflib_parse: float | None = None
        self._rdflib_rss: float | None = None
        self._naive = None
        self._naive_time: float | None = None
        self._commands: dict[str, bool] = {}
        self.env = {**os.environ, "CARRIERKG_STORE": str(self.store), "COLUMNS": "120",
                    "XDG_DATA_HOME": str(workdir / "xdg")}
        self.env.pop("CARRIERKG_DEBUG", None)
        # Python as users run it: the warm-up run compiles carrierkg's modules once and later runs
        # read the bytecode (pip compiles it at install time; an editable install on first use)
        self.env.pop("PYTHONDONTWRITEBYTECODE", None)

    # -- helpers --------------------------------------------------------------------------
    def wanted(self, name: str) -> bool:
        return self.only is None or name in self.only

    def has_command(self, name: str) -> bool:
        if name not in self._commands:
            p = subprocess.run([CARRIERKG, name, "--help"], capture_output=True, env=self.env, timeout=60)
            self._commands[name] = p.returncode == 0
        return self._commands[name]

    def run_cli(self, args: list[str], *, cwd: Path | None = None) -> tuple[float, int, str, float]:
        """Wall time, exit code, stderr tail and peak RSS (MB) of one ``carrierkg`` process."""
        with tempfile.TemporaryFile() as err:
            started = time.perf_counter()
            proc = subprocess.Popen([CARRIERKG, "--store", str(self.store), *args], stdout=subprocess.DEVNULL,
                                    stderr=err, env=self.env, cwd=cwd or self.workdir)
            deadline = started + self.timeout
            try:
                while True:
                    # wait4 gives this child's own peak RSS, which RUSAGE_CHILDREN would mix up
                    pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
                    if pid:
                        break
                    if time.perf_counter() > deadline:
                        raise subprocess.TimeoutExpired(args, self.timeout)
                    time.sleep(0.002)
            except BaseException:
                # a timeout, Ctrl-C or SIGTERM: never leave the child running
                proc.kill()
                os.wait4(proc.pid, 0)
                proc.returncode = -9
                raise
            elapsed = time.perf_counter() - started
            proc.returncode = os.waitstatus_to_exitcode(status)
            err.seek(0)
            text = err.read().decode(errors="replace").strip()[-300:]
        return elapsed, proc.returncode, text, usage.ru_maxrss / 1024

    def time_cli(self, name: str, what: str, args: list[str], *, runs: int | None = None,
                 command: str | None = None) -> Result:
        result = Result(name, what)
        command = command or args[0]
        if not self.has_command(command):
            result.note = "n/a (command missing)"
            return result
        runs = runs or self.runs
        try:
            t, code, err, _ = self.run_cli(args)  # warm-up (page cache, projection cache)
            if code != 0:
                result.note = f"failed (exit {code}): {err.splitlines()[-1] if err else ''}"
                return result
            for _ in range(runs):
                t, code, err, _ = self.run_cli(args)
                result.runs.append(t)
        except subprocess.TimeoutExpired:
            result.note = f"timeout after {self.timeout:.0f} s"
            return result
        result.ours = statistics.median(result.runs)
        result.note = f"median of {runs}"
        return result

    # -- baselines, measured once -----------------------------------------------------------
    def rdflib_dataset(self):
        if self._rdflib is None:
            import rdflib

            gc.collect()
            before = _rss_mb()
            started = time.perf_counter()
            ds = rdflib.Dataset(default_union=True)
            ds.parse(str(self.data.path), format="nquads")
            self._rdflib_parse = time.perf_counter() - started
            self._rdflib_rss = _rss_mb() - before
            self._rdflib = ds
            self.log(f"  baseline: rdflib parsed the file in {self._rdflib_parse:.1f} s")
        return self._rdflib

    def naive_projection(self):
        if self._naive is None:
            from rdflib.extras.external_graph_libs import rdflib_to_networkx_multidigraph

            ds = self.rdflib_dataset()
            started = time.perf_counter()
            self._naive = rdflib_to_networkx_multidigraph(_Triples(ds))
            self._naive_time = time.perf_counter() - started
            self.log(f"  baseline: rdflib_to_networkx_multidigraph in {self._naive_time:.1f} s "
                     f"({self._naive.number_of_nodes()} nodes)")
        return self._naive

    def our_projection(self):
        """Our projection (in-process, from the benchmark store), or None if it does not exist yet."""
        try:
            from carrierkg.graph.projection import project
            from carrierkg.graph.store import open_store
        except ImportError:
            return None
        kg = open_store(self.store, read_only=True)
        try:
            return project(kg)
        finally:
            kg.close()

    # -- the measurements ---------------------------------------------------------------------
    def measure_all(self) -> list[Result]:
        steps: list[tuple[str, Callable[[], Result]]] = [
            ("load", self.m_load), ("ask-busiest", lambda: self.m_ask("busiest")),
            ("ask-typical", lambda: self.m_ask("typical")), ("path", self.m_path),
            ("projection", self.m_projection), ("projection-build", self.m_projection_build),
            ("pagerank", self.m_pagerank),
            ("betweenness", self.m_betweenness), ("map", self.m_map), ("help", self.m_help),
            ("memory", self.m_memory), ("extract", self.m_extract),
        ]
        self.ensure_store(timed="load" in {n for n, _ in steps if self.wanted(n)})
        for name, step in steps:
            if not self.wanted(name) or name == "load":
                continue
            self.log(f"- {name}")
            try:
                self.results.append(step())
            except Exception as exc:  # a broken measurement must not stop the others
                self.results.append(Result(name, name, note=f"error: {type(exc).__name__}: {exc}"[:200]))
        return self.results

    def ensure_store(self, *, timed: bool) -> None:
        if timed:
            self.log("- load")
            self.results.insert(0, self.m_load())
        if not (self.store / "CURRENT").exists() or not self._store_ok:
            self.log("  building the benchmark store (untimed: no timed load finished)")
            from carrierkg.graph.store import open_store

            shutil.rmtree(self.store, ignore_errors=True)
            kg = open_store(self.store)
            kg.load([self.data.path], validate=False)
            kg.close()

    _store_ok = False

    def m_load(self) -> Result:
        result = Result("load", "carrierkg load FILE.nq (new store)")
        runs = 1 if self.size >= 500_000 else min(3, self.runs)
        times = []
        for i in range(runs):
            shutil.rmtree(self.store, ignore_errors=True)
            shutil.rmtree(self.store.with_name("store.cache"), ignore_errors=True)
            # build the store from the bundled data first, so the timing is the load alone
            subprocess.run([CARRIERKG, "--store", str(self.store), "stats"], capture_output=True, env=self.env,
                           timeout=self.timeout)
            try:
                t, code, err, _ = self.run_cli(["load", str(self.data.path)])
            except subprocess.TimeoutExpired:
                result.note = f"timeout after {self.timeout:.0f} s (run {i + 1})"
                shutil.rmtree(self.store, ignore_errors=True)
                break
            if code != 0:
                result.note = f"failed (exit {code}): {err.splitlines()[-1] if err else ''}"
                shutil.rmtree(self.store, ignore_errors=True)
                break
            times.append(t)
        if times and not result.note:
            result.ours = statistics.median(times)
            result.note = f"median of {len(times)}" if len(times) > 1 else "1 run"
            self._store_ok = True
        self.rdflib_dataset()
        result.baseline, result.baseline_what = self._rdflib_parse, "rdflib parse (no store)"
        return result

    def _rdflib_partners(self, name: str) -> float:
        import rdflib

        ds = self.rdflib_dataset()
        started = time.perf_counter()
        rows = list(ds.query(PARTNERS_QUERY, initBindings={"label": rdflib.Literal(name)}))
        elapsed = time.perf_counter() - started
        self.log(f"  baseline: rdflib query {len(rows)} rows in {elapsed:.3f} s")
        return elapsed

    def m_ask(self, which: str) -> Result:
        label = self.meta[which]["label"]
        result = self.time_cli(f"ask-{which}", f'ask "who partners with X" ({which}: {label}, '
                               f'{self.meta[which]["partners"]} partners)', ["ask", f"who partners with {label}"])
        q = self._rdflib_partners(label)
        result.baseline = (self._rdflib_parse or 0) + q
        result.baseline_what = f"rdflib parse + SPARQL ({q:.3f} s)"
        return result

    def m_path(self) -> Result:
        a, b = self.meta["path"]["from"], self.meta["path"]["to"]
        result = self.time_cli("path", f"path A B ({self.meta['path']['hops']} hops)", ["path", a, b])
        import networkx as nx

        naive = self.naive_projection()
        import rdflib

        ds = self.rdflib_dataset()
        ia = next(ds.subjects(rdflib.URIRef("http://www.w3.org/2004/02/skos/core#prefLabel"), rdflib.Literal(a)))
        ib = next(ds.subjects(rdflib.URIRef("http://www.w3.org/2004/02/skos/core#prefLabel"), rdflib.Literal(b)))
        started = time.perf_counter()
        with contextlib.suppress(nx.NetworkXNoPath):
            nx.shortest_path(naive.to_undirected(as_view=True), ia, ib)
        sp = time.perf_counter() - started
        result.baseline = (self._rdflib_parse or 0) + (self._naive_time or 0) + sp
        result.baseline_what = "rdflib parse + naive projection + nx.shortest_path"
        return result

    def m_projection(self) -> Result:
        """The projection as every command gets it: read from the cache beside the store (a new
        store object each run, so nothing is memoised in between)."""
        return self._projection("projection", "projection of the whole graph, as commands get it "
                                "(cache beside the store)", cached=True)

    def m_projection_build(self) -> Result:
        """The first projection after a change to the store: built from the store's queries."""
        return self._projection("projection-build", "projection of the whole graph, first build after a "
                                "change (no cache)", cached=False)

    def _projection(self, name: str, what: str, *, cached: bool) -> Result:
        result = Result(name, what)
        try:
            from carrierkg.graph import projection
            from carrierkg.graph.store import open_store
        except ImportError:
            result.note = "n/a (graph/projection.py missing)"
            return result
        if cached:
            kg = open_store(self.store, read_only=True)
            try:
                projection.project(kg, places=True)  # builds and writes the cache if the warm-ups did not
            finally:
                kg.close()
        runs = self.runs if cached else max(1, min(self.runs, 3))
        times, nodes, edges = [], 0, 0
        for _ in range(runs):
            kg = open_store(self.store, read_only=True)
            try:
                gc.collect()
                started = time.perf_counter()
                # the whole graph (places too), in both: what the build makes
                G = projection.project(kg, places=True) if cached else projection._build(kg)
                times.append(time.perf_counter() - started)
                nodes, edges = G.number_of_nodes(), G.number_of_edges()
            finally:
                kg.close()
            del G
        result.ours = statistics.median(times)
        result.runs = times
        where = "" if cached else "in-process, queries on the embedded store; "
        result.note = f"median of {runs}; {where}{nodes} nodes, {edges} edges"
        self.naive_projection()
        result.baseline, result.baseline_what = self._naive_time, \
            f"rdflib_to_networkx_multidigraph ({self._naive.number_of_nodes()} nodes)"
        return result

    def _algorithm_baseline(self, func) -> tuple[float | None, str]:
        G = self.our_projection()
        what = "our projection"
        if G is None:
            G, what = self.naive_projection().to_undirected(), "naive projection"
        import networkx as nx

        S = nx.Graph(G)
        started = time.perf_counter()
        func(S)
        return time.perf_counter() - started, f"networkx on {what} ({S.number_of_nodes()} nodes)"

    def m_pagerank(self) -> Result:
        result = self.time_cli("pagerank", "central --measure pagerank", ["central", "--measure", "pagerank"])
        import networkx as nx

        result.baseline, result.baseline_what = self._algorithm_baseline(nx.pagerank)
        result.baseline_what = "nx.pagerank, " + result.baseline_what
        return result

    def m_betweenness(self) -> Result:
        if self.size > 200_000:
            return Result("betweenness", "central --measure betweenness", note="n/a (measured on the 100k graph)")
        result = self.time_cli("betweenness", "central --measure betweenness",
                               ["central", "--measure", "betweenness"])
        import networkx as nx

        result.baseline, result.baseline_what = self._algorithm_baseline(nx.betweenness_centrality)
        result.baseline_what = "exact nx.betweenness_centrality, " + result.baseline_what
        return result

    def m_map(self) -> Result:
        focus = self.meta["map_focus"]
        out = self.workdir / "map.html"
        result = self.time_cli("map", f"map --focus X --depth 2 ({focus['nodes_depth_2']} organisations)",
                               ["map", "--focus", focus["label"], "--depth", "2", "--output", str(out)])
        result.baseline, result.baseline_what = self._pyvis_baseline(focus["iri"]), "pyvis from_nx + write_html"
        return result

    def _pyvis_baseline(self, focus: str) -> float | None:
        import networkx as nx

        G = self.our_projection()
        if G is None:
            return None
        ego = nx.Graph(nx.ego_graph(G, focus, radius=2))
        for _, d in ego.nodes(data=True):
            for k in list(d):
                if not isinstance(d[k], str | int | float):
                    del d[k]
        for _, _, d in ego.edges(data=True):
            d.clear()
        with tempfile.TemporaryDirectory() as tmp:
            started = time.perf_counter()
            from pyvis.network import Network

            net = Network(cdn_resources="remote")
            net.from_nx(ego)
            net.write_html(str(Path(tmp) / "map.html"))
            return time.perf_counter() - started

    def m_help(self) -> Result:
        result = Result("help", "carrierkg --help")
        times = []
        subprocess.run([CARRIERKG, "--help"], capture_output=True, env=self.env)
        for _ in range(self.runs):
            started = time.perf_counter()
            subprocess.run([CARRIERKG, "--help"], capture_output=True, env=self.env)
            times.append(time.perf_counter() - started)
        result.ours = statistics.median(times)
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], capture_output=True)
        result.baseline, result.baseline_what = time.perf_counter() - started, "bare python -c pass"
        result.note = f"median of {self.runs}"
        return result

    def m_memory(self) -> Result:
        result = Result("memory", "peak RSS answering ask (busiest)", unit="MB")
        if not self.has_command("ask"):
            result.note = "n/a (command missing)"
            return result
        # The peak RSS a child reports includes what it inherited from its parent before exec
        # (Linux keeps the forked copy's high-water mark), and this process may hold the rdflib
        # baseline by now. So a small Python process starts carrierkg and reports its peak.
        wrapper = ("import resource, subprocess, sys; "
                   "code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode; "
                   "print(code, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
        question = f"who partners with {self.meta['busiest']['label']}"
        try:
            proc = subprocess.run([sys.executable, "-S", "-c", wrapper, CARRIERKG, "--store", str(self.store),
                                   "ask", question], capture_output=True, text=True, env=self.env,
                                  cwd=self.workdir, timeout=self.timeout)
        except subprocess.TimeoutExpired:
            result.note = f"timeout after {self.timeout:.0f} s"
        else:
            code, rss = (int(x) for x in proc.stdout.split())
            result.ours = rss / 1024
            result.note = f"exit {code}" if code else "peak RSS of the carrierkg process (via a small parent)"
        self.rdflib_dataset()
        result.baseline, result.baseline_what = self._rdflib_rss, "rdflib Dataset holding the graph (RSS growth)"
        return result

    def m_extract(self) -> Result:
        result = Result("extract", "extract a ~5 kB article (in-process)")
        try:
            from benchmarks import bench_extract
        except ImportError:
            result.note = "n/a (benchmarks/bench_extract.py missing)"
            return result
        out = bench_extract.run()
        if isinstance(out, dict):
            result.ours = out.get("seconds", out.get("ours"))
            result.baseline = out.get("baseline")
            result.baseline_what = str(out.get("baseline_what", ""))
            result.note = str(out.get("note", ""))
        elif isinstance(out, int | float):
            result.ours = float(out)
        return result


class _Triples:
    """The union of a dataset's graphs as an iterable of triples (what rdflib_to_networkx_* expects)."""

    def __init__(self, ds):
        self.ds = ds

    def __iter__(self):
        return iter(self.ds.triples((None, None, None)))


def _rss_mb() -> float:
    with contextlib.suppress(OSError, ValueError, IndexError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def machine() -> dict[str, str]:
    """CPU model, cores, RAM, Python and the versions of the packages that matter."""
    from importlib.metadata import PackageNotFoundError, version

    cpu = platform.processor() or platform.machine()
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    ram = ""
    with contextlib.suppress(OSError, ValueError, IndexError):
        kb = int(Path("/proc/meminfo").read_text().split("\n")[0].split()[1])
        ram = f"{kb / 1024 / 1024:.0f} GiB"
    load = ""
    with contextlib.suppress(OSError):
        load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    packages = []
    for name in ("carrierkg", "pyoxigraph", "rdflib", "networkx", "igraph", "rustworkx", "pyvis", "pyshacl",
                 "typer", "scipy"):
        with contextlib.suppress(PackageNotFoundError):
            packages.append(f"{name} {version(name)}")
    install = "not found"
    with contextlib.suppress(ImportError):
        import carrierkg.graph.store as store_module

        installed = "site-packages" in Path(store_module.__file__).parts
        install = ("as users install it (pip install ., bytecode compiled by pip)" if installed
                   else "from the source tree (editable)")
    return {
        "cpu": cpu, "cores": str(os.cpu_count()), "ram": ram,
        "python": platform.python_version(), "os": f"{platform.system()} {platform.release()}",
        "load average at start": load, "packages": ", ".join(packages), "carrierkg installed": install,
        "date": time.strftime("%Y-%m-%d %H:%M %Z"),
    }
