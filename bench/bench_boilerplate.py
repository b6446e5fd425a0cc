"""Boilerplate removal: token-level F1 of casetrack's cleaned HTML body against the gold article text.

Reads ../shared/corpus/article-extraction/ (127 real pages, scrapinghub's
article-extraction-benchmark). Scoring is the benchmark's own: per page, the
bag of ``\\w+`` tokens (and, as a second view, of 4-token shingles) of the
extracted text is compared with the gold ``articleBody``; true/false
positives and false negatives are normalised per page so long pages weigh no
more than short ones, summed, and turned into precision, recall and F1.

Beside casetrack it scores trafilatura with its default settings, run live on
the same pages (the baseline), and the stored trafilatura-2.0.0 output when
that file holds any pages. Two more rows test the rules for text copies: the
page's whole visible text (what selecting and copying a page gives) scored
as is, and after ``clean_text``. Prints a table and writes bench/results/boilerplate.json.

    python bench/bench_boilerplate.py
"""

from __future__ import annotations

import json
import re
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus" / "article-extraction"
RESULTS = REPO / "bench" / "results" / "boilerplate.json"
TOKEN = re.compile(r"\w+", re.UNICODE)


def shingles(text: str, n: int) -> Counter[str]:
    tokens = TOKEN.findall(text or "")
    if n == 1:
        return Counter(tokens)
    return Counter(" ".join(tokens[i : i + n]) for i in range(max(1, len(tokens) - n + 1)))


def page_counts(gold: str, found: str, n: int) -> tuple[float, float, float]:
    true, pred = shingles(gold, n), shingles(found, n)
    tp = fp = fn = 0.0
    for key in true.keys() | pred.keys():
        tp += min(true[key], pred[key])
        fp += max(0, pred[key] - true[key])
        fn += max(0, true[key] - pred[key])
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def score(gold: dict[str, str], found: dict[str, str], n: int) -> dict[str, float]:
    tp = fp = fn = 0.0
    for key, body in gold.items():
        a, b, c = page_counts(body, found.get(key, ""), n)
        tp, fp, fn = tp + a, fp + b, fn + c
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4)}


def run(name: str, extractor: Callable[[Path], str], pages: dict[str, Path]) -> tuple[dict[str, str], float]:
    started = time.perf_counter()
    found = {}
    for key, path in pages.items():
        try:
            found[key] = extractor(path) or ""
        except Exception as exc:  # a failure scores as an empty extraction, and is reported
            print(f"{name}: {key[:12]}: {type(exc).__name__}", file=sys.stderr)
            found[key] = ""
    return found, time.perf_counter() - started


def casetrack_body(path: Path) -> str:
    from casetrack.ingest.clean import clean
    from casetrack.ingest.read import decode, read_input

    raw = read_input(str(path))
    text, _encoding = decode(raw)
    return clean(text, raw.media_type, url=raw.url).text


def casetrack_text_rules(path: Path) -> str:
    """The text-copy rules alone, on the page's visible text (what a monitor gets by copying the page).

    Scored on the body: the title the rules find is metadata (the gold
    ``articleBody`` never holds the headline), so it is taken off the front.
    """
    from casetrack.ingest.clean import clean_text, visible_text
    from casetrack.ingest.read import decode, read_input

    text, _encoding = decode(read_input(str(path)))
    cleaned = clean_text(visible_text(text))
    if cleaned.title:
        return cleaned.text.removeprefix(cleaned.title).lstrip("\n")
    return cleaned.text


def visible(path: Path) -> str:
    from casetrack.ingest.clean import visible_text
    from casetrack.ingest.read import decode, read_input

    text, _encoding = decode(read_input(str(path)))
    return visible_text(text)


def trafilatura_default(path: Path) -> str:
    import gzip

    import trafilatura

    return trafilatura.extract(gzip.decompress(path.read_bytes())) or ""


def main() -> None:
    if not CORPUS.is_dir():
        sys.exit(f"corpus not found at {CORPUS}")
    gold_json = json.loads((CORPUS / "ground-truth.json").read_text(encoding="utf-8"))
    gold = {key: value["articleBody"] for key, value in gold_json.items()}
    pages = {
        key: CORPUS / "html" / f"{key}.html.gz"
        for key in gold
        if (CORPUS / "html" / f"{key}.html.gz").exists()
    }
    gold = {key: gold[key] for key in pages}
    rows = {}
    baseline_file = json.loads((CORPUS / "trafilatura-2.0.0-output.json").read_text(encoding="utf-8"))
    if baseline_file:
        stored = {key: (value or {}).get("articleBody", "") for key, value in baseline_file.items()}
        rows["trafilatura 2.0.0 (stored baseline)"] = (stored, None)
    rows["trafilatura default (live baseline)"] = run("baseline", trafilatura_default, pages)
    rows["casetrack clean"] = run("casetrack", casetrack_body, pages)
    rows["whole visible text (no cleaning)"] = run("visible", visible, pages)
    rows["casetrack text-copy rules on it"] = run("text rules", casetrack_text_rules, pages)
    table = {}
    print(f"{len(pages)} pages; token F1 (benchmark method), 4-shingle F1 in brackets")
    print(f"{'extractor':38} {'P':>7} {'R':>7} {'F1':>7} {'F1(4)':>7} {'s':>6}")
    for name, (found, seconds) in rows.items():
        tokens, four = score(gold, found, 1), score(gold, found, 4)
        table[name] = {"tokens": tokens, "shingles4": four, "seconds": seconds and round(seconds, 2)}
        shown = f"{seconds:6.1f}" if seconds else "     -"
        print(
            f"{name:38} {tokens['precision']:7.4f} {tokens['recall']:7.4f} {tokens['f1']:7.4f} {four['f1']:7.4f} {shown}"
        )
    note = "" if baseline_file else "stored trafilatura-2.0.0 output file is empty ({}): live baseline only"
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps({"pages": len(pages), "results": table, "note": note}, indent=2) + "\n")
    if note:
        print(note)


if __name__ == "__main__":
    main()
