"""Throughput and memory of the ingest pipeline on real HTML pages.

Reads ../shared/corpus/article-extraction/html/ (127 real pages). In one run,
on the same pages in the same order:

* ``trafilatura.extract(html, with_metadata=True)`` alone, the pages already
  in memory (the reference the target is stated against);
* ``casetrack.ingest.pipeline.build_document(path)`` and
  ``casetrack.ingest.pipeline.analyse(path)``: reading the file, charset,
  cleaning, metadata, publication date, language and entity extraction --
  everything ingest does short of the database.

Models are loaded once before timing (English and Russian warm-up texts;
the time is reported), then each step is timed over all pages, best of
``--repeat`` rounds; the ratio of pages per second is the figure (target >=
0.7). CPU seconds of those same rounds are reported too (the ratio by CPU
time is steadier than wall time on a loaded machine). ``build_document`` (everything but entity extraction) is timed too, to
show where the time goes. Peak memory is measured in fresh subprocesses that
analyse N files (the corpus cycled) and report their peak RSS: it must stay
flat as N grows, since nothing is kept between inputs. Prints a table and
writes bench/results/throughput.json.

    python bench/bench_throughput.py [--repeat 2] [--counts 20,80,320]
"""

from __future__ import annotations

import argparse
import gzip
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus" / "article-extraction" / "html"
RESULTS = REPO / "bench" / "results" / "throughput.json"


def pages() -> list[Path]:
    return sorted(CORPUS.glob("*.html.gz"))


def time_trafilatura(paths: list[Path]) -> tuple[float, float]:
    """(wall seconds, CPU seconds of this process) for trafilatura alone over the pages."""
    import trafilatura

    htmls = [gzip.decompress(path.read_bytes()) for path in paths]
    trafilatura.extract(htmls[0], with_metadata=True)
    started, cpu = time.perf_counter(), time.process_time()
    for html in htmls:
        trafilatura.extract(html, with_metadata=True)
    return time.perf_counter() - started, time.process_time() - cpu


WARM_UP = {
    "en": "Police in the capital detained the journalist Anna Ivanova on Monday after a protest.",
    "ru": "Полиция задержала журналистку Анну Иванову в понедельник после акции протеста в Москве.",
}


def warm_up() -> float:
    """Load every model once (imports, language identifier, the Russian NER); return the seconds it took."""
    import datetime as dt

    from casetrack.ingest.pipeline import analyse
    from casetrack.ingest.read import PLAIN, RawInput

    started = time.perf_counter()
    for language, text in WARM_UP.items():
        raw = RawInput(f"warm-up-{language}", text.encode(), PLAIN, None, dt.datetime.now(dt.UTC))
        analyse(raw)
    return time.perf_counter() - started


def time_steps(paths: list[Path], step: str) -> tuple[float, float]:
    """(wall seconds, CPU seconds of this process) for one pipeline step over the pages."""
    from casetrack.ingest.pipeline import analyse, build_document

    run = analyse if step == "analyse" else build_document
    started, cpu = time.perf_counter(), time.process_time()
    for path in paths:
        run(str(path))
    return time.perf_counter() - started, time.process_time() - cpu


def memory_child(count: int) -> None:
    """Analyse ``count`` files (the corpus cycled) and print the peak RSS in MiB."""
    from casetrack.ingest.pipeline import analyse

    paths = pages()
    for index in range(count):
        analyse(str(paths[index % len(paths)]))
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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--counts", default="20,80,320")
    parser.add_argument("--memory-child", type=int, default=0)
    args = parser.parse_args()
    if args.memory_child:
        memory_child(args.memory_child)
        return
    paths = pages()
    if not paths:
        sys.exit(f"corpus not found at {CORPUS}")
    cold = warm_up()
    trafilatura_seconds, trafilatura_cpu = min(time_trafilatura(paths) for _ in range(args.repeat))
    document_seconds, document_cpu = min(time_steps(paths, "document") for _ in range(args.repeat))
    analyse_seconds, analyse_cpu = min(time_steps(paths, "analyse") for _ in range(args.repeat))
    cpu_ratio = trafilatura_cpu / analyse_cpu
    reference = len(paths) / trafilatura_seconds
    documents = len(paths) / document_seconds
    ours = len(paths) / analyse_seconds
    ratio = ours / reference
    print(f"{len(paths)} pages, best of {args.repeat}; one-off model loading before timing: {cold:.1f} s")
    print(f"{'step':52} {'pages/s':>8} {'ratio':>6}")
    print(f"{'trafilatura.extract(with_metadata=True) alone':52} {reference:8.1f} {1:6.2f}")
    print(
        f"{'casetrack build_document (read, clean, metadata, dates)':52} {documents:8.1f} {documents / reference:6.2f}"
    )
    print(f"{'casetrack analyse (the above + entity extraction)':52} {ours:8.1f} {ratio:6.2f}")
    print(f"analyse ratio: {ratio:.2f} (target >= 0.7)")
    print(
        f"CPU seconds (same best rounds): trafilatura {trafilatura_cpu:.1f}, build_document "
        f"{document_cpu:.1f}, analyse {analyse_cpu:.1f}; analyse ratio by CPU time {cpu_ratio:.2f}"
    )
    mem = memory([int(c) for c in args.counts.split(",")])
    print(f"{'files':>6} {'peak RSS MiB':>13}")
    for row in mem:
        print(f"{row['count']:6d} {row['peak_rss_mib']:13.1f}")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(
        json.dumps(
            {
                "pages": len(paths),
                "trafilatura_pages_per_s": round(reference, 2),
                "build_document_pages_per_s": round(documents, 2),
                "build_document_ratio": round(documents / reference, 3),
                "analyse_pages_per_s": round(ours, 2),
                "model_loading_s": round(cold, 2),
                "ratio": round(ratio, 3),
                "cpu_seconds": {
                    "trafilatura": round(trafilatura_cpu, 2),
                    "build_document": round(document_cpu, 2),
                    "analyse": round(analyse_cpu, 2),
                },
                "cpu_ratio": round(cpu_ratio, 3),
                "memory": mem,
            },
            indent=2,
        )
        + "\n"
    )


if __name__ == "__main__":
    main()
