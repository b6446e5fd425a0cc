"""``python -m casetrack`` runs the command line exactly as the ``casetrack`` script does."""

from casetrack.startup import main

main()
