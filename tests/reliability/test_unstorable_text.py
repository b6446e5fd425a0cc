"""Text one backend cannot store is refused on both, as a user error, with the database untouched."""

from __future__ import annotations

import pytest

from tests.reliability import fuzzing


@pytest.mark.parametrize(
    ("value", "reason"),
    [("Rita\x00Karasartova", "NUL character"), ("Rita \udce9", "not valid text")],
)
def test_unstorable_text_is_an_invalid_value(cli, database, value: str, reason: str) -> None:
    before = fuzzing.fingerprint(database.engine)
    result = cli("person", "add", value)
    assert result.exit_code == 5
    assert result.stderr.startswith("casetrack: error: ") and reason in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert fuzzing.fingerprint(database.engine) == before
    assert cli("person", "add", "Rita Karasartova").exit_code == 0


def test_an_overlong_value_is_refused_on_both_backends(cli, database) -> None:
    before = fuzzing.fingerprint(database.engine)
    result = cli("person", "add", "--alias", "x" * 400, "Rita Karasartova")
    assert result.exit_code == 5
    assert "limited to 300 characters" in result.stderr
    assert fuzzing.fingerprint(database.engine) == before
