"""render/table: the audit log reads well at 80 columns (nothing that must stay whole is wrapped)."""

from __future__ import annotations

from rich.console import Console
from rich.text import Text

from casetrack.render import table
from casetrack.store.curate import LogRow


def _render(rows, width: int) -> list[str]:
    console = Console(width=width, record=True, color_system=None, force_terminal=False)
    console.print(table.audit_log(rows))
    return console.export_text().splitlines()


ROWS = [
    LogRow(
        "00586143aa11",
        "2026-11-23T01:46:09+00:00",
        "dan",
        "update",
        "person #1",
        "description",
        "Head of the Viasna human rights centre, Nobel Peace Prize laureate 2022",
        None,
        "e24e1890bb22",
        None,
    ),
    LogRow(
        "ac0ce9e4cc33",
        "2026-11-23T01:43:00+00:00",
        "a-very-long-curator-name",
        "merge",
        "organisation #12",
        "merged_into_id",
        None,
        {"judgement": 7, "kept": 3, "merged": 12, "name": "Viasna", "overrides": [4]},
        None,
        "f00dfeed0000",
    ),
    LogRow(
        "1df9e525dd44",
        "2026-11-22T23:59:59+00:00",
        "anna",
        "reject",
        "person #3",
        None,
        None,
        {"judgement": 2, "candidate": None, "other": 9},
        None,
        None,
    ),
]


def test_audit_log_fits_80_columns_without_splitting_what_must_stay_whole():
    lines = _render(ROWS, 80)
    assert max(len(line) for line in lines) <= 80
    text = "\n".join(lines)
    for whole in (
        "2026-11-23 01:46",
        "2026-11-23 01:43",
        "2026-11-22 23:59",
        "00586143",
        "ac0ce9e4",
        "merged_into_id",
        "description",
        "undoes e24e1890",
    ):
        assert whole in text, whole
    assert "a-very-l…" in text  # a long name is cut, not wrapped over lines
    cells = [line.split("│") for line in lines if line.startswith("│")]
    assert all(len(cell) == 7 for cell in cells)  # five columns on every line
    timestamps = [c[1].strip() for c in cells if c[1].strip()]
    assert timestamps == ["2026-11-23 01:46", "2026-11-23 01:43", "2026-11-22 23:59"]


def test_audit_log_says_what_each_entry_did():
    text = "\n".join(_render(ROWS, 120))
    assert "Head of the Viasna" in text and "2022 → (empty)" in text
    assert "#12 into #3 (judgement #7, sets aside #4)" in text
    assert "not #9 (judgement #2)" in text
    assert "undone by f00dfeed" in text
    assert len(_render(ROWS, 120)[1]) == 120  # spreads out on a wide terminal


def test_an_empty_log_says_so():
    assert _render([], 80) == ["no changes logged"]


def _print(renderable, width: int) -> list[str]:
    console = Console(width=width, record=True, color_system=None, force_terminal=False)
    console.print(renderable)
    return console.export_text().splitlines()


def test_fitted_table_gives_short_columns_their_width_and_the_long_one_the_rest():
    fitted = table.FittedTable(
        "t", [table.Fit("id", 2, 0.1), table.Fit("text", 10), table.Fit("who", 16, 0.25)]
    )
    fitted.add_row(Text("12"), Text("word " * 40), Text("Amnesty International\nRita Karasartova"))
    # 3 columns cost 10 cells of borders and padding; "who" may take a quarter of the other 70
    assert fitted.widths(80) == [2, 70 - 2 - 17, 17]
    assert fitted.widths(120) == [2, 110 - 2 - 21, 21]  # the longest name whole, the rest to the text
    lines = _print(fitted, 80)
    assert max(len(line) for line in lines) == 80
    narrow = table.FittedTable("t", [table.Fit("id", 2, 0.1), table.Fit("text", 10)])
    narrow.add_row(Text("1"), Text("short"))
    assert narrow.widths(80) == [2, 5] and max(len(line) for line in _print(narrow, 80)) < 20


def test_show_person_reads_at_80_columns(database):
    from casetrack.store import query
    from tests.records import build_record

    record = build_record(database)
    with database.session(write=True) as s:
        from casetrack.models import CaseParty

        s.add(CaseParty(case_id=record.case, person_id=record.rita, role="detainee"))
    with database.session() as s:
        view = query.show_person(s, "Rita Karasartova")
    lines = _print(table.person(view), 80)
    text = "\n".join(lines)
    assert max(len(line) for line in lines) <= 80
    assert "Amnesty International" in text and "Kempir-Abad case" in text  # names are not cut
    assert "defendant, detainee" in text  # one row per case, both roles
    charge_rows = [line for line in lines if "Art. 326" in line]
    assert len(charge_rows) == 1  # a charge once, though she has two roles in its case
    assert "— 24.kg" in text  # each event's and charge's sources under it
