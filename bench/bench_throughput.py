"""Throughput and memory of the ingest pipeline on real HTML pages.

Reads ../shared/corpus/article-extraction/html/ (127 real pages). In one run,
on the same pages in the same order:

* ``trafilatura.extract(html, with_metadata=True)`` alone, the pages already
  in memory (the reference the target is stated against);
* ``casetrack.ingest.pipeline.analyse(path)``: reading the file, charset,
  cleaning, metadata, publication date, language and entity extraction --
  everything ingest does short of the database.

Both get one untimed warm-up page (imports, models), then each is timed over
all pages, best of ``--repeat`` rounds; the ratio of pages per second is the
figure (target >= 0.7). Peak memory is measured in fresh subprocesses that
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


def time_trafilatura(paths: list[Path]) -> float:
    import trafilatura

    htmls = [gzip.decompress(path.read_bytes()) for path in paths]
    trafilatura.extract(htmls[0], with_metadata=True)
    started = time.perf_counter()
    for html in htmls:
        trafilatura.extract(html, with_metadata=True)
    return time.perf_counter() - started


def time_analyse(paths: list[Path]) -> float:
    from casetrack.ingest.pipeline import analyse

    analyse(str(paths[0]))
    started = time.perf_counter()
    for path in paths:
        analyse(str(path))
    return time.perf_counter() - started


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
    trafilatura_seconds = min(time_trafilatura(paths) for _ in range(args.repeat))
    analyse_seconds = min(time_analyse(paths) for _ in range(args.repeat))
    reference = len(paths) / trafilatura_seconds
    ours = len(paths) / analyse_seconds
    ratio = ours / reference
    print(f"{len(paths)} pages, best of {args.repeat}")
    print(f"{'step':44} {'pages/s':>8}")
    print(f"{'trafilatura.extract(with_metadata=True)':44} {reference:8.1f}")
    print(f"{'casetrack analyse (read..extract)':44} {ours:8.1f}")
    print(f"ratio: {ratio:.2f} (target >= 0.7)")
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
                "analyse_pages_per_s": round(ours, 2),
                "ratio": round(ratio, 3),
                "memory": mem,
            },
            indent=2,
        )
        + "\n"
    )


if __name__ == "__main__":
    main()
