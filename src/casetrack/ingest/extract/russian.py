"""Russian persons and organisations with natasha (NER + morphology, models inside the package).

natasha's NewsNERTagger finds PER and ORG spans; the lemmatiser turns inflected
forms (Беляцкому, Беляцкого) into the nominative (Беляцкий). A person named by
surname alone joins the full name with the same surname. Models load once,
lazily, on the first Russian document.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from casetrack.ingest.extract import lexicon
from casetrack.ingest.extract.sentences import Sentence, is_credit
from casetrack.ingest.names import name_key, nominative
from casetrack.ingest.types import MembershipMention, OrganisationMention, PersonMention

_RU_TITLES = {
    "правозащитник": None,
    "правозащитница": None,
    "журналист": None,
    "журналистка": None,
    "блогер": None,
    "блогерка": None,
    "адвокат": "lawyer",
    "защитник": "lawyer",
    "активист": None,
    "активистка": None,
    "политзаключённый": None,
    "политзаключенный": None,
    "председатель": "chair",
    "заместитель": "deputy",
    "руководитель": "head",
    "руководительница": "head",
    "глава": "head",
    "директор": "director",
    "основатель": "founder",
    "член": "member",
    "сотрудник": "member",
    "сотрудница": "member",
    "координатор": "coordinator",
    "юрист": "lawyer",
    "судья": "judge",
    "прокурор": "prosecutor",
    "следователь": "investigator",
    "оппозиционер": None,
    "художник": None,
    "поэт": None,
    "студент": None,
    "студентка": None,
    "волонтёр": None,
    "волонтер": None,
}

_KIND = [
    ("court", re.compile(r"суд\b|суда\b", re.I)),
    (
        "government",
        re.compile(
            r"посольств|министерств|МВД|ФСБ|КГБ|ГКНБ|прокуратур|СК\b|полици|милици|правительств", re.I
        ),
    ),
    ("intergovernmental", re.compile(r"\bООН\b|ОБСЕ|Евросоюз|Совет Европы", re.I)),
    ("media", re.compile(r"газет|радио|\bТВ\b|телеканал|агентств", re.I)),
    ("party", re.compile(r"парти", re.I)),
    ("ngo", re.compile(r"правозащит|центр|Мемориал|Весна|Вясна|Amnesty|фонд|движени|ОВД", re.I)),
]


@lru_cache(maxsize=1)
def _models() -> tuple[Any, Any, Any, Any]:
    from natasha import MorphVocab, NewsEmbedding, NewsMorphTagger, NewsNERTagger, Segmenter

    embedding = NewsEmbedding()
    return Segmenter(), MorphVocab(), NewsNERTagger(embedding), NewsMorphTagger(embedding)


@lru_cache(maxsize=1)
def _blas() -> Any:
    """The BLAS libraries numpy loaded (natasha imports numpy first), to run the models on one thread.

    natasha's matrices are small (one text, or batches of 8 sentences): extra BLAS threads
    mostly spin, and on a busy machine they doubled the CPU time of a long Russian page.
    Splitting the rows of a product over threads never changes its values.
    """
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController()


_NORMALISED = ("PER", "ORG")
"""Span types whose normal form is used; LOC spans keep their surface text."""


def _sentences_to_tag(doc: Any) -> list[Any]:
    """The sentences holding a token of a PER/ORG span: only their tokens' tags feed ``span.normalize``.

    A span's tokens are the document's own token objects (natasha envelops, not copies), so a
    sentence is needed when it shares a token with such a span, even a span crossing a sentence end.
    """
    needed = {id(token) for span in doc.spans if span.type in _NORMALISED for token in span.tokens}
    return [sent for sent in doc.sents if any(id(token) in needed for token in sent.tokens)]


def _tag_morphology(doc: Any, tagger: Any) -> None:
    """natasha's ``tag_morph_doc`` restricted to the sentences that need it, shortest first.

    The tagger is a CNN over each sentence alone (padding embeds as zeros and is masked after
    every layer), so neither the other sentences nor the batch a sentence lands in change its tags;
    sorting by length only cuts the padding of each batch of 8.
    """
    sentences = sorted(_sentences_to_tag(doc), key=lambda sent: len(sent.tokens))
    markups = tagger.map([[token.text for token in sent.tokens] for sent in sentences])
    for sent, markup in zip(sentences, markups, strict=True):
        for token, tagged in zip(sent.tokens, markup.tokens, strict=True):
            token.pos, token.feats = tagged.pos, tagged.feats


def _viterbi(emissions: Any, transitions: Any) -> list[int]:
    """slovnet's ``CRF.decode`` for one unpadded sequence (``emissions``: words x tags), same result.

    The same float operations in the same order ((score + transitions) + emissions, the maximum
    taken as the value at the first arg-maximum), without slovnet's per-word batch indexing.
    """
    import numpy as np

    score = emissions[0]
    history = np.empty((max(len(emissions) - 1, 0), emissions.shape[1]), dtype=np.intp)
    for index in range(1, len(emissions)):
        candidates = score[:, None] + transitions + emissions[index][None, :]
        history[index - 1] = candidates.argmax(0)
        score = candidates.max(0)
    best = int(score.argmax())
    tags = [best]
    for pointers in history[::-1]:
        best = int(pointers[best])
        tags.append(best)
    return tags[::-1]


def _tag_ner(doc: Any, tagger: Any) -> None:
    """natasha's ``tag_ner_doc`` on the tokens :func:`_segment` found, with :func:`_viterbi`.

    slovnet would tokenise the whole text again with the same razdel tokeniser (same words)
    and decode its CRF with a batch-indexed loop; the spans come out the same.
    """
    from natasha.doc import adapt_spans
    from slovnet.markup import BIOMarkup

    if not doc.text.strip():
        doc.spans = []
        return
    infer = tagger.infer
    words = [token.text for token in doc.tokens]
    batch = next(iter(infer.encoder([words])))
    emissions = infer.model(batch.word_id, batch.shape_id, batch.pad_mask)[0]
    tags = [
        infer.decoder.tags_vocab.decode(tag)
        for tag in _viterbi(emissions, infer.model.head.crf.transitions.array)
    ]
    markup = BIOMarkup.from_tuples(zip(words, tags, strict=True)).to_span(doc.text)
    doc.spans = list(adapt_spans(doc, [(span.start, span.stop, span.type) for span in markup.spans]))
    doc.envelop_span_tokens()
    doc.envelop_sent_spans()


def _segment(doc: Any) -> None:
    """natasha's ``Doc.segment``: razdel's tokens and sentences, each sentence enveloping its tokens.

    The same records, built straight from razdel's (natasha's ``Segmenter`` wraps each token in
    an intermediate record first: a third of the time of segmenting a long text).
    """
    from natasha.doc import DocSent, DocToken
    from razdel import sentenize, tokenize

    doc.tokens = [DocToken(token.start, token.stop, token.text) for token in tokenize(doc.text)]
    doc.sents = (
        [DocSent(sent.start, sent.stop, sent.text) for sent in sentenize(doc.text)] if doc.text else []
    )
    doc.envelop_sent_tokens()


def ner_spans(text: str) -> list[tuple[str, int, int, str]]:
    """(type, start, end, normal form) for every PER/ORG/LOC span natasha finds (LOC: the surface text)."""
    from natasha import Doc

    _, morph_vocab, ner_tagger, morph_tagger = _models()
    doc = Doc(text)
    _segment(doc)
    with _blas().limit(limits=1, user_api="blas"):
        _tag_ner(doc, ner_tagger)
        _tag_morphology(doc, morph_tagger)
    spans = []
    for span in doc.spans:
        if span.type in _NORMALISED:
            span.normalize(morph_vocab)
        spans.append((span.type, span.start, span.stop, span.normal or span.text))
    return spans


def _sentence_locator(sentences: list[Sentence]) -> Callable[[int], Sentence | None]:
    """The sentence holding a character position, found by bisection over the sentences' starts
    (``split_sentences`` gives them in order, without overlaps); None between sentences."""
    starts = [sentence.start for sentence in sentences]

    def sentence_at(position: int) -> Sentence | None:
        index = bisect.bisect_right(starts, position) - 1
        return sentences[index] if index >= 0 and position < sentences[index].end else None

    return sentence_at


_CROSSES_SENTENCE = re.compile(r"\w{2,}[.!?]\s")
"""'Да. К.К.' in an interview transcript: a word, a full stop, then more is two sentences, not a name."""
_EMBASSY = re.compile(
    r"\b([Пп]осольств|[Кк]онсульств)[а-я]*\s+([А-ЯЁ][а-яё]+(?:\s+[А-ЯЁ][а-яё]+)?)(?:\s+в\s+([А-ЯЁ][а-яё]+))?"
)


def _embassies(text: str) -> list[tuple[str, int, int, str]]:
    """'посольства Беларуси в Кыргызстане' -> ORG 'Посольство Беларуси в Кыргызстане' (natasha often misses them)."""
    found = []
    for match in _EMBASSY.finditer(text):
        head = "Посольство" if match.group(1).lower().startswith("п") else "Консульство"
        name = f"{head} {match.group(2)}" + (f" в {match.group(3)}" if match.group(3) else "")
        found.append(("ORG", match.start(), match.end(), name))
    return found


def _org_country(name: str) -> str | None:
    """'Посольство Беларуси в ...' -> BY: the first word whose lemma is a country or demonym adjective."""
    if not re.match(r"(?:Посольство|Консульство|Министерство|Правительство)\b", name):
        return None
    for word in name.split()[1:3]:
        lemma = _lemma(word)
        code = lexicon.COUNTRIES.get(lemma) or lexicon.DEMONYMS.get(lemma)
        if code:
            return code
    return None


def _city_after(text: str, end: int) -> str | None:
    """'Ленинский районный суд Минска' -> BY: a known capital in the genitive right after the name."""
    following = re.match(r"\s+(?:г\.\s*)?([А-ЯЁ][а-яё]+)", text[end : end + 40])
    return lexicon.CITIES.get(_lemma(following.group(1))) if following else None


def _person_nominative(surface: str, natasha_normal: str) -> str:
    """pymorphy3's agreeing reading of the whole name, else natasha's normal form."""
    surface = surface.strip(" ,.")
    candidate = nominative(surface)
    return candidate if candidate != surface else natasha_normal


@lru_cache(maxsize=16384)
def _lemma(word: str) -> str:
    """pymorphy3's first normal form (cached: the same title and name words recur on a page)."""
    from casetrack.ingest.names import _morphology

    parses = _morphology().parse(word)
    return str(parses[0].normal_form) if parses else word.lower()


def _describe(
    text: str, start: int, sentence: Sentence | None, orgs: list[tuple[int, int, str]]
) -> tuple[str | None, list[MembershipMention]]:
    """'правозащитник Алесь Беляцкий', 'глава центра «Весна» Алесь Беляцкий': the words before a name."""
    begin = sentence.start if sentence else max(0, start - 120)
    window = text[begin:start]
    clause = re.split(r"[,;:—–(]\s*|\s(?:и|а|но|что)\s", window)[-1]
    words = re.findall(r"[А-Яа-яЁё\-]+|«[^»]*»", clause)
    for word in words[-8:]:
        if word[:1] == "«":
            continue
        lemma = _lemma(word)
        if lemma in _RU_TITLES:
            phrase = clause[clause.find(word) :].strip()
            description = " ".join([lemma, *phrase.split()[1:]]) if phrase else lemma
            role = _RU_TITLES[lemma]
            following = phrase.split()[1:2]
            if role == "deputy" and following and _RU_TITLES.get(_lemma(following[0])):
                role = f"deputy {_RU_TITLES[_lemma(following[0])]}"
            title_at = begin + len(window) - len(clause) + clause.find(word)
            memberships = [
                MembershipMention(name, role)
                for org_start, org_end, name in orgs
                if role and title_at <= org_start and org_end <= start
            ]
            return description or None, memberships
    return None, []


def _org_nominative(surface: str, natasha_normal: str) -> str:
    """Only the head of an organisation's name takes the nominative: 'Центром гражданских свобод'
    -> 'Центр гражданских свобод' (natasha's normal form turns every word: 'Центр гражданские
    свободы'). The words up to the first noun come from natasha, the rest stay as written."""
    words, normal = surface.split(), natasha_normal.split()
    if len(words) < 2 or len(words) != len(normal):
        return natasha_normal
    from casetrack.ingest.names import _morphology

    for index, word in enumerate(words):
        parses = _morphology().parse(word.strip('«»"'))
        if parses and "NOUN" in parses[0].tag:
            return " ".join([*normal[: index + 1], *words[index + 1 :]])
    return natasha_normal


def _unquoted(name: str) -> str:
    """'«Весна»' -> 'Весна'; quotes inside a name stay balanced ('Правозащитный центр «Весна»')."""
    name = name.strip()
    if name[:1] in '«"' and name[-1:] in '»"' and name.count("«") + name.count('"') <= 2:
        return name[1:-1]
    if name.count("«") != name.count("»"):
        return name.strip('«»"')
    return name


def _closed(text: str, start: int, end: int) -> int:
    """The end of an ORG span, past a closing » that natasha left out ('центра «Весна')."""
    surface = text[start:end]
    if surface.count("«") > surface.count("»") and text[end : end + 1] == "»":
        return end + 1
    return end


def _merge_quoted(organisations: dict[str, OrganisationMention], surface: dict[str, str]) -> None:
    """'Весна' / 'Весны' alone is the organisation named 'Правозащитный центр «Весна»'."""
    for full in list(organisations.values()):
        quoted = re.search(r"«([^»]+)»", full.name)
        if not quoted or full.name == quoted.group(0):
            continue
        short = quoted.group(1)
        if short not in full.aliases:
            full.aliases.append(short)
        for name, mention in list(organisations.items()):
            if mention is full or _lemma(name) != _lemma(short) or len(name.split()) != len(short.split()):
                continue
            del organisations[name]
            for alias in [name, *mention.aliases]:
                if alias != full.name and alias not in full.aliases:
                    full.aliases.append(alias)
            for form, canonical in surface.items():
                if canonical == name:
                    surface[form] = full.name
        surface[short] = full.name


def _kind(name: str) -> str:
    return next((kind for kind, pattern in _KIND if pattern.search(name)), "other")


def russian_names(
    text: str, sentences: list[Sentence]
) -> tuple[list[OrganisationMention], dict[str, str], list[PersonMention], dict[str, str]]:
    persons: dict[str, PersonMention] = {}
    person_surface: dict[str, str] = {}
    organisations: dict[str, OrganisationMention] = {}
    org_surface: dict[str, str] = {}
    sentence_at = _sentence_locator(sentences)
    spans = [
        (
            kind,
            start,
            _closed(text, start, end) if kind == "ORG" else end,
            _person_nominative(text[start:end], normal)
            if kind == "PER"
            else _org_normal(text, start, end, normal),
        )
        for kind, start, end, normal in ner_spans(text)
        if not is_credit((sentence_at(start) or Sentence("", 0, 0, 0)).text)
        and not (kind == "PER" and _CROSSES_SENTENCE.search(text[start:end]))
    ]
    embassies = _embassies(text)
    spans = [
        span for span in spans if not any(s <= span[1] < e for _, s, e, _ in embassies) or span[0] != "ORG"
    ] + embassies
    spans.sort(key=lambda span: span[1])
    full_names: dict[str, str] = {}
    for kind, _, _, normal in spans:
        if kind == "PER" and len(normal.split()) > 1:
            full_names.setdefault(name_key(normal.split()[-1]), normal)
            full_names.setdefault(name_key(normal), normal)
    org_spans = [(start, end, _unquoted(normal)) for kind, start, end, normal in spans if kind == "ORG"]
    for kind, start, end, normal in spans:
        sentence = sentence_at(start)
        quote = sentence.quote() if sentence else None
        surface = text[start:end]
        if kind == "PER":
            canonical = full_names.get(name_key(normal))
            if canonical is None:
                continue
            mention = persons.setdefault(canonical, PersonMention(name=canonical, quote=quote))
            if surface != canonical and surface not in mention.aliases:
                mention.aliases.append(surface)
            description, memberships = _describe(text, start, sentence, org_spans)
            if description and not mention.description:
                mention.description, mention.quote = description, quote
            for membership in memberships:
                if all(m.organisation != membership.organisation for m in mention.memberships):
                    mention.memberships.append(membership)
            person_surface[surface] = canonical
            person_surface[canonical] = canonical
        elif kind == "ORG":
            name = _unquoted(normal)
            mention_org = organisations.setdefault(
                name,
                OrganisationMention(
                    name=name,
                    kind=_kind(name),
                    country=_org_country(name) or _city_after(text, end),
                    quote=quote,
                ),
            )
            if _unquoted(surface) != name and _unquoted(surface) not in mention_org.aliases:
                mention_org.aliases.append(_unquoted(surface))
            org_surface[surface] = name
            org_surface[name] = name
    _merge_quoted(organisations, org_surface)
    for person in persons.values():
        for membership in person.memberships:
            membership.organisation = org_surface.get(membership.organisation, membership.organisation)
        person.memberships = list({m.organisation: m for m in reversed(person.memberships)}.values())[::-1]
    return list(organisations.values()), org_surface, list(persons.values()), person_surface


def _org_normal(text: str, start: int, end: int, natasha_normal: str) -> str:
    normal = (
        _org_nominative(text[start:end], natasha_normal)
        if natasha_normal != text[start:end]
        else natasha_normal
    )
    closed = _closed(text, start, end)
    if closed != end and normal.count("«") > normal.count("»"):
        normal += "»"
    return normal
