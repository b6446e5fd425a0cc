"""Cleaning: the seeds' bodies whole and their furniture gone, general furniture rules, HTML and Markdown."""

from __future__ import annotations

import gzip
from pathlib import Path
from typing import Any

import pytest
import yaml

from casetrack.ingest import clean as clean_module
from casetrack.ingest.clean import (
    FURNITURE,
    MARKER,
    OTHER,
    PROSE,
    classify,
    clean,
    clean_html,
    clean_text,
    page_view,
    strip_site_name,
)
from casetrack.ingest.read import HTML, MARKDOWN, PLAIN

SEEDS = ["000_ce902227b9a06b84.txt", "003_c6731568ab90a96d.txt"]
END_MARKERS = ("\nlink:", "\nWrite your comment")


def seed(seeds_dir: Path, name: str) -> tuple[str, dict[str, Any]]:
    expected = yaml.safe_load((seeds_dir / "expected.yaml").read_text(encoding="utf-8"))[name]
    return (seeds_dir / name).read_text(encoding="utf-8"), expected


def hand_cut_body(text: str, title: str) -> str:
    start = text.index("\n" + title + "\n") + len(title) + 2
    end = min(text.find(m, start) for m in END_MARKERS if text.find(m, start) != -1)
    return text[start:end].strip()


@pytest.mark.parametrize("name", SEEDS)
def test_seed_body_survives_whole_and_furniture_goes(seeds_dir: Path, name: str) -> None:
    text, expected = seed(seeds_dir, name)
    title = expected["source"]["title"]
    cleaned = clean(text, PLAIN)
    body = hand_cut_body(text, title)
    assert cleaned.title == title
    assert cleaned.text == f"{title}\n\n{body}"
    kept = {line.strip() for line in cleaned.text.splitlines()}
    body_lines = {line.strip() for line in body.splitlines()} | {title}
    furniture = [
        line.strip() for line in text.splitlines() if line.strip() and line.strip() not in body_lines
    ]
    assert furniture, "the seed has page furniture"
    assert not kept & set(furniture)
    for name_only_in_furniture in expected.get("must_not", []):
        assert name_only_in_furniture not in cleaned.text


@pytest.mark.parametrize("name", SEEDS)
def test_seed_metadata(seeds_dir: Path, name: str) -> None:
    text, expected = seed(seeds_dir, name)
    cleaned = clean(text, PLAIN)
    assert cleaned.publisher == expected["source"]["publisher"]
    assert cleaned.url == expected["source"].get("url")


PAGE = """09:41
GBP 1.27 ▲
BTC 64,210
Русский | English | Қазақша
Northern Ledger
Home
World
Politics
Sport

Journalist detained after covering protest in Almaty

Police in Almaty detained journalist Aigerim Nurlanova on Tuesday after she filmed a rally against rising fuel prices.

Her editor said she was taken to a district police station and questioned for six hours without a lawyer.

"We demand her immediate release," the editor said.
source: https://www.northernledger.org/world/12345
views: 2041
Share
Facebook
Telegram
Read also
Fuel prices rise again in the capital
Parliament debates a new media law
Most read
Heat wave hits the south Heat wave hits the south
Farmers protest water shortages Farmers protest water shortages
Leave a comment
Follow us on social networks
"""
BODY = [
    "Police in Almaty detained journalist Aigerim Nurlanova on Tuesday after she filmed a rally against rising fuel prices.",
    "Her editor said she was taken to a district police station and questioned for six hours without a lawyer.",
    '"We demand her immediate release," the editor said.',
]


def test_text_copy_keeps_title_and_body_and_drops_every_furniture_line() -> None:
    cleaned = clean_text(PAGE)
    title = "Journalist detained after covering protest in Almaty"
    assert cleaned.title == title
    assert cleaned.text == "\n\n".join([title, *BODY])
    for line in PAGE.splitlines():
        if line.strip() and line not in BODY and line != title:
            assert line not in cleaned.text


def test_text_copy_metadata_from_furniture() -> None:
    cleaned = clean_text(PAGE)
    assert cleaned.url == "https://www.northernledger.org/world/12345"
    assert cleaned.publisher == "Northern Ledger"  # the header line that spells the domain's name


def test_publisher_is_the_domain_without_a_site_name_line() -> None:
    page = PAGE.replace("Northern Ledger\n", "")
    assert clean_text(page).publisher == "northernledger.org"


def test_publisher_from_a_bare_domain_in_the_furniture() -> None:
    page = "Menu\n\n" + "\n\n".join(BODY) + "\n\nFollow Ledger24.net social media accounts\n"
    assert clean_text(page).publisher == "ledger24.net"


def test_clean_article_without_furniture_is_kept_whole() -> None:
    text = "\n\n".join(BODY)
    cleaned = clean_text(text + "\n")
    assert cleaned.text == text and cleaned.title is None


def test_text_without_prose_keeps_its_non_furniture_lines() -> None:
    cleaned = clean_text("12:30\nUSD 1.00\nIvan Petrov detained\nin Minsk today\n")
    assert cleaned.text == "Ivan Petrov detained\nin Minsk today"


def test_crlf_and_nfc() -> None:
    text = "Cafe\u0301 owner detained in the capital.\r\n\r\n" + BODY[0] + "\r\n"
    assert clean_text(text).text.splitlines()[0].startswith("Café owner detained")


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("15:55", FURNITURE),
        ("3:05 pm", FURNITURE),
        ("EUR 94.96", FURNITURE),
        ("€ 1.08", FURNITURE),
        ("English", FURNITURE),
        ("EN | RU | KG", FURNITURE),
        ("views: 127", FURNITURE),
        ("12 comments", MARKER),
        ("Top Rated Comments", MARKER),
        ("thelastfan99 says:", MARKER),
        ("Navalny wrote:", OTHER),  # a name introducing a quote, not a commenter's handle
        ("2 days ago at 07:52 am", FURNITURE),
        ("16 hours ago on Mac Blog", FURNITURE),
        ("3 часа назад", FURNITURE),
        ("link: https://example.org/a/1", FURNITURE),
        ("https://example.org/a/1", FURNITURE),
        ("Telegram", FURNITURE),
        ("Facebook Twitter Telegram", FURNITURE),
        ("Dam protest ends Dam protest ends", FURNITURE),
        ("Related", MARKER),
        ("Popular", MARKER),
        ("Write your comment", MARKER),
        ("Читайте также", MARKER),  # opens a block of links, often inside the body
        ("Read also", MARKER),
        ("Читайте также: Суд арестовал блогера", FURNITURE),  # a one-line link
        ("Read more", FURNITURE),
        ("Follow Example.org social media accounts", MARKER),
        ("The court sentenced him to three years in a penal colony.", PROSE),
        ("Суд приговорил его к трём годам колонии общего режима.", PROSE),
        ("Headline without a full stop", OTHER),
    ],
)
def test_classify(line: str, kind: str) -> None:
    assert classify(line) == kind


def test_repeated_short_lines_are_furniture_but_a_repeated_title_is_still_the_title() -> None:
    title = "Court upholds sentence of jailed blogger"
    page = f"Menu\n\n{title}\n\n" + "\n\n".join(BODY) + f"\nPopular\n09:10\n{title}\n"
    cleaned = clean_text(page)
    assert cleaned.title == title and cleaned.text.count(title) == 1


def test_markdown_front_matter_and_markup() -> None:
    text = (
        "---\ntitle: Blogger released\ndate: 2024-03-02\nurl: https://blog.example/r\n---\n"
        "# Blogger released\n\n"
        "The **blogger** was [released](https://x.example/y) from the colony on Saturday morning after two years.\n"
        "![photo](img.png)\n"
    )
    cleaned = clean(text, MARKDOWN)
    assert cleaned.title == "Blogger released"
    assert cleaned.url == "https://blog.example/r" and cleaned.date == "2024-03-02"
    assert "The blogger was released from the colony on Saturday morning after two years." in cleaned.text
    assert "](" not in cleaned.text and "**" not in cleaned.text


ARTICLE_HTML = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>Rights lawyer disbarred | Steppe Herald</title>
<meta property="og:site_name" content="Steppe Herald">
<meta property="article:published_time" content="2023-11-08T09:30:00+00:00">
<link rel="canonical" href="https://steppeherald.example/news/4411">
</head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/politics">Politics</a></li><li><a href="/sport">Sport</a></li></ul></nav>
<header><div class="clock">12:41</div><div class="rates">USD 88.39</div></header>
<article><h1>Rights lawyer disbarred</h1>
<p>The regional bar association has disbarred lawyer Nadira Sultanova, who defended several detained protesters last year.</p>
<p>Sultanova said the decision was retaliation for her work and that she would appeal to the courts as soon as possible.</p>
<p>International observers called the move a serious blow to the independence of the legal profession in the country.</p>
<p>The association did not respond to a request for comment about the reasons for its decision on Wednesday.</p>
</article>
<aside><h3>Related</h3><ul><li><a href="/n/1">Bar association elects new head</a></li><li><a href="/n/2">Protesters fined</a></li></ul></aside>
<footer><p>&copy; 2023 Steppe Herald. All rights reserved.</p><a href="https://facebook.com/x">Facebook</a></footer>
</body></html>"""


def test_html_body_and_metadata() -> None:
    cleaned = clean(ARTICLE_HTML, HTML)
    assert cleaned.title == "Rights lawyer disbarred"
    assert cleaned.publisher == "Steppe Herald"
    assert cleaned.url == "https://steppeherald.example/news/4411"
    assert cleaned.date == "2023-11-08"
    assert "disbarred lawyer Nadira Sultanova" in cleaned.text
    assert "request for comment" in cleaned.text
    for furniture in ("Home", "Politics", "USD 88.39", "Protesters fined", "All rights reserved", "Facebook"):
        assert furniture not in cleaned.text


def test_html_page_view_gives_lines_for_the_date_finder() -> None:
    cleaned = clean(ARTICLE_HTML, HTML)
    view = page_view(cleaned)
    assert "12:41" in view.lines and view.title == "Rights lawyer disbarred"
    assert page_view(clean_text(PAGE)).lines == clean_text(PAGE).lines


def test_html_falls_back_to_visible_text_when_the_extractor_finds_nothing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(clean_module, "_trafilatura", lambda html, url: None)
    cleaned = clean_html(ARTICLE_HTML)
    assert "disbarred lawyer Nadira Sultanova" in cleaned.text
    assert "USD 88.39" not in cleaned.text and "Protesters fined" not in cleaned.text


@pytest.mark.parametrize(
    ("title", "site", "expected"),
    [
        ("Headline | Site Name", "Site Name", "Headline"),
        ("Site Name - Headline", "Site Name", "Headline"),
        ("Headline — example", "example.org", "Headline"),
        ("Left - right", "Other", "Left - right"),
        ("Headline", None, "Headline"),
    ],
)
def test_strip_site_name(title: str, site: str | None, expected: str) -> None:
    assert strip_site_name(title, site) == expected


def test_short_closing_sentence_and_lists_of_names_stay_in_the_body() -> None:
    names = [
        f"{n}. {name}" for n, name in enumerate(["Ivan Petrov", "Olga Sidorova", "Marat Aliev"], start=1)
    ]
    text = "\n".join(
        [BODY[0], "The court named the defendants:", *names, "No one was hurt.", "Related", "Dam opens"]
    )
    cleaned = clean_text(text)
    assert cleaned.text == "\n".join([BODY[0], "The court named the defendants:", *names, "No one was hurt."])


def test_copyright_line_is_furniture() -> None:
    assert classify("© 2024 Example Media. All rights reserved.") == FURNITURE
    assert clean_text(BODY[0] + "\nAll rights reserved.\n").text == BODY[0]


def test_inline_read_also_inside_the_body_does_not_cut_it_and_its_link_goes() -> None:
    text = "\n".join(
        [BODY[0], "Read also", "Fuel prices rise again", BODY[1], BODY[2], "Comments", BODY[0] + " Yes"]
    )
    cleaned = clean_text(text)
    assert cleaned.text == "\n".join([BODY[0], BODY[1], BODY[2]])


def test_furniture_inside_the_body_goes_but_a_repeated_body_line_stays() -> None:
    quote = '"We will appeal."'
    text = "\n".join([BODY[0], "14:05", "USD 1.00", quote, BODY[1], "Popular", quote])
    assert clean_text(text).text == "\n".join([BODY[0], quote, BODY[1]])


def test_a_menu_between_title_and_body_is_furniture() -> None:
    text = "\n".join(["Court jails reporter for six years", "Home", "World news", "Sport", "", *BODY])
    cleaned = clean_text(text)
    assert cleaned.text == "\n".join(BODY) and cleaned.title is None


def test_a_related_block_inside_the_article_is_dropped_and_the_body_continues() -> None:
    text = "\n".join([BODY[0], "Related", "Dam protest ends in the south", BODY[1], "No one was hurt."])
    assert clean_text(text).text == "\n".join([BODY[0], BODY[1], "No one was hurt."])


def test_a_related_list_at_the_end_closes_the_article() -> None:
    headlines = ["Dam protest ends", "Court fines editor", "Blogger freed early"]
    text = "\n".join([*BODY, "Related", *headlines, "A teaser sentence about another story entirely here."])
    assert clean_text(text).text == "\n".join(BODY)


def test_comments_always_close_the_article() -> None:
    text = "\n".join(
        [*BODY, "Comments", "Ivan", "I fully agree with the editor and hope she is released soon."]
    )
    assert clean_text(text).text == "\n".join(BODY)


SAMPLE_ARTICLES = Path(__file__).resolve().parents[2] / "seeds" / "articles"

HEADED_PAGE = """Valley Rights Review
Home | Courts | Prisons | About us

Appeal court upholds blogger's five-year sentence

12 April 2024
link: https://valley-rights.example/2024/04/12/appeal/

The regional appeal court on Friday upheld the five-year sentence of blogger Timur Asanov for his posts about the border deal.

His lawyer said the defence would take the case to the Supreme Court within two months.

{header}
Police search the homes of three activists
Blogger's mother appeals to the ombudsman

This text was written for a test and reports nothing real.
"""
HEADED_BODY = [
    "The regional appeal court on Friday upheld the five-year sentence of blogger Timur Asanov for his posts about the border deal.",
    "His lawyer said the defence would take the case to the Supreme Court within two months.",
]


def test_title_above_a_date_line_and_a_link_line() -> None:
    cleaned = clean_text(HEADED_PAGE.format(header="Read also"))
    assert cleaned.title == "Appeal court upholds blogger's five-year sentence"
    assert cleaned.url == "https://valley-rights.example/2024/04/12/appeal/"


def test_site_name_line_above_the_menu_is_the_publisher() -> None:
    assert clean_text(HEADED_PAGE.format(header="Read also")).publisher == "Valley Rights Review"
    double_spaced_menu = HEADED_PAGE.replace(
        "Home | Courts | Prisons | About us", "Home  Courts  Prisons  About"
    )
    assert clean_text(double_spaced_menu.format(header="")).publisher == "Valley Rights Review"


def test_without_a_menu_under_it_the_top_line_is_not_the_publisher() -> None:
    page = HEADED_PAGE.replace("Home | Courts | Prisons | About us\n", "")
    assert clean_text(page.format(header="")).publisher == "valley-rights.example"


def test_a_domain_spelling_line_beats_the_line_above_the_menu() -> None:
    page = HEADED_PAGE.replace("About us\n", "About us\nValley-Rights!\n")
    assert clean_text(page.format(header="")).publisher == "Valley-Rights"


@pytest.mark.parametrize(
    "header",
    [
        "Read also",
        "See also:",
        "Читайте также",
        "Читайте также:",
        "Смотрите также",
        "Похожие новости",
        "Популярное",
        "Актуальное",
        "Чытайце таксама",
        "Папулярнае",
        "Читайте також",
        "Дагы окуңуз",
        "Тектеш",
    ],
)
def test_read_also_blocks_in_every_language_go_with_their_headlines(header: str) -> None:
    cleaned = clean_text(HEADED_PAGE.format(header=header))
    assert header not in cleaned.text
    assert "Police search the homes" not in cleaned.text
    assert "Blogger's mother appeals" not in cleaned.text
    assert all(line in cleaned.text for line in HEADED_BODY)


def test_prose_after_a_read_also_block_is_kept() -> None:
    """The rule cannot tell a closing note from a last paragraph: prose after the block stays."""
    cleaned = clean_text(HEADED_PAGE.format(header="Читайте также"))
    assert cleaned.text.endswith("This text was written for a test and reports nothing real.")


def test_a_read_also_link_that_reads_like_a_sentence_still_goes() -> None:
    text = "\n".join([BODY[0], "Read also", "Court fines editor for a post about the mayor.", BODY[1]])
    assert clean_text(text).text == "\n".join([BODY[0], BODY[1]])


def test_a_long_read_also_block_inside_the_article_goes_and_the_body_continues() -> None:
    links = [f"Court hears case number {n} of the protest" for n in range(1, 5)]
    text = "\n".join([BODY[0], "Смотрите также", *links, BODY[1], BODY[2]])
    assert clean_text(text).text == "\n".join([BODY[0], BODY[1], BODY[2]])


def test_a_headline_under_a_related_header_at_the_top_is_not_the_title() -> None:
    text = "\n".join(["Related", "Dam protest ends in the south", "", BODY[0], BODY[1]])
    cleaned = clean_text(text)
    assert cleaned.title is None and cleaned.text == "\n".join([BODY[0], BODY[1]])


def test_a_title_under_a_categories_header_is_still_the_title() -> None:
    text = "\n".join(["Categories", "", "Court jails reporter for six years", "", BODY[0], BODY[1]])
    assert clean_text(text).title == "Court jails reporter for six years"


def test_last_paragraph_without_its_full_stop_stays_but_a_reference_line_does_not_count_as_prose() -> None:
    last = "Police say the man confessed during questioning on Monday. He said he had tried to flee the city"
    assert classify(last) == PROSE
    assert clean_text("\n".join([BODY[0], last])).text == "\n".join([BODY[0], last])
    assert classify('Daily Post, "Judge jails activist. Critics object to the verdict," May 2, 2019') != PROSE
    assert classify("Taking Stock: Historic day on the market! Here is what drives the rally") == OTHER


def test_enumerated_lines_with_figures_stay_in_the_body() -> None:
    items = ["«Unity» — 24,53 %;", "«Homeland» — 23,9 %;", "№ 164 school;"]
    text = "\n".join([BODY[0], "The parties that passed the threshold:", *items, BODY[1]])
    assert clean_text(text).text == "\n".join(
        [BODY[0], "The parties that passed the threshold:", *items, BODY[1]]
    )


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("Photo: Reuters", FURNITURE),
        ("Фото из личного архива", FURNITURE),
        ("Photo by Jane Roe", FURNITURE),
        ("Photographers detained at the border", OTHER),
        ("Видео задержания активиста в Минске опубликовали в сети", OTHER),
    ],
)
def test_picture_credit_lines(line: str, kind: str) -> None:
    assert classify(line) == kind


def test_sample_russian_article_title_publisher_and_no_read_also_links() -> None:
    text = (SAMPLE_ARTICLES / "02-belyatsky-prigovor-ru.txt").read_text(encoding="utf-8")
    cleaned = clean(text, PLAIN)
    assert cleaned.title == "Суд в Минске приговорил Алеся Беляцкого к десяти годам колонии"
    assert cleaned.publisher == "Пример правозащитных новостей"
    assert "Читайте также" not in cleaned.text
    assert "Обыски в офисах правозащитников" not in cleaned.text
    assert "Нобелевская премия мира — 2022" not in cleaned.text
    assert "Алесь Беляцкий был задержан 14 июля 2021 года." in cleaned.text


BYLINED_PAGE = """Home
World
Courts

Court extends the arrest of two reporters by three months
Blog > Courts > Media
4 June 2024
By: Jane Roe, Staff
Asel Omurova
Photo: Reuters

{body}
"""


def test_title_above_the_date_line_of_a_byline_block() -> None:
    cleaned = clean_text(BYLINED_PAGE.format(body="\n\n".join(BODY)))
    assert cleaned.title == "Court extends the arrest of two reporters by three months"
    assert cleaned.text == "\n\n".join([cleaned.title, *BODY])


def test_an_author_line_between_title_and_date_is_skipped() -> None:
    page = "Menu\n\nReporters freed after a week in custody\nAsel Omurova\n12.03.2024 10:15\nUpdated:\n\n"
    assert clean_text(page + "\n".join(BODY)).title == "Reporters freed after a week in custody"


def test_a_header_date_above_the_menu_does_not_move_the_title() -> None:
    page = "Example Media Group Daily\n1 June 2025\nHome\nNews\n\nReporter detained\n\n" + "\n".join(BODY)
    assert clean_text(page).title == "Reporter detained"


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("Blog > Weight Loss > Weight Loss Tips", FURNITURE),
        ("Главная » Новости » Суды", FURNITURE),
        ("Support us", FURNITURE),
        ("Поддержать ОВД-Инфо", FURNITURE),
        ("Detainees in a police bus, 21 April, St Petersburg / Photo: Jane Roe", FURNITURE),
        ("Support for the jailed blogger grows in the regions", OTHER),
    ],
)
def test_breadcrumbs_buttons_and_captions_are_furniture(line: str, kind: str) -> None:
    assert classify(line) == kind


def test_a_page_title_line_with_its_site_is_not_the_publisher() -> None:
    page = "Headline of the day | Example News\nNews\nCourts\nAbout\n\n" + "\n".join(BODY)
    assert clean_text(page).publisher != "Headline of the day | Example News"


def test_a_section_label_above_the_title_in_the_extracted_html_text_goes() -> None:
    from casetrack.ingest.clean import drop_section_label

    title = "Court extends the arrest of two reporters"
    assert drop_section_label(f"Articles\n{title}\n{BODY[0]}", title) == f"{title}\n{BODY[0]}"
    assert drop_section_label(f"{BODY[1]}\n{title}\n{BODY[0]}", title) == f"{BODY[1]}\n{title}\n{BODY[0]}"
    assert drop_section_label(f"Articles\n{BODY[0]}", title) == f"Articles\n{BODY[0]}"


METADATA_FIELDS = ("title", "sitename", "url", "hostname", "date")


@pytest.mark.corpus
def test_page_metadata_is_trafilaturas_for_the_fields_we_use(corpus_dir: Path) -> None:
    """Our shortened metadata pass must agree with trafilatura's whole one (a trafilatura upgrade could part them)."""
    from trafilatura.metadata import extract_metadata
    from trafilatura.utils import load_html

    pages = sorted((corpus_dir / "article-extraction" / "html").glob("*.htm*"))[:40]
    pages += sorted((corpus_dir / "publication-dates" / "html").glob("*.htm*"))
    assert len(pages) > 40
    for page in pages:
        data = gzip.decompress(page.read_bytes()) if page.suffix == ".gz" else page.read_bytes()
        html = data.decode("utf-8", errors="replace")
        ours = clean_module.page_metadata(load_html(html), None)
        theirs = extract_metadata(load_html(html), None, dict(clean_module.DATE_PARAMS))
        for name in METADATA_FIELDS:
            assert getattr(ours, name) == getattr(theirs, name), (page.name, name)


def test_html_metadata_survives_a_second_extraction_pass() -> None:
    """A short body makes trafilatura run its full cascade too; the metadata is found once and kept."""
    html = (
        "<html><head><title>Short note | Example News</title>"
        '<meta property="og:site_name" content="Example News">'
        '<link rel="canonical" href="https://example.org/news/1">'
        '<meta property="article:published_time" content="2024-05-10T14:55:00+06:00"></head>'
        "<body><article><p>The court in Bishkek extended the detention of the activist.</p></article></body></html>"
    )
    cleaned = clean_module.clean_html(html)
    assert cleaned.title == "Short note"
    assert cleaned.publisher == "Example News"
    assert cleaned.url == "https://example.org/news/1"
    assert cleaned.date == "2024-05-10"
    assert "extended the detention" in cleaned.text
