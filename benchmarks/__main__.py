"""``python -m benchmarks --size 100k [--runs 5] [--only NAME]``: run the benchmarks, print one table.

The table is also written, with the machine's description, to ``benchmarks/results/RESULTS-<size>.md``
(atomically; ``--no-write`` to skip).
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.generate import SIZES, ensure, parse_size
from benchmarks.harness import TARGETS, Bench, Result, machine

NAMES = ["load", "ask-busiest", "ask-typical", "path", "projection", "projection-build", "pagerank", "betweenness",
         "map", "help", "memory", "extract"]
RESULTS = Path(__file__).resolve().parent / "results"


def _fmt(value: float | None, unit: str) -> str:
    if value is None:
        return "-"
    if unit == "MB":
        return f"{value:.0f} MB"
    return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s"


def table(results: list[Result], size: int) -> str:
    head = ["measurement", "what", "carrierkg", "baseline", "baseline / carrierkg", "target", "verdict",
            "baseline is", "note"]
    rows = []
    for r in results:
        ratio = f"{r.baseline / r.ours:.1f}x" if r.ours and r.baseline else "-"
        target = TARGETS.get(r.name)
        rows.append([r.name, r.what, _fmt(r.ours, r.unit), _fmt(r.baseline, r.unit), ratio,
                     ("<= " + _fmt(target, r.unit)) if target else "-", r.verdict(size) or "-",
                     r.baseline_what or "-", r.note or ""])
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(c.replace("|", "\\|") for c in row) + " |" for row in rows]
    return "\n".join(lines)


def write_results(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix="." + path.name, suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", default="100k", help=f"about how many triples ({', '.join(SIZES)}; default 100k)")
    parser.add_argument("--runs", type=int, default=5, help="timed runs per CLI command, after a warm-up (default 5)")
    parser.add_argument("--only", action="append", choices=NAMES, metavar="NAME",
                        help=f"only this measurement (repeatable): {', '.join(NAMES)}")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds before one command is given up")
    parser.add_argument("--no-write", action="store_true", help="do not write benchmarks/results/RESULTS-<size>.md")
    parser.add_argument("--results-dir", type=Path, default=RESULTS, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    # SIGTERM (timeout(1), a CI limit) unwinds like Ctrl-C, so running commands are killed
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    size = parse_size(args.size)
    label = next((k for k, v in SIZES.items() if v == size), args.size.lower())
    started = time.perf_counter()
    print(f"Generating (or reusing) the {label} synthetic graph ...", file=sys.stderr, flush=True)
    data = ensure(size, seed=args.seed)
    print(f"  {data.path} ({data.meta['triples']} triples, {data.meta['organisations']} organisations, "
          f"{data.meta['relationships']} relationships)", file=sys.stderr, flush=True)
    workdir = Path(tempfile.mkdtemp(prefix="carrierkg-bench-"))
    try:
        bench = Bench(data, runs=args.runs, only=set(args.only) if args.only else None, workdir=workdir,
                      timeout=args.timeout)
        results = bench.measure_all()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    elapsed = time.perf_counter() - started
    text = table(results, size)
    print(text)
    print(f"\n({elapsed:.0f} s in total)", file=sys.stderr)
    if not args.no_write:
        m = machine()
        meta = data.meta
        doc = [f"# carrierkg benchmarks: {label} triples", "",
               f"`python -m benchmarks --size {label} --runs {args.runs}` (`make bench SIZE={label}`), "
               f"{time.strftime('%Y-%m-%d')}, {elapsed:.0f} s in total.", "",
               "CLI commands are whole-process wall times (median after a warm-up run), against an embedded "
               "store built from the generated N-Quads; library calls are in-process. Targets are issue 7's, "
               "set for the 1M-triple graph (betweenness: the 100k graph).", "",
               text, "",
               "## The data", "",
               f"Synthetic graph (benchmarks/generate.py, version {meta['generator_version']}, seed {meta['seed']}): "
               f"{meta['triples']} triples in {meta['sources']} source graphs, {meta['organisations']} organisations, "
               f"{meta['relationships']} relationships; degree max {meta['max_degree']}, median "
               f"{meta['median_degree']}. Busiest carrier: {meta['busiest']['label']} "
               f"({meta['busiest']['partners']} partners); typical: {meta['typical']['label']} "
               f"({meta['typical']['partners']}); path {meta['path']['from']} -> {meta['path']['to']}; map focus "
               f"{meta['map_focus']['label']} ({meta['map_focus']['nodes_depth_2']} organisations within 2 hops).",
               "", "## The machine", ""]
        doc += [f"- {k}: {v}" for k, v in m.items()]
        path = args.results_dir / f"RESULTS-{label}.md"
        write_results(path, "\n".join(doc) + "\n")
        print(f"Wrote {path}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
