"""The office's git workflow: ``init`` a repository, write a ``new`` record, ``diff`` two revisions.

Nothing here changes how records are validated or counted: these helpers write files the
validator accepts and compare what ``StatsEngine`` computes at two revisions.
"""

# the kinds ``reportgen new`` writes (config and calendar are written once, by ``init``)
NEW_KINDS = ("enterprise", "staff", "team", "department", "visit", "issue", "rectification", "legal", "bulletin")
