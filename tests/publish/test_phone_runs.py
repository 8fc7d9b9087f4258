"""Whether a text holds a private number's digits: looked up run by run, then by one expression, alike."""

from __future__ import annotations

import random

import pytest

from reportgen import privacy
from reportgen.privacy import PrivateSearch, PrivateValue, _trie


def _search(numbers: set[str]) -> PrivateSearch:
    return PrivateSearch([PrivateValue(n, "f.yaml", "R1", "phone", "电话", n, True) for n in numbers], [])


def _cases(rng: random.Random, numbers: list[str]) -> list[str]:
    """Digit strings: random ones, and ones holding a number (whole, at either end, or all but a digit)."""
    cases = []
    for _ in range(200):
        noise = "".join(rng.choice("0123456789") for _ in range(rng.randrange(0, 60)))
        number = rng.choice(numbers)
        at = rng.randrange(0, len(noise) + 1)
        cases += [noise, noise[:at] + number + noise[at:], number[1:] + noise, noise + number[:-1], number]
    return cases


@pytest.mark.parametrize("seed", range(5))
def test_runs_looked_up_find_what_the_expression_finds(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(seed)
    numbers = {"".join(rng.choice("0123456789") for _ in range(rng.choice((7, 8, 11, 12)))) for _ in range(30)}
    expression = _trie(numbers)
    assert expression is not None
    for slid in (10**9, 0):  # every text looked up run by run; every text by the expression
        monkeypatch.setattr(privacy, "SLID_PER_PHONE", slid)
        search = _search(numbers)
        for digits in _cases(rng, sorted(numbers)):
            assert search._holds_phone(digits) == (expression.search(digits) is not None), digits
        assert ("_phone_digits" in vars(search)) == (slid == 0)  # made only once the runs would have paid for it


def test_the_expression_is_made_once_the_digits_read_would_have_paid_for_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(privacy, "SLID_PER_PHONE", 5)
    search = _search({"13800138000", "02512345678"})  # 10 digits of runs allowed
    assert not search._holds_phone("2021093012") and "_phone_digits" not in vars(search)
    assert search._holds_phone("13800138000") and "_phone_digits" not in vars(search)  # 21 read
    assert search._holds_phone("9902512345678") and "_phone_digits" in vars(search)
    assert not search._holds_phone("0251234567")
