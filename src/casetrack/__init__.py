"""casetrack: a command-line human-rights case tracker.

Articles in, a structured and sourced record out: persons, organisations,
cases, charges and events, each fact tied to the sentence it came from, and a
curator's corrections kept apart from (and above) what extraction proposes.
"""

__version__ = "0.1.0"
