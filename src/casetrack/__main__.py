"""``python -m casetrack`` runs the command line (start-up garbage collection as in :mod:`casetrack.startup`)."""

from casetrack import startup

startup.begin()

from casetrack.cli import main  # noqa: E402  (after begin(): the CLI's imports are start-up too)

main()
