"""The whole pure pipeline: seeds end to end, the JSON shape, language, and hostile inputs."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from casetrack.errors import InputError
from casetrack.ingest.pipeline import LANGUAGE_SAMPLE, analyse, build_document, detect_language
from casetrack.ingest.read import HTML, PLAIN, RawInput, iter_inputs, read_input
from casetrack.ingest.types import Analysis

SEEDS = ["000_ce902227b9a06b84.txt", "003_c6731568ab90a96d.txt"]
NOW = dt.datetime(2026, 1, 15, 12, 0, tzinfo=dt.UTC)
PARAGRAPHS = [
    "The district court in Grodno sentenced the blogger to four years in a general-regime colony on Monday.",
    "His lawyer said the defence would appeal, calling the charges of insulting officials politically motivated.",
    "Several diplomats attended the hearing, which lasted less than two hours according to observers.",
]


def raw(data: bytes | str, media_type: str = PLAIN, *, url: str | None = None) -> RawInput:
    body = data.encode() if isinstance(data, str) else data
    return RawInput("test-input", body, media_type, url, NOW)


@pytest.mark.parametrize("name", SEEDS)
def test_seed_end_to_end(seeds_dir: Path, name: str) -> None:
    expected = yaml.safe_load((seeds_dir / "expected.yaml").read_text(encoding="utf-8"))[name]["source"]
    analysis = analyse(str(seeds_dir / name))
    document = analysis.document
    assert document.title == expected["title"]
    assert document.publisher == expected["publisher"]
    assert document.url == expected.get("url")
    assert document.language == expected["language"]
    published = expected["published"]
    assert document.published.precision == published["precision"]
    assert document.published.value == published.get("date")
    if "retrieved" in expected:
        assert document.retrieved.value == expected["retrieved"]["date"]
    assert document.sha256 == hashlib.sha256((seeds_dir / name).read_bytes()).hexdigest()
    assert document.raw == (seeds_dir / name).read_bytes()


def test_json_line_shape(seeds_dir: Path) -> None:
    line = json.dumps(analyse(str(seeds_dir / SEEDS[0])).to_json(), ensure_ascii=False)
    data = json.loads(line)
    assert set(data) == {"input", "source", "persons", "organisations", "cases", "events"}
    assert {"title", "publisher", "url", "language", "published", "retrieved", "sha256", "text"} <= set(
        data["source"]
    )
    assert data["source"]["published"] == {
        "date": "2024-05-10T14:55",
        "precision": "minute",
        "inferred": True,
        "evidence": data["source"]["published"]["evidence"],
    }
    assert data["input"].endswith(SEEDS[0])


def test_raw_input_html_page() -> None:
    html = (
        '<html lang="en"><head><title>Blogger sentenced | Border Post</title>'
        '<meta property="og:site_name" content="Border Post">'
        '<meta name="date" content="2024-02-19"></head><body><nav>Home | World</nav><article>'
        + "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
        + "</article><footer>Contacts</footer></body></html>"
    )
    analysis = analyse(raw(html, HTML, url="https://borderpost.example/a/1"))
    document = analysis.document
    assert isinstance(analysis, Analysis)
    assert document.text == "\n".join(PARAGRAPHS) or all(p in document.text for p in PARAGRAPHS)
    assert "Home" not in document.text and "Contacts" not in document.text
    assert document.title == "Blogger sentenced" and document.publisher == "Border Post"
    assert document.url == "https://borderpost.example/a/1"
    assert document.published.value == "2024-02-19"
    assert document.retrieved.value == "2026-01-15T12:00"  # fetched: the download time
    assert document.media_type == HTML and document.encoding == "utf-8"


def test_language_detection_and_override() -> None:
    russian = "Суд приговорил блогера к четырём годам колонии общего режима. Адвокат обжалует приговор."
    assert build_document(raw(russian)).language == "ru"
    assert build_document(raw(russian), language="be").language == "be"
    assert detect_language("ok") is None


def test_language_detection_needs_forty_letters_in_its_sample() -> None:
    english = "The court sentenced the blogger to four years in a penal colony. "
    assert detect_language("1 2 3 " * 100 + "a" * 39) is None
    assert detect_language("a" * 39 + " " + "1" * LANGUAGE_SAMPLE + english * 3) is None
    assert detect_language(english) == "en"
    assert detect_language("7 " * (LANGUAGE_SAMPLE // 4) + english) == "en"
    assert detect_language("7 " * LANGUAGE_SAMPLE + english) is None


def test_path_and_stdin_inputs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "article.md"
    path.write_text("# Blogger sentenced\n\n" + "\n\n".join(PARAGRAPHS), encoding="utf-8")
    document = build_document(str(path))
    assert document.title == "Blogger sentenced" and document.text.endswith(PARAGRAPHS[-1])
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO("\n\n".join(PARAGRAPHS).encode())))
    assert build_document("-").text == "\n\n".join(PARAGRAPHS)


def test_page_without_article_text_is_refused() -> None:
    with pytest.raises(InputError, match="no article text"):
        build_document(raw("<html><head><script>var a = 1;</script></head><body></body></html>", HTML))


@pytest.mark.parametrize(
    "data",
    [
        "<div>" * 20000 + "Deep text about a detained activist in the capital city." + "</div>" * 20000,
        "<html><body>" + "<p>unclosed <b>bold <i>italic" * 3000,
        "<html><body><p>\u202eRTL override\u202c " + "ناشط حقوقي معتقل في العاصمة منذ ثلاثة أشهر. " * 20,
        "עיתונאי נעצר בירושלים לאחר הפגנה נגד הממשלה. " * 30,
        "x" * 200_000,
        "<p>" + "\u0301" * 5000 + "</p>",
        "<html><body>" + "<table><tr><td>" * 3000 + "cell",
    ],
)
def test_hostile_inputs_give_an_analysis_or_an_input_error(data: str) -> None:
    media_type = HTML if data.startswith("<") else PLAIN
    try:
        document = build_document(raw(data, media_type))
    except InputError:
        return
    assert document.text.strip()


def test_invalid_utf8_html_is_decoded() -> None:
    html = (
        b"<html><body><article>"
        + b"".join(b"<p>%s</p>" % p.encode() for p in PARAGRAPHS)
        + b"\xff\xfe</article>"
    )
    document = build_document(raw(html, HTML))
    assert PARAGRAPHS[0] in document.text


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=400), st.sampled_from([PLAIN, HTML]))
def test_random_bytes_never_raise_anything_but_input_error(data: bytes, media_type: str) -> None:
    try:
        build_document(raw(data, media_type))
    except InputError as exc:
        assert str(exc) and "\n" not in str(exc)


@pytest.mark.corpus
@pytest.mark.slow
def test_every_corpus_page_builds_a_document(corpus_dir: Path) -> None:
    targets = [str(corpus_dir / "article-extraction" / "html"), str(corpus_dir / "ovdinfo-pages")]
    documents = [build_document(read_input(target)) for target in iter_inputs(targets)]
    assert len(documents) >= 127 + 14
    assert all(document.text.strip() for document in documents)
    assert sum(document.published.known for document in documents) >= 0.9 * len(documents)
