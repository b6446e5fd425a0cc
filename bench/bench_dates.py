"""Publication dates: exact-day accuracy of casetrack's publication date on real pages.

Reads ../shared/corpus/publication-dates/ (22 pages from the htmldate
evaluation set, many Russian, Ukrainian, Kazakh or Armenian, with their true
publication day in gold.json). Each page goes through casetrack's read, clean
and date steps (``pipeline.build_document``; extraction plays no part in the
date). A page counts as right when the day of the date found equals the gold
day; a page with no date found counts as wrong. Prints a table and writes
bench/results/dates.json.

    python bench/bench_dates.py
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus" / "publication-dates"
RESULTS = REPO / "bench" / "results" / "dates.json"


def main() -> None:
    from casetrack.errors import InputError
    from casetrack.ingest.pipeline import build_document

    if not CORPUS.is_dir():
        sys.exit(f"corpus not found at {CORPUS}")
    gold = json.loads((CORPUS / "gold.json").read_text(encoding="utf-8"))
    rows = []
    started = time.perf_counter()
    for name, entry in sorted(gold.items()):
        try:
            document = build_document(str(CORPUS / "html" / name))
            found, precision, evidence = (
                document.published.value,
                document.published.precision.value,
                document.published_evidence,
            )
        except InputError as exc:
            found, precision, evidence = None, "unknown", f"refused: {exc}"
        day = found[:10] if found and len(found) >= 10 and not found.startswith("--") else None
        rows.append(
            {
                "file": name,
                "gold": entry["date"],
                "found": found,
                "precision": precision,
                "correct": day == entry["date"],
                "evidence": (evidence or "")[:80],
            }
        )
    seconds = time.perf_counter() - started
    correct = sum(row["correct"] for row in rows)
    accuracy = correct / len(rows) if rows else 0.0
    print(f"{'file':44} {'gold':10} {'found':16} ok")
    for row in rows:
        print(
            f"{row['file'][:44]:44} {row['gold']:10} {str(row['found'])[:16]:16} {'yes' if row['correct'] else 'NO'}"
        )
    print(f"exact-day accuracy: {correct}/{len(rows)} = {accuracy:.3f} (target >= 0.90), {seconds:.1f} s")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(
        json.dumps(
            {"pages": len(rows), "correct": correct, "accuracy": round(accuracy, 4), "rows": rows}, indent=2
        )
        + "\n"
    )


if __name__ == "__main__":
    main()
