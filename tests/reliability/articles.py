"""Small synthetic news articles for the concurrency and crash tests.

Each article is a short HTML (or plain-text) report naming two of a fixed set
of persons and one organisation, with dated events and a charge, so that many
articles share the same persons and organisations: overlapping inputs are what
make concurrent or interrupted ingests produce duplicates when they are not
serialised. The persons and organisations are invented; nothing here is tuned
to the shared seed articles.
"""

from __future__ import annotations

import random
from pathlib import Path

# Each city has its two persons and its organisation, so that the same name always
# comes with the same country (a contradicting country rightly blocks a merge).
CITIES = {
    "Bishkek": (("Marat Dzhumabaev", "journalist"), ("Amina Yusupova", "poet"), "Civic Watch Centre"),
    "Minsk": (("Olga Vasilevich", "lawyer"), ("Pavel Grinevich", "student"), "Freedom Now Foundation"),
    "Almaty": (("Nurlan Sadykov", "activist"), ("Tariq Hassan Mirza", "blogger"), "Open Courts Initiative"),
    "Tbilisi": (
        ("Elena Kostyuk", "human rights defender"),
        ("Lucia Fernandez Ortega", "trade unionist"),
        "Press Defence Union",
    ),
}
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October"]


def article(number: int, *, seed: int = 0) -> tuple[str, str]:
    """(file name, content) of article ``number``; the same number always gives the same bytes."""
    rng = random.Random(seed * 100_003 + number)
    city = rng.choice(sorted(CITIES))
    *persons, organisation = CITIES[city]
    (first, first_role), (second, second_role) = rng.sample(persons, 2)
    day, month, year = rng.randint(1, 28), rng.choice(MONTHS), rng.choice([2022, 2023, 2024])
    article_no = rng.randint(100, 400)
    title = f"{first} detained in {city}"
    paragraphs = [
        f"On {day} {month} {year}, police in {city} detained {first_role} {first}.",
        f"{first} was charged under Article {article_no} of the Criminal Code and faces up to "
        f"{rng.randint(3, 12)} years in prison.",
        f"{organisation} called for the release of {first}.",
        f"{second_role.capitalize()} {second} said the case was politically motivated.",
        f"Report number {number} of the monitoring series.",
    ]
    if number % 3 == 0:
        return f"article-{number:03d}.txt", title + "\n\n" + "\n\n".join(paragraphs) + "\n"
    body = "".join(f"<p>{paragraph}</p>" for paragraph in paragraphs)
    html = (
        f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{title}</title></head>"
        f"<body><nav>Home | News | Contacts</nav><article><h1>{title}</h1>{body}</article>"
        f"<footer>All rights reserved</footer></body></html>"
    )
    return f"article-{number:03d}.html", html


def write_articles(folder: Path, numbers: range | list[int], *, seed: int = 0) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for number in numbers:
        name, content = article(number, seed=seed)
        path = folder / name
        path.write_text(content, encoding="utf-8")
        written.append(path)
    return written
