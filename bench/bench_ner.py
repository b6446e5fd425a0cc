"""Precision and recall of person and organisation mentions (English GUM news, Russian factRuEval).

English (../shared/corpus/ner-en/*.tsv, one token and entity label a line, blank
line between sentences): the text is rebuilt from the tokens; a gold mention is a
run of capitalised tokens inside a person/organization span (GUM also labels
pronouns and common nouns: "her", "an Australian woman"; those are not names and
are left out; single-word person runs are left out because the extractor only
proposes full names). A predicted mention is each occurrence of an extracted
person name (organisation name or alias) in the text, via
``casetrack.ingest.extract.extract``.

Russian (../shared/corpus/ner-ru/devset/, factRuEval-2016): gold mentions are the
character ranges of Person and Org objects; predictions are natasha's PER/ORG
spans as used by the extractor. A prediction counts when it overlaps a gold
mention of the same type (each gold mention matched once).

Targets: persons P >= 0.90 and R >= 0.85 in both languages, organisations
P >= 0.80. Prints a table, writes bench/results/ner.json, exits 1 when a target
is missed, 0 with a message when the corpus is absent.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from casetrack.dates import PartialDate
from casetrack.ingest.extract import extract
from casetrack.ingest.extract.russian import ner_spans
from casetrack.ingest.types import Document

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
TARGETS = {"person": {"precision": 0.90, "recall": 0.85}, "organisation": {"precision": 0.80}}
Span = tuple[int, int]


def _score(gold: list[Span], predicted: list[Span]) -> tuple[int, int, int]:
    used: set[int] = set()
    true_positive = 0
    for start, end in predicted:
        match = next((i for i, (s, e) in enumerate(gold) if i not in used and s < end and start < e), None)
        if match is not None:
            used.add(match)
            true_positive += 1
    return true_positive, len(predicted), len(gold)


def _read_tsv(path: Path) -> tuple[str, list[tuple[int, int, str]]]:
    text, tokens = "", []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            text = text.rstrip(" ") + "\n"
            continue
        token, _, label = line.partition("\t")
        if (
            text
            and not text.endswith("\n")
            and (re.match(r"^[,.;:!?)%]|^'s$|^n't$|^'$", token) or text.endswith(("(", "$")))
        ):
            text = text.rstrip(" ")
        elif text and not text.endswith(("\n", " ")):
            text += " "
        tokens.append((len(text), len(text) + len(token), label.strip()))
        text += token
    return text, [(s, e, label) for s, e, label in tokens]


def _gold_runs(text: str, tokens: list[tuple[int, int, str]], label: str, min_words: int) -> list[Span]:
    runs: list[Span] = []
    current: list[Span] = []
    for start, end, tag in [*tokens, (0, 0, "O")]:
        word = text[start:end]
        if (
            tag == label
            and word[:1].isupper()
            and word.lower() not in {"the", "a", "an"}
            and not word.isdigit()
        ):
            if current and text[current[-1][1] : start].strip(" ") == "":
                current.append((start, end))
                continue
            if current:
                runs.append((current[0][0], current[-1][1])) if len(current) >= min_words else None
            current = [(start, end)]
        else:
            if current and len(current) >= min_words:
                runs.append((current[0][0], current[-1][1]))
            current = []
    return runs


def _occurrences(text: str, names: list[str]) -> list[Span]:
    spans: list[Span] = []
    for name in sorted(set(names), key=len, reverse=True):
        for match in re.finditer(rf"(?<![\w]){re.escape(name)}(?![\w])", text):
            if not any(s < match.end() and match.start() < e for s, e in spans):
                spans.append((match.start(), match.end()))
    return spans


def english(corpus: Path) -> dict[str, tuple[int, int, int]]:
    totals = {"person": (0, 0, 0), "organisation": (0, 0, 0)}
    for path in sorted((corpus / "ner-en").glob("*.tsv")):
        text, tokens = _read_tsv(path)
        doc = Document(
            input=path.name, text=text, sha256="", raw=b"", language="en", published=PartialDate.unknown()
        )
        result = extract(doc)
        persons = _occurrences(text, [p.name for p in result.persons])
        orgs = _occurrences(text, [n for o in result.organisations for n in [o.name, *o.aliases]])
        for kind, gold, predicted in (
            ("person", _gold_runs(text, tokens, "person", 2), persons),
            ("organisation", _gold_runs(text, tokens, "organization", 1), orgs),
        ):
            totals[kind] = tuple(a + b for a, b in zip(totals[kind], _score(gold, predicted), strict=True))  # type: ignore[assignment]
    return totals


def russian(corpus: Path) -> dict[str, tuple[int, int, int]]:
    totals = {"person": (0, 0, 0), "organisation": (0, 0, 0)}
    devset = corpus / "ner-ru" / "devset"
    for txt in sorted(devset.glob("*.txt")):
        text = txt.read_text(encoding="utf-8-sig")
        spans: dict[str, Span] = {}
        for line in txt.with_suffix(".spans").read_text(encoding="utf-8").splitlines():
            parts = line.split()
            if len(parts) >= 4:
                spans[parts[0]] = (int(parts[2]), int(parts[2]) + int(parts[3]))
        gold: dict[str, list[Span]] = {"person": [], "organisation": []}
        for line in txt.with_suffix(".objects").read_text(encoding="utf-8").splitlines():
            head = line.split("#")[0].split()
            kind = {"Person": "person", "Org": "organisation"}.get(head[1] if len(head) > 1 else "")
            members = [spans[s] for s in head[2:] if s in spans]
            if kind and members:
                gold[kind].append((min(s for s, _ in members), max(e for _, e in members)))
        predicted: dict[str, list[Span]] = {"person": [], "organisation": []}
        for tag, start, end, _ in ner_spans(text):
            if tag in ("PER", "ORG"):
                predicted["person" if tag == "PER" else "organisation"].append((start, end))
        for kind in totals:
            totals[kind] = tuple(
                a + b for a, b in zip(totals[kind], _score(gold[kind], predicted[kind]), strict=True)
            )  # type: ignore[assignment]
    return totals


def main() -> int:
    if not (CORPUS / "ner-en").is_dir() or not (CORPUS / "ner-ru" / "devset").is_dir():
        print(f"bench_ner: corpus not found at {CORPUS}; skipped")
        return 0
    results: dict[str, dict[str, dict[str, float]]] = {}
    missed = []
    print(f"{'corpus':8} {'type':13} {'P':>6} {'R':>6} {'F1':>6} {'tp':>5} {'pred':>5} {'gold':>5}")
    for language, totals in (("en", english(CORPUS)), ("ru", russian(CORPUS))):
        for kind, (tp, predicted, gold) in totals.items():
            precision = tp / predicted if predicted else 0.0
            recall = tp / gold if gold else 0.0
            f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
            results.setdefault(language, {})[kind] = {
                "precision": round(precision, 3),
                "recall": round(recall, 3),
                "f1": round(f1, 3),
                "tp": tp,
                "predicted": predicted,
                "gold": gold,
            }
            print(
                f"{language:8} {kind:13} {precision:6.3f} {recall:6.3f} {f1:6.3f} {tp:5} {predicted:5} {gold:5}"
            )
            for metric, target in TARGETS[kind].items():
                value = precision if metric == "precision" else recall
                if value < target:
                    missed.append(f"{language} {kind} {metric} {value:.3f} < {target}")
    out = Path(__file__).parent / "results" / "ner.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps({"results": results, "targets": TARGETS, "missed": missed}, indent=2) + "\n")
    for line in missed:
        print(f"target missed: {line}", file=sys.stderr)
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
