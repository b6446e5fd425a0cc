"""``casetrack person add|edit|delete|alias|link|merge|unmerge``: curating persons."""

from __future__ import annotations

from casetrack.cli._curation import record_app

GROUP = "person"
ORDER = 50
app = record_app("person")
