"""Synthetic casetrack database for the scale benchmark.

``python bench/generate.py --events 1000000 -o /tmp/ct-1m.db`` builds a migrated
database whose other tables scale with ``--events``: persons = events/10,
cases = events/50, sources = events/5, organisations = events/200 (the issue's
100k persons, 20k cases, 1M events, 200k sources at 1M events).

Distributions are meant to look like a monitor's record: names from Kyrgyz,
Kazakh, Belarusian and Russian first names and surnames (each person also has a
Cyrillic alias), countries weighted towards KG/KZ/BY/RU, event dates between
2000 and 2026 skewed to recent years, date precision mostly day with months,
years, month-day ("--07-04") and undated events mixed in, 10% of dates inferred;
events per person follow a long tail. Rows go in with ``executemany`` on the raw
SQLite connection, in one transaction per table, ids given explicitly; the FTS
triggers of the migration index the search documents as they are inserted.
"""

from __future__ import annotations

import argparse
import calendar
import hashlib
import random
import sqlite3
import sys
import time
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from casetrack.db import open_database, resolve_location
from casetrack.ingest.names import name_key, phonetic_key

FIRST = [
    "Aibek",
    "Aizada",
    "Almaz",
    "Asel",
    "Azamat",
    "Bakyt",
    "Cholpon",
    "Dinara",
    "Elmira",
    "Ermek",
    "Gulnara",
    "Kanat",
    "Meerim",
    "Nurlan",
    "Rita",
    "Temir",
    "Zhanna",
    "Ales",
    "Maria",
    "Ihar",
    "Volha",
    "Siarhei",
    "Nasta",
    "Pavel",
    "Viktar",
    "Iryna",
    "Dmitri",
    "Olga",
    "Sergei",
    "Anna",
    "Yerlan",
    "Aigerim",
    "Dauren",
    "Saule",
]
LAST = [
    "Karasartova",
    "Bialiatski",
    "Kolesnikova",
    "Babaryka",
    "Tikhanovskaya",
    "Akunov",
    "Japarov",
    "Toktomushev",
    "Beishenaliev",
    "Sadyrov",
    "Abdyldaev",
    "Mamytov",
    "Nazarbayeva",
    "Zhaksybekov",
    "Lukashuk",
    "Losik",
    "Stefanovich",
    "Labkovich",
    "Protasevich",
    "Navalny",
    "Kara-Murza",
    "Yashin",
    "Gorinov",
    "Skochilenko",
    "Ismailova",
    "Rakhimov",
    "Omarov",
    "Sultanbekov",
    "Usenova",
    "Kurmanov",
    "Dzhumabaev",
    "Tashiev",
]
COUNTRIES = ["KG"] * 30 + ["KZ"] * 20 + ["BY"] * 25 + ["RU"] * 20 + ["TJ", "UZ", "AZ", "TM", "AM"]
STATUSES = [
    "investigation",
    "detained",
    "charged",
    "on_trial",
    "convicted",
    "acquitted",
    "released",
    "closed",
]
ROLES = ["defendant"] * 6 + ["detainee", "victim", "lawyer", "witness", "supporter"]
KINDS = [
    "arrest",
    "detention",
    "search",
    "charge",
    "hearing",
    "trial",
    "verdict",
    "sentence",
    "appeal",
    "release",
    "transfer",
    "petition",
    "protest",
    "statement",
]
WORDS = [
    "court",
    "detained",
    "activist",
    "protest",
    "sentence",
    "appeal",
    "lawyer",
    "prison",
    "colony",
    "hearing",
    "charges",
    "journalist",
    "border",
    "petition",
    "signatures",
    "release",
    "riots",
    "extremism",
]
ARTICLES = ["Art. 326", "Art. 342 Part 2", "Art. 293", "Art. 361", "Art. 130", "Art. 174", "Art. 280"]
NOW = "2026-11-22T00:00:00"
FACT = ("origin", "curated_fields", "created_at", "updated_at")
FACT_VALUES = ("extracted", "[]", NOW, NOW)


def person_names(count: int, rng: random.Random) -> Iterator[str]:
    """Unique names: first + (patronymic initial) + last, numbered when the combinations run out."""
    initials = "ABDEGIKMNOPRSTUVZ"
    combos = [(f, i, last) for f in FIRST for i in initials for last in LAST]
    rng.shuffle(combos)
    for n in range(count):
        first, initial, last = combos[n % len(combos)]
        suffix = f" {n // len(combos) + 1}" if n >= len(combos) else ""
        yield f"{first} {initial}. {last}{suffix}"


def random_date(rng: random.Random) -> tuple[str | None, str, int, str | None, str | None]:
    """(value, precision, inferred, date_min, date_max) with realistic precision and recency."""
    year = min(2026, int(2026 - rng.expovariate(1 / 5)))
    year = max(year, 2000)
    month, day = rng.randint(1, 12), rng.randint(1, 28)
    pick = rng.random()
    inferred = int(rng.random() < 0.1)
    if pick < 0.6:
        value = f"{year:04d}-{month:02d}-{day:02d}"
        return value, "day", inferred, value, value
    if pick < 0.8:
        last = calendar.monthrange(year, month)[1]
        return (
            f"{year:04d}-{month:02d}",
            "month",
            inferred,
            f"{year:04d}-{month:02d}-01",
            f"{year:04d}-{month:02d}-{last}",
        )
    if pick < 0.9:
        return f"{year:04d}", "year", inferred, f"{year:04d}-01-01", f"{year:04d}-12-31"
    if pick < 0.95:
        return f"--{month:02d}-{day:02d}", "month-day", 0, None, None
    return None, "unknown", 0, None, None


def _insert(conn: sqlite3.Connection, table: str, columns: tuple[str, ...], rows: Iterator[tuple]) -> int:
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
    count = 0
    batch: list[tuple] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= 20_000:
            conn.executemany(sql, batch)
            count += len(batch)
            batch.clear()
    if batch:
        conn.executemany(sql, batch)
        count += len(batch)
    return count


def generate(path: Path, events: int, seed: int = 7) -> dict[str, int]:
    if path.exists():
        path.unlink()
    database = open_database(resolve_location(str(path), Path("/nonexistent")))
    database.dispose()
    rng = random.Random(seed)
    n_persons, n_cases = max(events // 10, 10), max(events // 50, 5)
    n_sources, n_orgs = max(events // 5, 5), max(events // 200, 5)
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=OFF")
    conn.execute("PRAGMA cache_size=-400000")
    counts: dict[str, int] = {}
    started = time.perf_counter()

    def table(name: str, columns: tuple[str, ...], rows: Iterator[tuple]) -> None:
        conn.execute("BEGIN")
        counts[name] = _insert(conn, name, columns, rows)
        conn.execute("COMMIT")
        print(f"{name}: {counts[name]:,} rows, {time.perf_counter() - started:.1f}s", file=sys.stderr)

    names = list(person_names(n_persons, rng))
    person_country = [rng.choice(COUNTRIES) for _ in names]

    def sources() -> Iterator[tuple]:
        for i in range(1, n_sources + 1):
            text = " ".join(rng.choice(WORDS) for _ in range(40)) + f". {rng.choice(names)} was named."
            raw = text.encode()
            day = f"{rng.randint(2010, 2026)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            yield (
                i,
                f"https://news.example/{i}",
                f"https://news.example/{i}",
                f"Report {i}: {rng.choice(WORDS)}",
                rng.choice(["24.kg", "Viasna", "RFE/RL", "Kloop", "Mediazona"]),
                "en",
                day,
                "day",
                0,
                NOW,
                hashlib.sha256(raw + str(i).encode()).hexdigest(),
                "text/plain",
                len(raw),
                raw,
                text,
                NOW,
                "day",
                "unknown",
            )

    table(
        "source",
        (
            "id",
            "input",
            "url",
            "title",
            "publisher",
            "language",
            "published",
            "published_precision",
            "published_inferred",
            "retrieved_at",
            "sha256",
            "media_type",
            "size",
            "raw",
            "text",
            "created_at",
            "retrieved_precision",
            "retrieved",
        ),
        sources(),
    )
    table(
        "person",
        ("id", "name", "name_key", "phonetic_key", "description", "country", "birth_date_precision", *FACT),
        (
            (
                i,
                n,
                name_key(n),
                phonetic_key(n),
                "activist" if i % 3 else "journalist",
                person_country[i - 1],
                "unknown",
                *FACT_VALUES,
            )
            for i, n in enumerate(names, 1)
        ),
    )
    table(
        "person_alias",
        ("id", "person_id", "name", "key", "phonetic_key", "script", "origin", "created_at"),
        (
            (i, i, _cyrillic(n), name_key(_cyrillic(n)), phonetic_key(_cyrillic(n)), "Cyrl", "extracted", NOW)
            for i, n in enumerate(names, 1)
        ),
    )
    table(
        "organisation",
        ("id", "name", "name_key", "phonetic_key", "kind", "country", *FACT),
        (
            (
                i,
                f"Organisation {i}",
                f"organisation {i}",
                phonetic_key(f"Organisation {i}"),
                rng.choice(["ngo", "court", "media", "government"]),
                rng.choice(COUNTRIES),
                *FACT_VALUES,
            )
            for i in range(1, n_orgs + 1)
        ),
    )
    table(
        "legal_case",
        ("id", "name", "name_key", "country", "status", "summary", *FACT),
        (
            (
                i,
                f"Case {i} ({rng.choice(LAST)})",
                f"case {i}",
                rng.choice(COUNTRIES),
                rng.choice(STATUSES),
                "prosecution of activists",
                *FACT_VALUES,
            )
            for i in range(1, n_cases + 1)
        ),
    )
    case_persons = [rng.sample(range(1, n_persons + 1), k=rng.randint(1, 4)) for _ in range(n_cases)]
    table(
        "case_party",
        ("case_id", "person_id", "role", *FACT),
        ((c, p, rng.choice(ROLES), *FACT_VALUES) for c, ps in enumerate(case_persons, 1) for p in ps),
    )
    table(
        "charge",
        (
            "case_id",
            "person_id",
            "description",
            "article",
            "max_penalty",
            "date_precision",
            "date_inferred",
            *FACT,
        ),
        (
            (
                c,
                ps[0],
                "calls for mass riots",
                rng.choice(ARTICLES),
                f"{rng.randint(3, 20)} years",
                "unknown",
                0,
                *FACT_VALUES,
            )
            for c, ps in enumerate(case_persons, 1)
        ),
    )
    event_rows, participant_rows = [], []
    for i in range(1, events + 1):
        value, precision, inferred, dmin, dmax = random_date(rng)
        case_id = rng.randint(1, n_cases)
        event_rows.append(
            (
                i,
                rng.choice(KINDS),
                value,
                precision,
                inferred,
                dmin,
                dmax,
                f"{rng.choice(WORDS)} {rng.choice(WORDS)} in case {case_id}",
                case_id,
                "{}",
                *FACT_VALUES,
            )
        )
        participant_rows.append((i, rng.choice(case_persons[case_id - 1]), "subject", "extracted"))
        if rng.random() < 0.3:
            participant_rows.append((i, min(int(rng.paretovariate(1.1)), n_persons), "other", "extracted"))
    table(
        "event",
        (
            "id",
            "kind",
            "date",
            "date_precision",
            "date_inferred",
            "date_min",
            "date_max",
            "summary",
            "case_id",
            "figures",
            *FACT,
        ),
        iter(event_rows),
    )
    table("event_participant", ("event_id", "person_id", "role", "origin"), iter(participant_rows))
    del participant_rows
    table(
        "citation",
        ("source_id", "record_type", "record_id", "quote", "start", "created_at"),
        (
            (rng.randint(1, n_sources), "event", i, f"quote for event {i}", 0, NOW)
            for i in range(1, events + 1)
        ),
    )
    conn.execute("BEGIN")
    conn.executemany(
        "INSERT INTO citation (source_id, record_type, record_id, quote, start, created_at) VALUES (?,?,?,?,?,?)",
        ((rng.randint(1, n_sources), "person", i, f"{n} was named", 0, NOW) for i, n in enumerate(names, 1)),
    )
    conn.execute("COMMIT")
    docs = (
        ("source", "SELECT id, title, publisher || ' ' || text FROM source"),
        (
            "person",
            "SELECT p.id, p.name, a.name || ' ' || p.description || ' ' || p.country FROM person p "
            "JOIN person_alias a ON a.person_id = p.id",
        ),
        ("organisation", "SELECT id, name, kind FROM organisation"),
        ("case", "SELECT id, name, summary || ' ' || country || ' ' || status FROM legal_case"),
        ("event", "SELECT id, summary, kind || ' ' || coalesce(date, '') FROM event"),
    )
    for record_type, select in docs:
        table(
            "search_doc",
            ("record_type", "record_id", "title", "body"),
            ((record_type, *row) for row in conn.execute(select).fetchall()),
        )
    conn.execute("ANALYZE")
    conn.close()
    return counts


_TRANSLIT = dict(zip("abcdefghijklmnopqrstuvwxyz", "абцдефгхийклмнопкрстуввксз", strict=True))


def _cyrillic(name: str) -> str:
    return "".join(_TRANSLIT.get(c, _TRANSLIT.get(c.lower(), c).upper() if c.isupper() else c) for c in name)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=10_000, help="number of events (others scale with it)")
    parser.add_argument("-o", "--output", type=Path, required=True, help="database file to (re)create")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    started = time.perf_counter()
    counts = generate(args.output, args.events, args.seed)
    print(f"built {args.output} in {time.perf_counter() - started:.1f}s: {counts}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
