"""Throughput and memory of the whole ingest on real HTML pages.

Reads ../shared/corpus/article-extraction/html/ (127 real pages). In one run,
on the same pages in the same order:

* ``trafilatura.extract(html, with_metadata=True)`` alone, the pages already
  in memory (the reference the target is stated against);
* ``casetrack.ingest.pipeline.build_document(path)``: reading the file,
  charset, cleaning, metadata, publication date and language -- no entities;
* **the whole ingest**, exactly what ``casetrack ingest`` does for each input:
  ``read_input`` -> ``pipeline.analyse`` -> one write transaction
  (``Database.session(write=True)``) around ``store.ingest.store_analysis``,
  into a fresh, migrated SQLite database in a temporary directory (created
  before timing, one per round, so every round stores every page anew).

The figure is the ratio of the whole ingest's pages per second to
trafilatura's (target >= 0.7). Each step is timed over all pages, best of
``--repeat`` rounds (the steps take turns within each round, so a change in
the machine's load hits all of them); CPU seconds of the same rounds are reported too (steadier
than wall time on a loaded machine; SQLite runs in-process, so store time is
in them). The ingest rounds also time each stage per page (read, analyse,
store) and count the SQL statements sent (a ``before_cursor_execute`` event on
the engine; the ``BEGIN IMMEDIATE``/``COMMIT`` of each transaction included).
Models (py3langid, natasha, and pymorphy3 for name matching) are loaded once
before timing by ingesting English and Russian warm-up texts twice into a
throwaway database; that one-off time is reported apart.

``--jobs N`` (default 2; 0 or 1 to skip) also times ``casetrack ingest --jobs
N``'s path on the same pages: ``pipeline.analyse_all(..., jobs=N)`` analyses in
N worker processes while this process stores each result in its own
transaction, in input order. That figure is reported on its own, labelled
PARALLEL, and includes starting the workers and loading their models; it is
not the single-process figure, which stays the headline ``ratio``.

Peak memory is measured in fresh subprocesses that ingest N files (the corpus
cycled, so beyond 127 the later files are duplicates) into a fresh database
and report their peak RSS: it must stay flat as N grows, since nothing is kept
between inputs. Prints a table and writes bench/results/throughput.json.

    python bench/bench_throughput.py [--repeat 2] [--counts 20,80,320] [--jobs 2]
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus" / "article-extraction" / "html"
RESULTS = REPO / "bench" / "results" / "throughput.json"
ACTOR = "bench"


def pages() -> list[Path]:
    return sorted(CORPUS.glob("*.html.gz"))


@dataclass(slots=True)
class Timing:
    """One round over the pages: wall and CPU seconds, per-page stage times, SQL statements."""

    wall: float = 0.0
    cpu: float = 0.0
    stages: dict[str, list[float]] = field(default_factory=dict)
    statements: int = 0
    stored: int = 0

    def stage_ms(self) -> dict[str, dict[str, float]]:
        return {
            name: {
                "median_ms": round(1000 * statistics.median(times), 1),
                "mean_ms": round(1000 * statistics.fmean(times), 1),
            }
            for name, times in self.stages.items()
        }


@contextmanager
def timed() -> Iterator[Timing]:
    timing = Timing()
    started, cpu = time.perf_counter(), time.process_time()
    yield timing
    timing.wall, timing.cpu = time.perf_counter() - started, time.process_time() - cpu


def time_trafilatura(paths: list[Path]) -> Timing:
    import trafilatura

    htmls = [gzip.decompress(path.read_bytes()) for path in paths]
    trafilatura.extract(htmls[0], with_metadata=True)
    with timed() as timing:
        for html in htmls:
            trafilatura.extract(html, with_metadata=True)
    return timing


WARM_UP = {
    "en": "Police in the capital detained the journalist Anna Ivanova on Monday after a protest.",
    "ru": "Полиция задержала журналистку Анну Иванову в понедельник после акции протеста в Москве.",
}


def warm_up() -> float:
    """Load every model once; return the seconds it took.

    Imports, the language identifier, the Russian NER, and the morphology that name
    matching uses: each warm-up text is ingested twice (the second copy differs by a
    character) into a throwaway database, so its names are resolved against the first.
    """
    from casetrack.ingest.pipeline import analyse
    from casetrack.ingest.read import PLAIN, RawInput
    from casetrack.store.ingest import store_analysis

    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as directory:
        database = fresh_database(directory)
        try:
            for language, text in WARM_UP.items():
                for copy in (text, text + " "):
                    raw = RawInput(f"warm-up-{language}", copy.encode(), PLAIN, None, dt.datetime.now(dt.UTC))
                    analysis = analyse(raw)
                    with database.session(write=True) as session:
                        store_analysis(session, analysis, raw, actor=ACTOR)
        finally:
            database.dispose()
    return time.perf_counter() - started


def time_documents(paths: list[Path]) -> Timing:
    from casetrack.ingest.pipeline import build_document

    with timed() as timing:
        for path in paths:
            build_document(str(path))
    return timing


def fresh_database(directory: str) -> Any:
    """A new SQLite file, migrated to head, opened as ``casetrack ingest`` opens it."""
    from casetrack.db import Location, open_database, to_url

    path = Path(directory) / f"bench-{time.monotonic_ns()}.db"
    return open_database(Location(to_url(str(path)), "--db"))


def count_statements(database: Any, timing: Timing) -> None:
    from sqlalchemy import event

    def count(*_args: Any) -> None:
        timing.statements += 1

    event.listen(database.engine, "before_cursor_execute", count)


def time_ingest(paths: list[Path], directory: str) -> Timing:
    """The whole ingest, as ``casetrack ingest`` runs it: read, analyse, one transaction per input
    (collecting garbage as its batch does: ``startup.batch``)."""
    from casetrack import startup
    from casetrack.ingest.pipeline import analyse
    from casetrack.ingest.read import read_input
    from casetrack.store.ingest import store_analysis

    database = fresh_database(directory)
    stages: dict[str, list[float]] = {"read": [], "analyse": [], "store": []}
    try:
        with timed() as timing, startup.batch():
            count_statements(database, timing)
            for path in paths:
                started = time.perf_counter()
                raw = read_input(str(path))
                read = time.perf_counter()
                analysis = analyse(raw)
                analysed = time.perf_counter()
                with database.session(write=True) as session:
                    result = store_analysis(session, analysis, raw, actor=ACTOR)
                stages["read"].append(read - started)
                stages["analyse"].append(analysed - read)
                stages["store"].append(time.perf_counter() - analysed)
                timing.stored += result.status == "ingested"
    finally:
        database.dispose()
    timing.stages = stages
    return timing


def time_parallel_ingest(paths: list[Path], directory: str, jobs: int) -> Timing:
    """``casetrack ingest --jobs N``'s path: analyses in worker processes, each stored here in input order."""
    from contextlib import closing

    from casetrack import startup
    from casetrack.ingest.pipeline import analyse_all
    from casetrack.store.ingest import store_analysis

    database = fresh_database(directory)
    try:
        with timed() as timing, startup.batch():
            count_statements(database, timing)
            with closing(analyse_all([str(p) for p in paths], jobs=jobs)) as analysed:
                for item in analysed:
                    if item.error is not None:
                        raise item.error
                    with database.session(write=True) as session:
                        result = store_analysis(session, item.analysis, item.raw, actor=ACTOR)
                    timing.stored += result.status == "ingested"
    finally:
        database.dispose()
    return timing


def best(rounds: list[Timing]) -> Timing:
    return min(rounds, key=lambda timing: timing.wall)


def memory_child(count: int) -> None:
    """Ingest ``count`` files (the corpus cycled) into a fresh database; print the peak RSS in MiB."""
    paths = pages()
    cycled = [paths[index % len(paths)] for index in range(count)]
    with tempfile.TemporaryDirectory() as directory:
        time_ingest(cycled, directory)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"count": count, "peak_rss_mib": round(peak, 1)}))


def memory(counts: list[int]) -> list[dict[str, float]]:
    rows = []
    for count in counts:
        out = subprocess.run(
            [sys.executable, __file__, "--memory-child", str(count)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        rows.append(json.loads(out.strip().splitlines()[-1]))
    return rows


def ratio(reference: Timing, ours: Timing) -> tuple[float, float]:
    """(ratio of pages per second by wall time, ratio by CPU time)."""
    return reference.wall / ours.wall, reference.cpu / ours.cpu


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--counts", default="20,80,320")
    parser.add_argument("--jobs", type=int, default=2, help="also time the parallel ingest (0 or 1: skip)")
    parser.add_argument("--memory-child", type=int, default=0)
    parser.add_argument("--no-write", action="store_true", help="print only; leave the results file alone")
    args = parser.parse_args()
    if args.memory_child:
        memory_child(args.memory_child)
        return
    paths = pages()
    if not paths:
        sys.exit(f"corpus not found at {CORPUS}")
    load_before = os.getloadavg()[0]
    cold = warm_up()
    with tempfile.TemporaryDirectory() as directory:
        rounds: dict[str, list[Timing]] = {"trafilatura": [], "documents": [], "ingest": [], "parallel": []}
        for _ in range(args.repeat):  # interleaved, so a change in the machine's load hits every step
            rounds["trafilatura"].append(time_trafilatura(paths))
            rounds["documents"].append(time_documents(paths))
            rounds["ingest"].append(time_ingest(paths, directory))
            if args.jobs > 1:
                rounds["parallel"].append(time_parallel_ingest(paths, directory, args.jobs))
        reference, documents, ingest = (best(rounds[k]) for k in ("trafilatura", "documents", "ingest"))
        parallel = best(rounds["parallel"]) if rounds["parallel"] else None
    load_after = os.getloadavg()[0]
    n = len(paths)
    rows = [
        ("trafilatura.extract(with_metadata=True) alone", reference),
        ("build_document (read, clean, metadata, dates)", documents),
        ("whole ingest, single process (read+analyse+store)", ingest),
    ]
    if parallel is not None:
        rows.append((f"PARALLEL whole ingest, --jobs {args.jobs} (with worker start)", parallel))
    print(f"{n} pages, best of {args.repeat}; one-off model loading before timing: {cold:.1f} s")
    print(f"load average (1 min) before/after: {load_before:.1f}/{load_after:.1f} on {os.cpu_count()} CPUs")
    print(f"{'step':52} {'pages/s':>8} {'ms/page':>8} {'ratio':>6} {'CPU s':>6} {'CPU ratio':>9}")
    for label, timing in rows:
        wall_ratio, cpu_ratio = ratio(reference, timing)
        print(
            f"{label:52} {n / timing.wall:8.1f} {1000 * timing.wall / n:8.1f} {wall_ratio:6.2f}"
            f" {timing.cpu:6.1f} {cpu_ratio:9.2f}"
        )
    stage_ms = ingest.stage_ms()
    print(
        "whole ingest by stage (ms/page): "
        + ", ".join(f"{name} median {v['median_ms']} mean {v['mean_ms']}" for name, v in stage_ms.items())
    )
    per_page = ingest.statements / n
    print(f"SQL statements: {ingest.statements} for {ingest.stored} stored pages ({per_page:.1f} per page)")
    wall_ratio, cpu_ratio = ratio(reference, ingest)
    print(f"single-process whole-ingest ratio: {wall_ratio:.2f} wall, {cpu_ratio:.2f} CPU (target >= 0.7)")
    if parallel is not None:
        print(
            f"PARALLEL (--jobs {args.jobs}, not the single-process figure) whole-ingest ratio: "
            f"{ratio(reference, parallel)[0]:.2f} wall; its CPU seconds count this process only"
        )
    mem = memory([int(c) for c in args.counts.split(",")]) if args.counts else []
    print(f"{'files':>6} {'peak RSS MiB':>13}  (whole ingest into a fresh database)")
    for row in mem:
        print(f"{row['count']:6d} {row['peak_rss_mib']:13.1f}")
    if args.no_write:
        return
    results: dict[str, Any] = {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%MZ"),
        "machine": {
            "cpus": os.cpu_count(),
            "load_1min_before": round(load_before, 1),
            "load_1min_after": round(load_after, 1),
        },
        "pages": n,
        "repeat": args.repeat,
        "model_loading_s": round(cold, 2),
        "trafilatura": _summary(reference, reference, n),
        "build_document": _summary(reference, documents, n),
        "ingest_single_process": {
            **_summary(reference, ingest, n),
            "stages": stage_ms,
            "sql_statements": ingest.statements,
            "sql_statements_per_page": round(per_page, 1),
            "stored": ingest.stored,
        },
        "ratio": round(wall_ratio, 3),
        "cpu_ratio": round(cpu_ratio, 3),
        "memory": mem,
    }
    if parallel is not None:
        results["ingest_parallel"] = {
            "jobs": args.jobs,
            "note": "PARALLEL: analyses in worker processes, includes starting them and loading their models",
            **{k: v for k, v in _summary(reference, parallel, n).items() if not k.startswith("cpu")},
            "sql_statements_per_page": round(parallel.statements / n, 1),
        }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")


def _summary(reference: Timing, timing: Timing, n: int) -> dict[str, float]:
    wall_ratio, cpu_ratio = ratio(reference, timing)
    return {
        "pages_per_s": round(n / timing.wall, 2),
        "ms_per_page": round(1000 * timing.wall / n, 1),
        "wall_s": round(timing.wall, 2),
        "cpu_s": round(timing.cpu, 2),
        "ratio": round(wall_ratio, 3),
        "cpu_ratio": round(cpu_ratio, 3),
    }


if __name__ == "__main__":
    main()
