"""``python -m casetrack`` runs the command line."""

from casetrack.cli import main

main()
