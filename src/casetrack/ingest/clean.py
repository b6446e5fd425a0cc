"""Page furniture out, article body and metadata in.

HTML goes through trafilatura (precision-favouring settings, its fast
extractor first and its full cascade only when that finds little). The page
is parsed once; the metadata we use (title, site name, canonical URL, date) is
read from that tree by :func:`page_metadata`, trafilatura's own metadata steps
less the ones casetrack does not use. When trafilatura finds no body the page's
visible text is treated as a text copy instead.

Text copies (what a monitor gets by selecting a whole page and pasting it) are
cleaned by general line rules, never by site. Every line is classified:

* *prose*: a sentence-like line; *list items* (``1. Name``) count a little;
* *furniture*: clock and ticker lines, currency rates, language switches,
  short lines dense in numbers or links, social network names, a headline
  printed twice, ``key: value`` page data (``views: 127``), relative times
  ("2 days ago"), copyright lines, one-line "Read also: ..." links,
  breadcrumbs, donation buttons, picture credits, and runs of three or more
  one-to-three-word lines (menus);
* *repeated*: short lines found elsewhere on the page too (a feed echoing the
  headlines, a pull quote): a small penalty, kept when inside the body;
* *markers* that open furniture sections, in English, Russian, Belarusian,
  Ukrainian and Kyrgyz: "Related", "Popular", "Tags" ... and the "Read also"
  headers ("Читайте также", "Дагы окуңуз"). A marker followed by a few
  headline lines and then more prose is a link block inside the article:
  it goes and the body goes on. Comment threads, sharing and "Follow us"
  blocks always end the article.

Markers split the page into segments; inside each, prose lines score their
word count and every other line a small penalty, and the best contiguous run
(maximum subarray) is the body, less the furniture lines inside it. The title
is the headline above the date line of a byline block (author, role, tags)
right above the body, or else the line right above the body past date and
``link:`` lines. Metadata comes from the furniture: a ``link:``/``url:``/``source:``
line gives the canonical URL; the publisher is a header line spelling the
domain's name ("Example 24!" for example24.org), else the site's name line
above its menu, else the domain.
"""

from __future__ import annotations

import contextlib
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from casetrack.ingest.read import HTML, MARKDOWN

_CLOCK = re.compile(r"^\d{1,2}[:.]\d{2}(?::\d{2})?\s*(?:[ap]\.?m\.?)?$", re.I)
_TICKER = re.compile(r"^(?:[A-Z]{3,4}|[$€£¥₽₸])\s*[:=/]?\s*[-+]?\d[\d\s.,]*\s*(?:%|[▲▼↑↓+\-])?\s*$")
_URL = re.compile(r"https?://[^\s<>\"')\]]+", re.I)
_KEYED_URL = re.compile(
    r"^\s*(?:link|url|source|permalink|canonical|original|ссылка|источник)\s*:\s*(https?://\S+)\s*$", re.I
)
_KEY_VALUE = re.compile(r"^[\w\s]{2,20}:\s*\S{1,30}$")
_DOMAIN = re.compile(r"\b((?:[a-z0-9][a-z0-9-]*\.)+(?:[a-z]{2,6}))\b", re.I)
_LIST_ITEM = re.compile(r"^(?:\d{1,3}[.)]|[•▪◦·*\-–—])\s+\S")
_SENTENCE_END = re.compile(r"[.!?…][\"'”»’)]*\s*$")
_SENTENCE_START = re.compile(r"^[\"'“«„(]?[^\W\d_]", re.U)
_COPYRIGHT = re.compile(r"^(?:©|\(c\)|copyright\b)|all rights reserved|все права защищены", re.I)
_WORD = re.compile(r"[^\W\d_][\w'’\-]*", re.U)
_NUMBER = re.compile(r"\d[\d.,:/%]*")
_NON_WORD = re.compile(r"[\W_]+")
_INNER_STOP = re.compile(r"[.][\"'”»’)]*\s+[\"'“«„(]?(?=[^\W\d_])")
_TERMINAL = re.compile(r"[.!?…:;][\"'”»’)\]]*\s*$|[\"”»]\s*$")

LANGUAGE_NAMES = {
    "english", "русский", "кыргызча", "қазақша", "казакша", "oʻzbekcha", "o'zbekcha", "ўзбекча", "тоҷикӣ",
    "беларуская", "белорусский", "українська", "украинский", "deutsch", "français", "español", "italiano",
    "türkçe", "polski", "հայերեն", "ქართული", "azərbaycanca", "en", "ru", "kg", "kz", "by", "ua", "de", "fr",
    "es", "uz", "tj", "eng", "rus", "бел", "рус", "укр", "қаз", "кыр", "中文", "العربية", "فارسی",
}  # fmt: skip
SOCIAL = {
    "facebook", "twitter", "x", "telegram", "vk", "vkontakte", "вконтакте", "одноклассники", "ok", "whatsapp",
    "viber", "youtube", "instagram", "tiktok", "linkedin", "rss", "email", "e-mail", "mastodon", "bluesky",
    "threads", "print", "печать", "share", "поделиться", "tweet", "reddit", "pinterest", "copy link",
}  # fmt: skip
READ_ALSO = {  # "read also" headers: the short headline lines under them are links to other articles
    "read also", "also read", "see also", "read more on this", "more on this", "more on this topic",
    "more on the topic", "read next", "further reading", "you may also like", "you might also like",
    "читайте также", "смотрите также", "читайте еще", "читайте ещё", "читайте по теме", "по теме",
    "новости по теме", "материалы по теме", "еще по теме", "ещё по теме", "сейчас читают",
    "чытайце таксама", "глядзіце таксама", "па тэме", "навіны па тэме",
    "читайте також", "дивіться також", "по темі", "за темою", "новини за темою",
    "дагы окуңуз", "ошондой эле окуңуз", "ошондой эле караңыз", "окуй жүрүңүз", "тектеш",
    "сондай ақ оқыңыз",
}  # fmt: skip
MARKERS = READ_ALSO | {  # sections that may also sit inside an article as a short link block
    "related", "related news", "related articles", "related stories", "related posts", "related content",
    "more news", "more stories", "more from", "popular", "most popular", "most read", "most viewed",
    "trending", "latest", "latest news", "news feed", "newsfeed", "top stories", "recommended",
    "recommended for you", "editor s picks", "tags", "categories", "topics",
    "похожие новости", "похожие материалы", "похожие статьи", "популярное", "популярные новости",
    "самое читаемое", "самое популярное", "актуальное", "лента новостей", "последние новости", "теги",
    "рубрики", "главное", "другие новости", "выбор редакции", "рекомендуем",
    "падобныя навіны", "папулярнае", "самае чытанае", "актуальнае", "галоўнае", "іншыя навіны",
    "апошнія навіны", "стужка навін", "тэгі",
    "схожі новини", "популярне", "найпопулярніше", "найчитаніше", "актуальне", "головне", "інші новини",
    "останні новини", "стрічка новин", "рекомендуємо",
    "окшош жаңылыктар", "башка жаңылыктар", "көп окулгандар", "популярдуу", "актуалдуу",
    "акыркы жаңылыктар", "жаңылыктар тасмасы", "тегдер", "ұқсас жаңалықтар", "танымал",
}  # fmt: skip
TAXONOMY = {"tags", "categories", "topics", "теги", "рубрики", "тэгі", "тегдер"}  # sections, not links
END_MARKERS = {  # what follows is never the article: comments, sharing, following
    "write your comment", "comments", "leave a comment", "add comment", "add a comment", "post a comment",
    "join the discussion", "share", "share this", "share this article", "follow us", "subscribe",
    "комментарии", "оставить комментарий", "поделиться", "подписывайтесь", "пикирлер",
    "каментары", "коментарі", "поділитися",
}  # fmt: skip
INLINE_MARKERS = {"read more", "читать далее", "подробнее", "детальніше", "падрабязней", "кененирээк"}
_READ_ALSO_LINE = re.compile(  # "Read also: <headline>" on one line: a link to another article
    r"^(?:read also|also read|see also|читайте также|смотрите также|читайте ещё|читайте еще"
    r"|чытайце таксама|глядзіце таксама|читайте також|дивіться також|дагы окуңуз)\s*[:\-–—]\s*\S",
    re.I,
)
_MARKER_RE = re.compile(
    r"^(?:follow|subscribe to|join|find) (?:us|our|\S+ (?:on|social)|.*social media)"
    r"|^(?:подписывайтесь|следите за)\b",
    re.I,
)
_COMMENTS_RE = re.compile(  # short lines that open or belong to a comment thread
    r"^(?:\S+\s+){0,3}(?:comments?|комментари\w*|пикир\w*)\b(?:\s+\S+){0,3}$"
    r"|^leave a reply\b|^cancel reply$"
    r"|^(?-i:(?=\S*(?:\d|_|[a-z][A-Z])|[a-z0-9_.\-]{5,}\s)\S+)\s(?:says|said|wrote|пишет|написал\w*):$",
    re.I,
)
_CREDIT = re.compile(  # "Photo: Reuters", "Фото из личного архива", "Caption / Photo: X": a picture's credit
    r"^(?:photos?|фото\w*|foto|сүрөт\w*|video|видео|illustrations?|иллюстраци\w*|ілюстрац\w*)"
    r"(?:\s*(?:by\b|:|—|–|-|©)|\s+(?:from|courtesy|из|с|от|з|ад)\b|\b.{0,60}\b(?:archive|архив)\w*$)"
    r"|\s[/|]\s*(?:photos?|фото\w*|foto)\s*(?::|by\b|©)",
    re.I,
)
_CALL_TO_ACTION = re.compile(  # "Support us", "Поддержать ОВД-Инфо": a donation button
    r"^(?:support|donate|поддержать|поддержите|помочь проекту|падтрымаць|підтримати|колдоо)\b", re.I
)
CALL_TO_ACTION_WORDS = 3
CREDIT_WORDS = 8
CAPTION_WORDS = 25
_BREADCRUMB_SEPARATOR = re.compile(r"\s+[>»›→]\s+")
_RELATIVE_TIME = re.compile(
    r"^(?:\d+|an?|one)\s+(?:second|minute|hour|day|week|month|year)s?\s+ago\b.{0,30}$"
    r"|^\d+\s+(?:секунд|минут|час|дн|день|недел|месяц|год|лет)\w*\s+назад\b.{0,30}$"
    r"|^(?:yesterday|today|вчера|сегодня)(?:,?\s+(?:at\s+)?\d{1,2}[:.]\d{2}.{0,10})?$",
    re.I,
)


@dataclass(slots=True)
class Cleaned:
    """The body and metadata one input yields.

    For a text copy, ``lines`` is the page and ``title_index``/``body`` say where
    the article is in it (the date finder reads the furniture around it); for
    HTML, ``html`` keeps the page and :func:`page_view` gives that view on demand.
    """

    text: str
    title: str | None = None
    publisher: str | None = None
    url: str | None = None
    date: str | None = None  # a date the HTML metadata gave (ISO), if any
    lines: list[str] = field(default_factory=list)  # the page as text, line by line
    title_index: int | None = None  # line index of the title in ``lines``
    body: tuple[int, int] = (0, 0)  # [start, end) line indices of the body in ``lines``
    html: str | None = field(default=None, repr=False)  # the page, when the body came from HTML
    saved: tuple[str, str] | None = None  # (ISO minute, evidence) when the file says when it was saved
    dateline: int | None = None  # line index of the date line in the byline block right above the body


def clean(text: str, media_type: str, *, url: str | None = None) -> Cleaned:
    """Cleaned body and metadata of a decoded document of ``media_type``."""
    if media_type == HTML:
        return clean_html(text, url=url)
    if media_type == MARKDOWN:
        text, front = _strip_markdown(text)
        cleaned = clean_text(text)
        cleaned.title = front.get("title") or cleaned.title
        cleaned.url = front.get("url") or front.get("link") or front.get("canonical") or cleaned.url
        cleaned.date = front.get("date") or front.get("published")
        cleaned.publisher = front.get("publisher") or front.get("source") or cleaned.publisher
        return cleaned
    cleaned = clean_text(text)
    if url and not cleaned.url:
        cleaned.url = url
        cleaned.publisher = cleaned.publisher or site_domain(url)
    return cleaned


# --- HTML -----------------------------------------------------------------------------------------


def clean_html(html: str, *, url: str | None = None) -> Cleaned:
    """trafilatura's body and metadata; the visible text cleaned as a text copy when it finds none."""
    saved_url, saved = saved_page_note(html)
    cleaned = _clean_html(html, url or saved_url)
    cleaned.url = cleaned.url or saved_url
    cleaned.saved = saved
    return cleaned


_SAVED_FROM = re.compile(r"<!--\s*saved from url=\(\d+\)(https?://[^\s>]+?)\s*-->", re.I)
_SINGLEFILE_URL = re.compile(r"Page saved with SingleFile\s+url:\s*(https?://\S+)", re.I)
_SINGLEFILE_DATE = re.compile(r"saved date:\s*\w{3}\s+(\w{3})\s+(\d{1,2})\s+(\d{4})\s+(\d{2}):(\d{2})", re.I)
_MONTH_ABBREVIATIONS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]


def saved_page_note(html: str) -> tuple[str | None, tuple[str, str] | None]:
    """The URL and save time that browsers and SingleFile write into a saved page's comments."""
    head = html[:4096]
    match = _SAVED_FROM.search(head) or _SINGLEFILE_URL.search(head)
    url = match.group(1) if match else None
    when = _SINGLEFILE_DATE.search(head)
    if when is None or when.group(1).lower() not in _MONTH_ABBREVIATIONS:
        return url, None
    month = _MONTH_ABBREVIATIONS.index(when.group(1).lower()) + 1
    day, year, hour, minute = (int(when.group(i)) for i in range(2, 6))
    if not (1 <= day <= 31 and hour < 24 and minute < 60):
        return url, None
    return url, (f"{year:04d}-{month:02d}-{day:02d}T{hour:02d}:{minute:02d}", when.group(0).strip())


def _clean_html(html: str, url: str | None) -> Cleaned:
    extracted = _trafilatura(html, url)
    if extracted is None or not (extracted.text or "").strip():
        cleaned = clean_text(visible_text(html))
        if extracted is not None:
            cleaned.url = extracted.url or url or cleaned.url
            cleaned.publisher = extracted.sitename or extracted.hostname or cleaned.publisher
            cleaned.title = strip_site_name(extracted.title or "", cleaned.publisher) or cleaned.title
            cleaned.date = extracted.date
        return cleaned
    canonical = extracted.url or url
    publisher = (
        (extracted.sitename or "").strip()
        or extracted.hostname
        or (site_domain(canonical) if canonical else None)
    )
    title = strip_site_name((extracted.title or "").strip(), publisher) or None
    return Cleaned(
        text=drop_section_label(_tidy(extracted.text or ""), title),
        title=title,
        publisher=publisher,
        url=canonical,
        date=extracted.date,
        html=html,
    )


def drop_section_label(text: str, title: str | None) -> str:
    """'Articles / Headline / body...' -> 'Headline / body...': a section label the extractor kept above the title."""
    if not title:
        return text
    head, newline, rest = text.partition("\n")
    if newline and rest.startswith(title + "\n") and head.strip() != title and _menu_item(head.strip()):
        return rest
    return text


def strip_site_name(title: str, site: str | None) -> str:
    """'Headline | Site' -> 'Headline' when the part after the separator is the site's name or domain."""
    if not site:
        return title
    names = {_key(site), _key(site.rsplit(".", 1)[0])}
    for separator in (" | ", " — ", " – ", " - ", " :: ", " · "):
        head, found, tail = title.rpartition(separator)
        if found and head.strip() and _key(tail) in names:
            return head.strip()
        tail, found, head = title.partition(separator)
        if found and head.strip() and _key(tail) in names:
            return head.strip()
    return title


def page_view(cleaned: Cleaned) -> Cleaned:
    """The page as a text copy (lines, title and body positions): itself, or its HTML's visible text cleaned."""
    if cleaned.html is None:
        return cleaned
    view = clean_text(visible_text(cleaned.html))
    view.title = cleaned.title or view.title
    return view


MIN_FAST_BODY = 300
DATE_PARAMS: dict[str, Any] = {"original_date": True, "extensive_search": False}
"""htmldate settings for the page date: the original publication date, no extensive search."""


def _trafilatura(html: str, url: str | None) -> Any:
    """trafilatura's fast extraction, or its full cascade when the fast one finds little, with the page's metadata."""
    from trafilatura.utils import load_html

    try:
        tree = load_html(html)
        if tree is None:
            return None
        metadata = page_metadata(tree, url)
    except (RecursionError, ValueError, TypeError, AttributeError, LookupError, MemoryError):
        return None
    result = _bare_extraction(tree, url, fast=True)
    if result is None or len(result.text or "") < MIN_FAST_BODY:
        result = _bare_extraction(tree, url, fast=False) or result
    if result is None:
        return None
    for name in ("title", "sitename", "url", "hostname", "date"):
        setattr(result, name, getattr(metadata, name))
    return result


def page_metadata(tree: Any, url: str | None) -> Any:
    """The metadata we use (title, site name, canonical URL, host, date), as trafilatura finds them.

    The same steps, in the same order, as ``trafilatura.metadata.extract_metadata``
    less author, categories, tags and licence, which casetrack does not use: the
    author search alone deep-copies the whole page and took a tenth of the
    per-page cleaning time. A test compares the two on the corpus.
    """
    from courlan import extract_domain
    from htmldate import find_date
    from trafilatura.metadata import (
        META_URL,
        examine_meta,
        extract_meta_json,
        extract_sitename,
        extract_title,
        extract_url,
    )

    metadata = examine_meta(tree)
    with contextlib.suppress(Exception):  # trafilatura's JSON-LD reader is known to raise anything
        metadata = extract_meta_json(tree, metadata)
    metadata.title = metadata.title or extract_title(tree)
    metadata.url = metadata.url or extract_url(tree, url)
    if metadata.url:
        metadata.hostname = extract_domain(metadata.url, fast=True)
    metadata.date = find_date(tree, url=metadata.url, **DATE_PARAMS)
    metadata.sitename = metadata.sitename or extract_sitename(tree)
    if metadata.sitename:
        metadata.sitename = metadata.sitename.lstrip("@")
        if metadata.sitename and "." not in metadata.sitename and not metadata.sitename[0].isupper():
            metadata.sitename = metadata.sitename.title()
    elif metadata.url and (match := META_URL.match(metadata.url)):
        metadata.sitename = match[1]
    metadata.clean_and_trim()
    return metadata


def _bare_extraction(tree: Any, url: str | None, *, fast: bool) -> Any:
    import trafilatura

    try:
        result = trafilatura.bare_extraction(
            tree,
            url=url,
            with_metadata=False,
            favor_precision=True,
            fast=fast,
            include_comments=False,
            include_tables=True,
        )
    except (RecursionError, ValueError, TypeError, AttributeError, LookupError, MemoryError):
        return None
    return result if result is not None and not isinstance(result, dict) else None


_SCRIPT = re.compile(r"<(script|style|noscript|template|svg)\b.*?</\1\s*>", re.I | re.S)
_BLOCK = re.compile(
    r"<\s*/?\s*(?:p|div|br|li|h[1-6]|tr|section|article|header|footer|nav|ul|ol|table|blockquote)\b[^>]*>",
    re.I,
)
_TAG = re.compile(r"<[^>]*>")


def visible_text(html: str) -> str:
    """The page's text, a line per block element, without markup (regex: never fails on broken HTML)."""
    import html as html_lib

    text = _SCRIPT.sub(" ", html)
    text = re.sub(r"<!--.*?-->", " ", text, flags=re.S)
    text = _BLOCK.sub("\n", text)
    text = html_lib.unescape(_TAG.sub(" ", text))
    lines = (re.sub(r"[ \t\r\f\v]+", " ", line).strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line)


# --- Markdown -------------------------------------------------------------------------------------

_FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*\n", re.S)


def _strip_markdown(text: str) -> tuple[str, dict[str, str]]:
    front: dict[str, str] = {}
    match = _FRONT_MATTER.match(text)
    if match:
        for line in match.group(1).splitlines():
            key, _, value = line.partition(":")
            if value.strip():
                front[key.strip().lower()] = value.strip().strip("\"'")
        text = text[match.end() :]
    text = re.sub(r"!\[[^\]]*\]\([^)]*\)", "", text)
    text = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"^\s{0,3}#{1,6}\s+", "", text, flags=re.M)
    text = re.sub(r"(\*\*|__)(.+?)\1", r"\2", text)
    text = re.sub(r"^\s{0,3}>\s?", "", text, flags=re.M)
    return text, front


# --- text copies ----------------------------------------------------------------------------------

PROSE, LIST, OTHER, FURNITURE, MARKER, BLANK = "prose", "list", "other", "furniture", "marker", "blank"
INLINE = "inline"  # a related-links block inside the article: costs nothing, left out of the body
REPEATED = "repeated"  # a line found elsewhere on the page too (a feed echoing headlines, a pull quote)


def _key(line: str) -> str:
    return _NON_WORD.sub(" ", line.casefold()).strip()


def _words(line: str) -> list[str]:
    return _WORD.findall(line)


def _doubled(line: str) -> bool:
    """A headline printed twice in a row (a link's text and its tooltip): 'A b c A b c'."""
    words = line.split()
    half = len(words) // 2
    return len(words) >= 4 and len(words) % 2 == 0 and words[:half] == words[half:]


def classify(line: str, repeated: bool = False, *, key: str | None = None) -> str:
    """The kind of one line of a text copy: prose, list item, furniture, marker, blank or other.

    ``key`` is the line's :func:`_key` when the caller has it already.
    """
    stripped = line.strip()
    if not stripped:
        return BLANK
    key = _key(stripped) if key is None else key
    if key in MARKERS or key in END_MARKERS or _MARKER_RE.match(stripped) or _COMMENTS_RE.match(stripped):
        return MARKER
    words = _words(stripped)
    numbers = _NUMBER.findall(stripped)
    enumerated = bool(words) and (stripped.endswith(";") or stripped.startswith("№"))  # "«Party» — 24 %;"
    if (
        _CLOCK.match(stripped)
        or _TICKER.match(stripped)
        or _KEYED_URL.match(stripped)
        or key in LANGUAGE_NAMES
        or key in SOCIAL
        or key in INLINE_MARKERS
        or _READ_ALSO_LINE.match(stripped)
        or _doubled(stripped)
        or (all(part in LANGUAGE_NAMES for part in key.split()) and key)
        or (all(part in SOCIAL for part in key.split()) and key)
        or (len(words) <= 6 and len(numbers) >= max(1, len(words)) and not enumerated)
        or (len(words) <= 3 and _KEY_VALUE.match(stripped) and numbers)
        or _url_dense(stripped, words)
        or _COPYRIGHT.search(stripped)
        or _RELATIVE_TIME.match(stripped)
        or (len(words) <= CREDIT_WORDS and _CREDIT.match(stripped))
        or (len(words) <= CAPTION_WORDS and _CREDIT.search(stripped) and not _TERMINAL.search(stripped))
        or _breadcrumb(stripped)
        or (len(words) <= CALL_TO_ACTION_WORDS and _CALL_TO_ACTION.match(stripped))
    ):
        return FURNITURE
    if repeated and len(words) < 30:
        return REPEATED
    if _is_prose(stripped, words):
        return PROSE
    if (_LIST_ITEM.match(stripped) and words) or enumerated:
        return LIST
    return PROSE if _short_sentence(stripped, words) else OTHER


def _breadcrumb(line: str) -> bool:
    """'Blog > Health > Weight loss': three or more short items joined by arrows."""
    if ">" not in line and "»" not in line and "›" not in line and "→" not in line:
        return False
    items = _BREADCRUMB_SEPARATOR.split(line)
    return (
        len(items) >= 3 and all(1 <= len(_words(item)) <= 4 for item in items) and not _TERMINAL.search(line)
    )


def _url_dense(line: str, words: list[str]) -> bool:
    urls = _URL.findall(line)
    return bool(urls) and sum(map(len, urls)) > len(line) / 2


def _is_prose(line: str, words: list[str]) -> bool:
    if len(words) >= 20:
        return True
    if len(words) >= 6 and _TERMINAL.search(line):
        return True
    return len(words) >= 12 and _inner_sentence(line)


def _inner_sentence(line: str) -> bool:
    """A sentence of six or more words, then one that lost its final full stop: prose.

    (The last line of a copied article often lost its full stop; a headline
    never holds a six-word sentence and then more. A line ending in a number
    or a quote is a reference or a caption, not a sentence.)
    """
    if not line[-1:].isalpha():
        return False
    for stop in _INNER_STOP.finditer(line):
        following = line[stop.end() : stop.end() + 1]
        if (
            following.isupper()
            and len(_words(line[: stop.start()])) >= 6
            and len(_words(line[stop.end() :])) >= 3
        ):
            return True
    return False


def _short_sentence(line: str, words: list[str]) -> bool:
    """'No one was hurt.': a short line that starts like a sentence and ends with a full stop."""
    return len(words) >= 2 and bool(_SENTENCE_END.search(line)) and bool(_SENTENCE_START.match(line))


def _score(kind: str, line: str) -> float:
    if kind == PROSE:
        return float(len(_words(line)))
    if kind == LIST:
        return 1.0
    if kind in (BLANK, INLINE):
        return 0.0
    if kind == REPEATED:
        return -1.0
    if kind == FURNITURE:
        return -6.0
    return -1.0 - len(_words(line)) / 4


def clean_text(text: str) -> Cleaned:
    """The article in a text copy of a page: the best prose run, its title and the page's metadata."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    lines = [line.rstrip() for line in text.split("\n")]
    keys = [_key(line) for line in lines]
    counts = Counter(key for key in keys if key)
    kinds = _menus_to_furniture(
        lines, [classify(line, counts[key] > 1, key=key) for line, key in zip(lines, keys, strict=True)]
    )
    kinds = _inline_blocks_to_furniture(lines, kinds)
    start, end = _best_run(lines, kinds)
    if start == end:
        body_lines = [
            line for line, kind in zip(lines, kinds, strict=True) if kind in (PROSE, LIST, OTHER, BLANK)
        ]
        start, end = 0, len(lines)
        title_index = dateline = None
    else:
        dateline = _dateline_above(lines, kinds, start)
        title_index = _title_above(lines, kinds, start, dateline)
        body_lines = [
            line
            for line, kind in zip(lines[start:end], kinds[start:end], strict=True)
            if kind not in (INLINE, FURNITURE)
        ]
    title = lines[title_index].strip() if title_index is not None else None
    body = _tidy("\n".join(body_lines))
    url = _canonical_url(lines)
    outside = [line for i, line in enumerate(lines) if not start <= i < end and i != title_index]
    header_end = title_index if title_index is not None else start
    publisher = _publisher(url, outside, _site_name_line(lines, kinds, header_end))
    full = f"{title}\n\n{body}" if title else body
    return Cleaned(
        text=full,
        title=title,
        publisher=publisher,
        url=url,
        lines=lines,
        title_index=title_index,
        body=(start, end),
        dateline=dateline,
    )


MENU_RUN = 3
MENU_WORDS = 3


def _menus_to_furniture(lines: list[str], kinds: list[str]) -> list[str]:
    """Runs of three or more consecutive one-to-three-word lines are menus."""
    kinds = list(kinds)
    run: list[int] = []
    for index in [*range(len(lines)), len(lines)]:
        short = index < len(lines) and kinds[index] == OTHER and len(_words(lines[index])) <= MENU_WORDS
        if short:
            run.append(index)
            continue
        if len(run) >= MENU_RUN:
            for member in run:
                kinds[member] = FURNITURE
        run = []
    return kinds


INLINE_BLOCK = 2  # headline lines a section marker ("Related") may hold inside an article
READ_ALSO_BLOCK = 5  # ... and a "Read also" header, which only ever sits inside one
HEADLINE_WORDS = 20  # the line under a "Read also" header is a link even when it reads like a sentence


def _inline_blocks_to_furniture(lines: list[str], kinds: list[str]) -> list[str]:
    """A marker followed by a few headline lines and then prose is a link block inside the article.

    The block (up to two lines after "Related", five after "Read also") is
    dropped and the body goes on after it. At the end of an article such a
    section lists more headlines; comment and sharing markers (END_MARKERS,
    the follow/subscribe pattern) always end it.
    """
    kinds = list(kinds)
    for index, kind in enumerate(kinds):
        key = _key(lines[index]) if kind == MARKER else ""
        if key not in MARKERS:
            continue
        read_also = key in READ_ALSO
        limit = READ_ALSO_BLOCK if read_also else INLINE_BLOCK
        between = 0
        for after in range(index + 1, len(lines)):
            first_link = read_also and between == 0 and len(_words(lines[after])) <= HEADLINE_WORDS
            if kinds[after] == PROSE and not first_link:
                if between <= limit:
                    for member in range(index, after):
                        if kinds[member] != BLANK:
                            kinds[member] = INLINE
                break
            if kinds[after] == MARKER:
                break
            if kinds[after] != BLANK:
                between += 1
                if between > limit:
                    break
    return kinds


def _best_run(lines: list[str], kinds: list[str]) -> tuple[int, int]:
    """[start, end) of the highest-scoring run of lines between markers that holds prose."""
    best, best_span = 0.0, (0, 0)
    total, run_start = 0.0, 0
    for index, (line, kind) in enumerate(zip(lines, kinds, strict=True)):
        if kind == MARKER:
            total, run_start = 0.0, index + 1
            continue
        if total <= 0 and kind != PROSE:
            total, run_start = 0.0, index + 1
            continue
        if total <= 0:
            total, run_start = 0.0, index
        total += _score(kind, line)
        if total > best:
            best, best_span = total, (run_start, index + 1)
    return best_span


def _title_above(lines: list[str], kinds: list[str], start: int, dateline: int | None) -> int | None:
    """The title line above the body.

    When a few byline lines (author, role, region, picture credit) stand
    between a date line and the body, the headline right above that date line
    (see :func:`_dateline_above`); otherwise the line right above the body,
    skipping blank lines and up to two date and two link lines
    ("Headline / 3 March 2023 / link: https://...").
    """
    under_date = _title_above_dateline(lines, kinds, dateline) if dateline is not None else None
    if under_date is not None:
        return under_date
    index = _skip_dates_and_links(lines, kinds, start - 1)
    return index if index >= 0 and _headline(lines, kinds, index) else None


BYLINE_LINES = 4  # author, role, region, "Updated:" lines between a date line and the body
BYLINE_WORDS = 4
ZONE_LINES = 8  # furniture lines (tags, credits) the walk from the body up to a date line may cross
_BYLINE = re.compile(r"^\W*(?:(?:written )?by:?\s+|(?:автор\w*|аўтар|текст|text)\s*:\s*)\S", re.I)
TITLE_WORDS = 4  # a title found above a date line is a headline, not a name


def _dateline_above(lines: list[str], kinds: list[str], start: int) -> int | None:
    """The topmost date line among the byline lines (author, role, "Updated:") right above the body.

    The walk crosses furniture (tags, credits) and stops at prose, a marker, a
    line too long for a byline, or two one-word lines in a row (a menu: a date
    above it is the site's header).
    """
    from casetrack.ingest.published import parse_date_line

    topmost, bylines, walked, one_word, index = None, 0, 0, False, start - 1
    while index >= 0:
        line, kind = lines[index], kinds[index]
        index -= 1
        if kind == BLANK:
            continue
        if parse_date_line(line) is not None:
            topmost, one_word = index + 1, False
            continue
        if kind == FURNITURE:  # tags, credits, a region line: walked over, up to a limit
            walked += 1
            if walked > ZONE_LINES:
                break
            continue
        words = len(_words(line))
        if kind in (MARKER, INLINE, PROSE) or (words > BYLINE_WORDS and not _BYLINE.match(line)):
            break
        if one_word and words == 1 and not line.rstrip().endswith(":"):
            break
        one_word = words == 1 and not line.rstrip().endswith(":")
        bylines += 1
        if bylines > BYLINE_LINES:
            break
    return topmost


def _title_above_dateline(lines: list[str], kinds: list[str], topmost: int) -> int | None:
    """The headline above the date line of the byline block (or above an author line or breadcrumb there)."""
    above = _skip_dates_and_links(lines, kinds, topmost)
    for _ in range(2):  # the headline, or an author's name or breadcrumb and then the headline
        if above < 0:
            return None
        if len(_words(lines[above])) >= TITLE_WORDS and _headline(lines, kinds, above):
            return above
        name = kinds[above] == OTHER and len(_words(lines[above])) <= BYLINE_WORDS
        if kinds[above] != FURNITURE and not name:
            return None
        above = _skip_dates_and_links(lines, kinds, above - 1)
    return None


def _skip_dates_and_links(lines: list[str], kinds: list[str], index: int) -> int:
    from casetrack.ingest.published import parse_date_line

    dates = links = 0
    while index >= 0:
        if kinds[index] == BLANK:
            index -= 1
        elif dates < 2 and parse_date_line(lines[index]) is not None:
            index, dates = index - 1, dates + 1
        elif links < 2 and _KEYED_URL.match(lines[index]):
            index, links = index - 1, links + 1
        else:
            break
    return index


def _headline(lines: list[str], kinds: list[str], index: int) -> bool:
    line = lines[index].strip()
    words = _words(line)
    if kinds[index] == MARKER or not 2 <= len(words) <= 30 or line.endswith((".", ",", ";", ":")):
        return False
    if _BYLINE.match(line):
        return False
    return not (
        kinds[index] == FURNITURE or (kinds[index] == INLINE and _under_link_header(lines, kinds, index))
    )


def _under_link_header(lines: list[str], kinds: list[str], index: int) -> bool:
    """Whether a line of an inline block is a link to another article ("Related", not "Tags")."""
    while index >= 0 and kinds[index] in (INLINE, BLANK):
        key = _key(lines[index])
        if key in MARKERS:
            return key not in TAXONOMY
        index -= 1
    return False


def _tidy(text: str) -> str:
    text = re.sub(r"[ \t]+\n", "\n", text)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip()


def _canonical_url(lines: list[str]) -> str | None:
    for line in lines:
        match = _KEYED_URL.match(line)
        if match:
            return match.group(1).rstrip(".,;")
    edges = [line.strip() for line in lines if line.strip()][:1] + [
        line.strip() for line in lines if line.strip()
    ][-1:]
    for line in edges:
        if _URL.fullmatch(line):
            return line
    return None


def site_domain(url: str) -> str | None:
    host = (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.") or None


def _publisher(url: str | None, furniture: list[str], site_name: str | None = None) -> str | None:
    """Who published the page, by the strength of the evidence.

    1. a furniture line spelling the domain's name ("Charter 97!" for charter97.org):
       it both names the site and ties the name to the URL;
    2. the site's name line at the top of the page, above its menu;
    3. the domain of the canonical URL, or the commonest domain in the furniture.
    """
    domain = site_domain(url) if url else None
    if domain is None:
        found = [
            m.group(1).lower() for line in furniture for m in _DOMAIN.finditer(line) if not _CLOCK.match(line)
        ]
        found = [
            d for d in found if re.search(r"[a-z]", d.rsplit(".", 1)[0]) and not re.fullmatch(r"[\d.]+", d)
        ]
        domain = max(set(found), key=found.count).removeprefix("www.") if found else None
    if domain is None:
        return site_name
    label = re.sub(r"[\W_]+", "", domain.rsplit(".", 1)[0].split(".")[-1])
    if len(label) >= 3:
        for line in furniture:
            name = line.strip().rstrip("!.,:;")
            if re.sub(r"[\W_]+", "", name.casefold()) == label and len(name) <= 40:
                return name
    return site_name or domain


NAVIGATION = {
    "menu",
    "меню",
    "home",
    "главная",
    "галоўная",
    "головна",
    "башкы бет",
    "search",
    "поиск",
    "navigation",
}
SITE_NAME_WORDS = 6
_MENU_SEPARATOR = re.compile(r"\s*[|•·]\s*|\s+/\s+|\s{2,}|\t")


def _site_name_line(lines: list[str], kinds: list[str], header_end: int) -> str | None:
    """The first short name-like line of the page header that stands right above a menu.

    "Example Rights News / Home | World | Contacts / ... / Headline": pages
    print their name above their navigation, so that line names the publisher.
    """
    filled = [index for index in range(header_end) if kinds[index] != BLANK]
    for position, index in enumerate(filled[:-1]):
        line = lines[index].strip()
        if kinds[index] != OTHER or not _name_like(line):
            continue
        if _menu_at(lines, kinds, filled[position + 1 :]):
            return line.rstrip("!")
    return None


def _name_like(line: str) -> bool:
    from casetrack.ingest.published import parse_date_line

    words = _words(line)
    return (
        1 <= len(words) <= SITE_NAME_WORDS
        and len(line) <= 60
        and not line.endswith((".", ",", ";", ":", "?"))
        and _key(line) not in NAVIGATION
        and not _MENU_SEPARATOR.search(line)  # "Headline | Site" is a page title, not a name
        and parse_date_line(line) is None
    )


def _menu_at(lines: list[str], kinds: list[str], following: list[int]) -> bool:
    """A menu starts at the first of ``following``: one line of 3+ short items, or 3+ short lines."""
    if not following:
        return False
    items = [item for item in _MENU_SEPARATOR.split(lines[following[0]].strip()) if item]
    if len(items) >= MENU_RUN and all(_menu_item(item) for item in items):
        return True
    run = following[:MENU_RUN]
    return len(run) == MENU_RUN and all(
        kinds[index] in (OTHER, FURNITURE) and _menu_item(lines[index].strip()) for index in run
    )


def _menu_item(text: str) -> bool:
    return 1 <= len(_words(text)) <= MENU_WORDS and not _TERMINAL.search(text)
