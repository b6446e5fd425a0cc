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
from dataclasses import dataclass
from pathlib import Path

from casetrack.ingest.extract import english_mentions
from casetrack.ingest.extract.russian import ner_spans

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


_CONNECTORS = {"of", "for", "the", "on", "de", "du", "des"}
_PREPOSITIONS = {"of", "from", "at", "for", "in", "with", "by", "on", "to", "among", "amongst"}


@dataclass(slots=True)
class GoldRun:
    start: int
    end: int
    nested: bool
    """A possessor or prepositional object inside a longer span ("members of the Civic Party")."""


def _label_spans(text: str, tokens: list[tuple[int, int, str]]) -> list[tuple[int, int, str, list[int]]]:
    """Maximal runs of consecutive tokens of one sentence with one (non-O) label: the gold spans."""
    spans: list[tuple[int, int, str, list[int]]] = []
    current: list[int] = []
    for index, (start, _, tag) in enumerate([*tokens, (len(text), 0, "O")]):
        previous_end = tokens[current[-1]][1] if current else 0
        if current and (tag != tokens[current[-1]][2] or "\n" in text[previous_end:start]):
            spans.append((tokens[current[0]][0], tokens[current[-1]][1], tokens[current[0]][2], current))
            current = []
        if tag != "O" and index < len(tokens):
            current.append(index)
    return spans


def _is_name_token(word: str) -> bool:
    return word[:1].isupper() and word.lower() not in {"the", "a", "an"} and not word.isdigit()


def _gold_runs(text: str, tokens: list[tuple[int, int, str]], label: str, min_words: int) -> list[GoldRun]:
    """Capitalised token runs inside the spans labelled ``label``.

    Organisation names keep their inner connectors ("University of Texas", "Church of
    Scientology" are one mention, not two). A run is ``nested`` when a preposition precedes
    it inside its span or "'s" follows it there: the flat file gives it the outer label.
    """
    runs: list[GoldRun] = []
    for _, _, tag, indexes in _label_spans(text, tokens):
        if tag != label:
            continue
        words = [text[tokens[i][0] : tokens[i][1]] for i in indexes]
        position = 0
        while position < len(words):
            if not _is_name_token(words[position]):
                position += 1
                continue
            last = position
            while last + 1 < len(words):
                if _is_name_token(words[last + 1]):
                    last += 1
                elif (
                    label == "organization"
                    and words[last + 1] in _CONNECTORS
                    and any(_is_name_token(w) for w in words[last + 2 : last + 4])
                ):
                    following = next(j for j in range(last + 2, len(words)) if _is_name_token(words[j]))
                    if any(
                        not _is_name_token(w) and w not in _CONNECTORS for w in words[last + 1 : following]
                    ):
                        break
                    last = following
                else:
                    break
            size = sum(1 for w in words[position : last + 1] if _is_name_token(w))
            if size >= min_words:
                nested = any(w.lower() in _PREPOSITIONS for w in words[:position]) or (
                    last + 1 < len(words) and words[last + 1] in {"'s", "’s", "'"}
                )
                runs.append(GoldRun(tokens[indexes[position]][0], tokens[indexes[last]][1], nested))
            position = last + 1
    return runs


def _score_mode(
    gold: list[GoldRun], predicted: list[Span], other_spans: list[Span], nested_mode: bool
) -> tuple[int, int, int]:
    """(tp, predicted, gold). Flat mode scores everything; nested mode leaves out nested positions."""
    counted_gold = [g for g in gold if not (nested_mode and g.nested)]
    used: set[int] = set()
    true_positive = scored = 0
    for start, end in predicted:
        match = next(
            (i for i, g in enumerate(counted_gold) if i not in used and g.start < end and start < g.end), None
        )
        if match is not None:
            used.add(match)
            true_positive += 1
            scored += 1
            continue
        if nested_mode and (
            any(s <= start and end <= e and (s, e) != (start, end) for s, e in other_spans)
            or any(g.nested and g.start < end and start < g.end for g in gold)
        ):
            continue
        scored += 1
    return true_positive, scored, len(counted_gold)


def english(corpus: Path, nested_mode: bool, skip_credits: bool = False) -> dict[str, tuple[int, int, int]]:
    totals = {"person": (0, 0, 0), "organisation": (0, 0, 0)}
    for path in sorted((corpus / "ner-en").glob("*.tsv")):
        text, tokens = _read_tsv(path)
        mentions = english_mentions(text, skip_credits=skip_credits)
        spans = _label_spans(text, tokens)
        for kind, label, min_words in (("person", "person", 2), ("organisation", "organization", 1)):
            other = [(s, e) for s, e, tag, _ in spans if tag != label]
            gold = _gold_runs(text, tokens, label, min_words)
            score = _score_mode(gold, mentions[kind], other, nested_mode)
            totals[kind] = tuple(a + b for a, b in zip(totals[kind], score, strict=True))  # type: ignore[assignment]
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
    print(f"{'corpus':20} {'type':13} {'P':>6} {'R':>6} {'F1':>6} {'tp':>5} {'pred':>5} {'gold':>5}")
    for language, totals in (
        ("en_flat", english(CORPUS, nested_mode=False)),
        ("en_nested", english(CORPUS, nested_mode=True)),
        ("en_nested_no_credits", english(CORPUS, nested_mode=True, skip_credits=True)),
        ("ru", russian(CORPUS)),
    ):
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
                f"{language:20} {kind:13} {precision:6.3f} {recall:6.3f} {f1:6.3f} {tp:5} {predicted:5} {gold:5}"
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
