"""Scale benchmark of the read commands: same command, small and large database.

For each size (default 10k and 1M events; see bench/generate.py) it runs the
real CLI in a subprocess -- ``show person``, ``timeline --person``, ``list
cases --country --status``, ``search`` -- and takes the median wall time of
several runs, the small and the large database in turn. In-process it captures every SQL statement those commands send,
checks with ``EXPLAIN QUERY PLAN`` that none scans a table (only the FTS5
virtual-table index may "SCAN"), and that the number of statements is the same
bounded by a constant at both sizes (no query per row).

Targets (exit status 1 if any is missed):
* each command at the large size within 1.5x of its time at the small size;
* ``show person`` at the large size within 1.3x of ``python -c "import sqlmodel"``
  measured in the same run: the two are run alternately (``--ratio-runs`` each,
  at least 7) and their medians compared, so a change of load on a shared
  machine hits both alike.

Every subprocess runs from cached bytecode, as an installed package does (pip
compiles it at install): ``PYTHONDONTWRITEBYTECODE`` is dropped and the cache
goes to ``--dir``/casetrack-bench-pycache (``PYTHONPYCACHEPREFIX``), never into
the source tree. ``--ratio-only`` measures just the start-up ratio again on the
existing large database and appends it, with the time and load average, to
``ratio_runs`` in the results (to repeat it at a quiet moment).

Results go to bench/results/scale.json and into the marked section of docs/queries.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
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
MIN_RATIO_RUNS = 7
IMPORT_SQLMODEL = [sys.executable, "-c", "import sqlmodel"]
_ENV: dict[str, str] = {}


def use_bytecode_cache(directory: Path) -> None:
    """Subprocesses run from cached bytecode (kept in ``directory``), like an installed package."""
    _ENV.clear()
    _ENV.update(os.environ, COLUMNS="120", NO_COLOR="1", PYTHONPYCACHEPREFIX=str(directory))
    _ENV.pop("PYTHONDONTWRITEBYTECODE", None)


def _run(argv: list[str]) -> float:
    started = time.perf_counter()
    result = subprocess.run(argv, capture_output=True, env=_ENV or None, check=False)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed: {result.stderr.decode()[:500]}")
    return elapsed


def interleaved(commands: dict[str, list[str]], runs: int) -> dict[str, float]:
    """Median wall time of each command, the commands run in turn ``runs`` times."""
    for argv in commands.values():
        _run(argv)
    times: dict[str, list[float]] = {label: [] for label in commands}
    for _ in range(runs):
        for label, argv in commands.items():
            times[label].append(_run(argv))
    return {label: round(statistics.median(values), 4) for label, values in times.items()}


def startup_ratio(db: Path, runs: int) -> dict[str, Any]:
    """``show person`` on ``db`` against ``import sqlmodel``, interleaved, with when and how loaded."""
    load_before = os.getloadavg()[0]
    medians = interleaved(
        {"show person": workload(db)["show person"], "import sqlmodel": IMPORT_SQLMODEL}, runs
    )
    return {
        "measured_at": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%MZ"),
        "commit": _commit(),
        "load_average": [round(load_before, 2), round(os.getloadavg()[0], 2)],
        "runs": runs,
        "show_person_seconds": medians["show person"],
        "import_sqlmodel_seconds": medians["import sqlmodel"],
        "ratio": round(medians["show person"] / medians["import sqlmodel"], 3),
    }


def _commit() -> str:
    found = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    return found.stdout.strip() or "unknown"


def ready(db: Path) -> None:
    """A reused database is migrated to this casetrack's head revision first."""
    from casetrack import db as dbmodule

    database = dbmodule.open_database(resolve(db), check_revision=False)
    try:
        if dbmodule.current_revision(database) != dbmodule.head_revision():
            dbmodule.upgrade(database)
    finally:
        database.dispose()


def resolve(db: Path) -> Any:
    from casetrack.db import resolve_location

    return resolve_location(str(db), Path("/nonexistent"))


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
    parser.add_argument("--ratio-runs", type=int, default=9, help="interleaved runs of the start-up ratio")
    parser.add_argument("--reuse", action="store_true", help="reuse databases already generated in --dir")
    parser.add_argument(
        "--ratio-only", action="store_true", help="only re-measure the start-up ratio on the large database"
    )
    args = parser.parse_args()
    use_bytecode_cache(args.dir / "casetrack-bench-pycache")
    ratio_runs = max(args.ratio_runs, MIN_RATIO_RUNS)
    if args.ratio_only:
        return ratio_only(args.dir / f"casetrack-bench-{args.large}.db", ratio_runs, args.small, args.large)

    from generate import generate

    sizes: dict[str, Any] = {}
    for events in (args.small, args.large):
        db = args.dir / f"casetrack-bench-{events}.db"
        build_seconds = None
        if not (args.reuse and db.exists()):
            started = time.perf_counter()
            generate(db, events)
            build_seconds = round(time.perf_counter() - started, 1)
        ready(db)
        sizes[str(events)] = {
            "db": str(db),
            "build_seconds": build_seconds,
            "seconds": {},
            "plans": plans(db),
        }
    small_db, large_db = (Path(sizes[str(n)]["db"]) for n in (args.small, args.large))
    for label, small_argv in workload(small_db).items():
        both = interleaved({"small": small_argv, "large": workload(large_db)[label]}, args.runs)
        sizes[str(args.small)]["seconds"][label] = both["small"]
        sizes[str(args.large)]["seconds"][label] = both["large"]
    startup = startup_ratio(args.dir / f"casetrack-bench-{args.large}.db", ratio_runs)

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
    checks.append(_ratio_check(startup))
    result = {
        "python": sys.version.split()[0],
        "import_sqlmodel_seconds": startup["import_sqlmodel_seconds"],
        "startup": startup,
        "sizes": sizes,
        "checks": checks,
        "ok": all(c["ok"] for c in checks),
        "ratio_runs": [*_previous_ratio_runs(), startup],
    }
    return _write(result, args.small, args.large)


def _ratio_check(startup: dict[str, Any]) -> dict[str, Any]:
    return {
        "check": "show person (large) / import sqlmodel, interleaved medians",
        "value": startup["ratio"],
        "limit": IMPORT_LIMIT,
        "ok": startup["ratio"] <= IMPORT_LIMIT,
    }


def _previous_ratio_runs() -> list[dict[str, Any]]:
    return list(json.loads(RESULTS.read_text()).get("ratio_runs", [])) if RESULTS.exists() else []


def ratio_only(db: Path, runs: int, small: int, large: int) -> int:
    if not db.exists():
        raise SystemExit(f"{db} does not exist: run the full benchmark first")
    ready(db)
    result = json.loads(RESULTS.read_text())
    startup = startup_ratio(db, runs)
    result.setdefault("ratio_runs", []).append(startup)
    result["startup"], result["import_sqlmodel_seconds"] = startup, startup["import_sqlmodel_seconds"]
    result["checks"] = [c for c in result["checks"] if not c["check"].startswith("show person (large) /")]
    result["checks"].append(_ratio_check(startup))
    result["ok"] = all(c["ok"] for c in result["checks"])
    print(json.dumps(startup))
    return _write(result, small, large)


def _write(result: dict[str, Any], small: int, large: int) -> int:
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    table = _markdown(result, small, large)
    _update_doc(table)
    print(table)
    return 0 if result["ok"] else 1


def _markdown(result: dict[str, Any], small: int, large: int) -> str:
    s, lg = result["sizes"][str(small)], result["sizes"][str(large)]
    startup = result["startup"]
    lines = [
        f"Measured {startup['measured_at']}, Python {result['python']}, bytecode cached. Start-up: "
        f"`show person` on the {large:,}-event database {startup['show_person_seconds']:.3f}s against "
        f'`python -c "import sqlmodel"` {startup["import_sqlmodel_seconds"]:.3f}s '
        f"(medians of {startup['runs']} interleaved runs each, load average {startup['load_average'][0]}): "
        f"**{startup['ratio']:.2f}x**.",
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
        "",
        "Start-up ratio, every run (UTC time, commit, load average, show person / import sqlmodel):",
        "",
        *(
            f"- {r['measured_at']} ({r.get('commit', '?')}), load {r['load_average'][0]}: "
            f"{r['show_person_seconds']:.3f}s / "
            f"{r['import_sqlmodel_seconds']:.3f}s = {r['ratio']:.2f}x"
            for r in result.get("ratio_runs", [])
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
