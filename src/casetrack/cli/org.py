"""``casetrack org add|edit|delete|alias|link|merge|unmerge``: curating organisations."""

from __future__ import annotations

from casetrack.cli._curation import record_app

GROUP = "org"
ORDER = 51
app = record_app("organisation")
