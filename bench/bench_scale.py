"""Scale benchmark of the read commands: same command, small and large database.

For each size (default 10k and 1M events; see bench/generate.py) it runs the
real CLI in a subprocess -- ``show person``, ``timeline --person``, ``list
cases --country --status``, ``search`` -- and takes the median wall time of
several runs. In-process it captures every SQL statement those commands send,
checks with ``EXPLAIN QUERY PLAN`` that none scans a table (only the FTS5
virtual-table index may "SCAN"), and that the number of statements is the same
bounded by a constant at both sizes (no query per row).

Targets (exit status 1 if any is missed):
* each command at the large size within 1.5x of its time at the small size;
* ``show person`` at the large size within 1.3x of ``python -c "import sqlmodel"``
  measured in the same run.

Results go to bench/results/scale.json and into the marked section of docs/queries.md.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

RESULTS = ROOT / "bench" / "results" / "scale.json"
DOC = ROOT / "docs" / "queries.md"
SCALE_LIMIT = 1.5
IMPORT_LIMIT = 1.3
CASE_ID = 7  # the benchmark's person is the first party of this case: ~20 events, a case, a charge
MAX_STATEMENTS = 25


def wall(argv: list[str], runs: int) -> float:
    env = dict(os.environ, COLUMNS="120", NO_COLOR="1")
    subprocess.run(argv, capture_output=True, env=env, check=False)  # warm the page cache
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        result = subprocess.run(argv, capture_output=True, env=env, check=False)
        times.append(time.perf_counter() - started)
        if result.returncode != 0:
            raise SystemExit(f"{' '.join(argv)} failed: {result.stderr.decode()[:500]}")
    return statistics.median(times)


def person_name(db: Path) -> str:
    with sqlite3.connect(db) as conn:
        query = "SELECT p.name FROM case_party c JOIN person p ON p.id = c.person_id WHERE c.case_id = ? ORDER BY c.id"
        return str(conn.execute(query, (CASE_ID,)).fetchone()[0])


def workload(db: Path) -> dict[str, list[str]]:
    name = person_name(db)
    cli = [sys.executable, "-m", "casetrack", "--db", str(db)]
    return {
        "show person": [*cli, "show", "person", name],
        "timeline --person": [*cli, "timeline", "--person", name],
        "list cases --country --status": [*cli, "list", "cases", "--country", "KG", "--status", "on_trial"],
        "search": [*cli, "search", name],
    }


def plans(db: Path) -> dict[str, Any]:
    """Statements per command and any table scan in their query plans."""
    from sqlalchemy import event

    from casetrack.db import open_database, resolve_location
    from casetrack.store import query, search

    database = open_database(resolve_location(str(db), Path("/nonexistent")))
    captured: list[tuple[str, Any]] = []
    event.listen(
        database.engine, "before_cursor_execute", lambda c, cur, st, p, ctx, many: captured.append((st, p))
    )
    name = person_name(db)
    calls = {
        "show person": lambda s: query.show_person(s, name),
        "timeline --person": lambda s: query.timeline(s, person=name),
        "list cases --country --status": lambda s: query.list_cases(
            s, query.Filters(country="KG", status="on_trial")
        ),
        "search": lambda s: search.search(s, name),
    }
    report: dict[str, Any] = {}
    raw = sqlite3.connect(db)
    for label, call in calls.items():
        captured.clear()
        with database.session() as session:
            call(session)
        scans = []
        for statement, params in captured:
            if not statement.lstrip().upper().startswith("SELECT"):
                continue
            for row in raw.execute("EXPLAIN QUERY PLAN " + statement, params or ()):
                detail = row[3]
                if detail.startswith("SCAN") and "VIRTUAL TABLE" not in detail:
                    scans.append(f"{detail} in: {statement[:120]}")
        report[label] = {"statements": len(captured), "scans": scans}
    raw.close()
    database.dispose()
    return report


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=10_000, help="events in the small database")
    parser.add_argument("--large", type=int, default=1_000_000, help="events in the large database")
    parser.add_argument("--dir", type=Path, default=Path("/tmp"), help="where the databases are kept")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--reuse", action="store_true", help="reuse databases already generated in --dir")
    args = parser.parse_args()

    from generate import generate

    sizes: dict[str, Any] = {}
    for events in (args.small, args.large):
        db = args.dir / f"casetrack-bench-{events}.db"
        build_seconds = None
        if not (args.reuse and db.exists()):
            started = time.perf_counter()
            generate(db, events)
            build_seconds = round(time.perf_counter() - started, 1)
        timings = {label: round(wall(argv, args.runs), 4) for label, argv in workload(db).items()}
        sizes[str(events)] = {
            "db": str(db),
            "build_seconds": build_seconds,
            "seconds": timings,
            "plans": plans(db),
        }
    import_sqlmodel = round(wall([sys.executable, "-c", "import sqlmodel"], args.runs), 4)

    small, large = sizes[str(args.small)], sizes[str(args.large)]
    checks = []
    for label, seconds in large["seconds"].items():
        ratio = seconds / small["seconds"][label]
        checks.append(
            {
                "check": f"{label}: large/small",
                "value": round(ratio, 3),
                "limit": SCALE_LIMIT,
                "ok": ratio <= SCALE_LIMIT,
            }
        )
        counts = [small["plans"][label]["statements"], large["plans"][label]["statements"]]
        checks.append(
            {
                "check": f"{label}: statements at both sizes (bounded, no query per row)",
                "ok": max(counts) <= MAX_STATEMENTS,
                "value": counts,
                "limit": MAX_STATEMENTS,
            }
        )
        scans = large["plans"][label]["scans"]
        checks.append({"check": f"{label}: no table scan", "ok": not scans, "value": scans})
    ratio = large["seconds"]["show person"] / import_sqlmodel
    checks.append(
        {
            "check": "show person (large) / import sqlmodel",
            "value": round(ratio, 3),
            "limit": IMPORT_LIMIT,
            "ok": ratio <= IMPORT_LIMIT,
        }
    )
    result = {
        "python": sys.version.split()[0],
        "import_sqlmodel_seconds": import_sqlmodel,
        "sizes": sizes,
        "checks": checks,
        "ok": all(c["ok"] for c in checks),
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    table = _markdown(result, args.small, args.large)
    _update_doc(table)
    print(table)
    return 0 if result["ok"] else 1


def _markdown(result: dict[str, Any], small: int, large: int) -> str:
    s, lg = result["sizes"][str(small)], result["sizes"][str(large)]
    lines = [
        f'`python -c "import sqlmodel"`: {result["import_sqlmodel_seconds"]:.3f}s',
        "",
        f"| command | {small:,} events | {large:,} events | ratio |",
        "|---|---|---|---|",
    ]
    for label, seconds in lg["seconds"].items():
        lines.append(
            f"| {label} | {s['seconds'][label]:.3f}s | {seconds:.3f}s | {seconds / s['seconds'][label]:.2f} |"
        )
    lines += [
        "",
        *(
            f"- {'ok' if c['ok'] else 'MISSED'}: {c['check']} = {c['value']}"
            + (f" (limit {c['limit']})" if "limit" in c else "")
            for c in result["checks"]
        ),
    ]
    return "\n".join(lines)


def _update_doc(table: str) -> None:
    start, end = "<!-- bench:start -->", "<!-- bench:end -->"
    text = DOC.read_text() if DOC.exists() else f"# Queries\n\n{start}\n{end}\n"
    if start not in text:
        text += f"\n{start}\n{end}\n"
    head, rest = text.split(start, 1)
    tail = rest.split(end, 1)[1]
    DOC.write_text(f"{head}{start}\n{table}\n{end}{tail}")


if __name__ == "__main__":
    raise SystemExit(main())
