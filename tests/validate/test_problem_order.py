"""The check sorts its problems by ``incremental._ORDER``: exactly ``Problem``'s own order."""

from __future__ import annotations

import dataclasses
import random

from reportgen.problems import Problem
from reportgen.validate import incremental


def test_the_order_reads_the_fields_problem_compares() -> None:
    compared = [f.name for f in dataclasses.fields(Problem) if f.compare]
    assert compared == ["file", "line", "column", "code", "field"]
    assert incremental._ORDER(Problem("a.yaml", 3, 4, "E302", {"x": 1}, "Q1", "title")) == (
        "a.yaml",
        3,
        4,
        "E302",
        "title",
    )


def test_sorted_by_the_order_is_sorted_by_problem() -> None:
    rng = random.Random(7)
    problems = [
        Problem(
            rng.choice("ab") + ".yaml", rng.randrange(3), rng.randrange(3), rng.choice(["E302", "W603"]), {}, None, "f"
        )
        for _ in range(300)
    ]
    by_problem, by_order = sorted(problems), sorted(problems, key=incremental._ORDER)
    assert all(a is b for a, b in zip(by_problem, by_order, strict=True))  # equal ones too stay in their order
