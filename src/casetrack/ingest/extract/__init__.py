"""Extraction of persons, organisations, cases, charges and events (being built)."""

from __future__ import annotations

from casetrack.ingest.types import Document, Extraction


def extract(document: Document) -> Extraction:
    """Every fact the cleaned text of ``document`` states, each with its quote."""
    return Extraction()
