"""``Report.sorted``: the order of ``Problem``'s own comparison, duplicates removed."""

from __future__ import annotations

from reportgen.problems import Problem, Report


def test_problems_are_sorted_as_they_compare_and_duplicates_go() -> None:
    problems = [
        Problem("b.yaml", 3, 1, "E203", {"field": "x"}),
        Problem("a.yaml", 10, 2, "W630"),
        Problem("a.yaml", 2, 5, "E203", record="Q1", field="title"),
        Problem("a.yaml", 2, 5, "E203", record="Q2", field="title"),  # the same problem: its record is not compared
        Problem("a.yaml", 2, 5, "E201", field="title"),
        Problem("a.yaml", 2, 5, "E203", field="due"),
        Problem("a.yaml", 10, 2, "W630"),
    ]
    found = Report(problems).sorted()
    assert found == sorted(set(problems))
    assert [(p.file, p.line, p.column, p.code, p.field) for p in found] == [
        ("a.yaml", 2, 5, "E201", "title"),
        ("a.yaml", 2, 5, "E203", "due"),
        ("a.yaml", 2, 5, "E203", "title"),
        ("a.yaml", 10, 2, "W630", None),
        ("b.yaml", 3, 1, "E203", None),
    ]
