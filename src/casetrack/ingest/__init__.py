"""Turning articles into sourced facts, with no database in sight.

The pipeline is a chain of pure steps -- ``read`` (bytes and charset),
``clean`` (page furniture out, metadata in), ``dates`` (publication date with
evidence and precision), ``extract`` (persons, organisations, cases, charges,
events, each with its quote) and ``resolve`` (name keys and match scores) --
that produce the dataclasses of :mod:`casetrack.ingest.types`. Storing them is
the job of :mod:`casetrack.store`; nothing in this package imports a database
module, so it can be tested and benchmarked on its own.
"""
