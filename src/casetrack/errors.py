"""One root error, one line on stderr, one exit code.

Every failure a user can cause or fix -- a file that is not an article, an
unknown name, a date like "31 February", a database that cannot be opened --
is raised as a subclass of :class:`CasetrackError`. The CLI catches the root
class, prints ``casetrack: <message>`` (the message says what is wrong and what
to do) and exits with the subclass's code. Anything else is a bug: it is shown
as one line too, with a traceback only under ``--debug`` and never with local
variables, because the data names people at risk.
"""

from __future__ import annotations


class CasetrackError(Exception):
    """Base of every expected failure; ``exit_code`` is what the CLI returns."""

    exit_code = 1

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} ({self.hint})" if self.hint else self.message


class UsageError(CasetrackError):
    """Options that do not fit together."""

    exit_code = 2


class NotFound(CasetrackError):
    """No record with that id, name or alias."""

    exit_code = 3


class Ambiguous(CasetrackError):
    """A name that matches several records; the message lists them."""

    exit_code = 4


class InvalidValue(CasetrackError):
    """A value outside its vocabulary, a bad date, an unknown field."""

    exit_code = 5


class InputError(CasetrackError):
    """An input that cannot be ingested: unreadable, binary, empty, too large."""

    exit_code = 6


class Conflict(CasetrackError):
    """A change that would break the record: a duplicate, a merge of a record with itself."""

    exit_code = 7


class DatabaseError(CasetrackError):
    """The database cannot be opened, migrated or written."""

    exit_code = 8


class Interrupted(CasetrackError):
    """Ctrl-C: the current input was rolled back; earlier ones are kept."""

    exit_code = 130
