"""Turning query results into output: one renderer per format.

:mod:`.table` draws Rich tables for people, :mod:`.data` writes JSON and CSV for
tools, :mod:`.markdown` writes escaped, footnoted CommonMark dossiers. Every
renderer takes the plain dataclasses of :mod:`casetrack.store.query`; dates are
shown with :meth:`casetrack.dates.PartialDate.display`.
"""
