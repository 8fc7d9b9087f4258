"""The office's git workflow: ``init`` a repository, write a ``new`` record, ``diff`` two revisions.

Nothing here changes how records are validated or counted: these helpers write files the
validator accepts and compare what ``StatsEngine`` computes at two revisions.
"""

# the kinds ``reportgen new`` writes (config and calendar are written once, by ``init``)
NEW_KINDS = ("enterprise", "staff", "team", "department", "visit", "issue", "rectification", "legal", "bulletin")


def new_kind_labels() -> dict[str, str]:
    """Each kind ``reportgen new`` writes, by its Chinese label (the schema's: ``问题``: ``issue``)."""
    from reportgen.schema.kinds import KINDS_BY_NAME  # here: the schema is not needed to import the workflow

    return {KINDS_BY_NAME[name].label: name for name in NEW_KINDS}


def new_kind_name(text: str) -> str:
    """The kind ``reportgen new`` is asked for, by name or by Chinese label (``问题``: ``issue``); else ``text``."""
    return new_kind_labels().get(text, text)
