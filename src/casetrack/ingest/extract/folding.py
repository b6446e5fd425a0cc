"""One event per happening within a document: a headline restating the body is folded into it.

Articles say their main event twice: the headline ("Court sentences X to ten years") and
the body ("A court in Minsk on 3 March 2023 sentenced X ..."). Two events of one document
are the same happening when all of these hold:

- the same kind;
- the same principal participants: the same persons, or with no persons the same organisations;
- compatible facts: dates agree in every part both state ("2022" and "2022-10", or one
  undated), locations, cases and figures ("405,000 signatures") agree where both state them;
- and one of them is a headline (the document's title, or a line standing alone without
  final punctuation), or both state the same figure ("405,000").

The last condition keeps distinct actions of the same actor apart: "national sections
handed the signatures to the authorities" and "staff took 60,000 signatures to the Embassy
in the UK" are two body sentences without a shared figure, so they stay two. The kept
event is the more informative one (dated, from the body, more participants, longer quote);
it takes the other's participants, figures, location, case and a more precise date.
"""

from __future__ import annotations

import re
from dataclasses import replace

from casetrack.ingest.extract.sentences import Sentence
from casetrack.ingest.types import EventMention

_FINAL_PUNCTUATION = re.compile(r"[.!?…:;][»”\"')]*$")


def headline_starts(sentences: list[Sentence], title: str | None) -> set[int]:
    """Offsets of the sentences that are headlines: the title, or a line standing alone unpunctuated."""
    wanted = _normalised(title) if title else None
    per_paragraph: dict[int, int] = {}
    for sentence in sentences:
        per_paragraph[sentence.paragraph] = per_paragraph.get(sentence.paragraph, 0) + 1
    return {
        s.start
        for s in sentences
        if (wanted and _normalised(s.text) == wanted)
        or (per_paragraph[s.paragraph] == 1 and not _FINAL_PUNCTUATION.search(s.text))
    }


def _normalised(text: str) -> str:
    return re.sub(r"\W+", " ", text).strip().casefold()


def fold_events(events: list[EventMention], headlines: set[int]) -> list[EventMention]:
    """The events with each restatement folded into the event it restates (order of first mention).

    Only events of the same kind can be one happening, so each is compared with the kept events of
    its kind (in order: the first that matches takes it), not with every kept event.
    """
    kept: list[EventMention] = []
    of_kind: dict[str, list[int]] = {}
    for event in events:
        same_kind = of_kind.setdefault(event.kind, [])
        index = next((i for i in same_kind if _same_happening(kept[i], event, headlines)), None)
        if index is None:
            same_kind.append(len(kept))
            kept.append(event)
        else:
            kept[index] = _merged(kept[index], event, headlines)
    return kept


def _is_headline(event: EventMention, headlines: set[int]) -> bool:
    return event.quote is not None and event.quote.start in headlines


def _principal(event: EventMention) -> frozenset[str]:
    return frozenset(event.persons) if event.persons else frozenset(event.organisations)


def _same_happening(a: EventMention, b: EventMention, headlines: set[int]) -> bool:
    if a.kind != b.kind or not _principal(a) or _principal(a) != _principal(b):
        return False
    if not (_dates_agree(a, b) and _agree(a.location, b.location) and _agree(a.case, b.case)):
        return False
    shared = a.figures.keys() & b.figures.keys()
    if any(a.figures[k] != b.figures[k] for k in shared):
        return False
    restated_figure = bool(shared) or bool(set(a.figures.values()) & set(b.figures.values()))
    return _is_headline(a, headlines) or _is_headline(b, headlines) or restated_figure


def _agree(a: str | None, b: str | None) -> bool:
    return a is None or b is None or a == b


def _date_parts(event: EventMention) -> tuple[int | None, int | None, int | None]:
    """(year, month, day) as far as stated; '--07-04' has no year."""
    value = event.date.value if event.date.known else None
    if not value:
        return (None, None, None)
    if value.startswith("--"):
        month, day = value[2:].split("-")
        return (None, int(month), int(day))
    parts: list[int | None] = [int(p) for p in value[:10].split("-")]
    parts += [None] * (3 - len(parts))
    return (parts[0], parts[1], parts[2])


def _dates_agree(a: EventMention, b: EventMention) -> bool:
    return all(x is None or y is None or x == y for x, y in zip(_date_parts(a), _date_parts(b), strict=True))


def _informativeness(event: EventMention, headlines: set[int]) -> tuple[bool, bool, int, int]:
    quote_length = len(event.quote.text) if event.quote else 0
    participants = len(event.persons) + len(event.organisations)
    return (event.date.known, not _is_headline(event, headlines), participants, quote_length)


def _merged(a: EventMention, b: EventMention, headlines: set[int]) -> EventMention:
    base, other = (a, b) if _informativeness(a, headlines) >= _informativeness(b, headlines) else (b, a)
    date = base.date
    if sum(p is not None for p in _date_parts(other)) > sum(p is not None for p in _date_parts(base)):
        date = other.date
    return replace(
        base,
        date=date,
        location=base.location or other.location,
        case=base.case or other.case,
        persons=_union(base.persons, other.persons),
        organisations=_union(base.organisations, other.organisations),
        actors=_union(base.actors, other.actors),
        figures=other.figures | base.figures,
    )


def _union(first: list[str], second: list[str]) -> list[str]:
    return list(dict.fromkeys([*first, *second]))
