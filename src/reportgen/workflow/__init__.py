"""The office's git workflow: ``init`` a repository, write a ``new`` record, ``diff`` two revisions.

Nothing here changes how records are validated or counted: these helpers write files the
validator accepts and compare what ``StatsEngine`` computes at two revisions.
"""

# the kinds ``reportgen new`` writes (config and calendar are written once, by ``init``)
NEW_KINDS = ("enterprise", "staff", "team", "department", "visit", "issue", "rectification", "legal", "bulletin")


def new_kind_labels() -> dict[str, str]:
    """The Chinese label of each kind ``reportgen new`` writes (the schema's: ``issue``: ``问题``)."""
    from reportgen.schema.kinds import KINDS_BY_NAME  # here: the schema is not needed to import the workflow

    return {name: KINDS_BY_NAME[name].label for name in NEW_KINDS}
