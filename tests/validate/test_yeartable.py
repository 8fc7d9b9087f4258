"""The rules' state's table of calendar years: looked up and changed by file as the dict it stands for."""

from __future__ import annotations

import random

import pytest

from reportgen.validate import yeartable
from reportgen.validate.yeartable import Years, YearTable

YEARS: dict[str, Years] = {
    "r/issues/Q1.yaml": (2021,),
    "r/issues/Q2.yaml": (2021, 2022),
    "r/issues/Q10.yaml": (2022,),
    "r/visits/V1.yaml": (2021,),
    "r/odd\nname.yaml": (2020,),  # a newline in a file's name
}


def test_a_table_keeps_each_set_of_years_as_one_text() -> None:
    table = YearTable.made(YEARS)
    assert table.groups == {
        (2021,): "\nr/issues/Q1.yaml\nr/visits/V1.yaml\n",
        (2021, 2022): "\nr/issues/Q2.yaml\n",
        (2022,): "\nr/issues/Q10.yaml\n",
    }
    assert table.odd == {"r/odd\nname.yaml": (2020,)}
    assert table.all_years() == {2020, 2021, 2022}
    assert YearTable.made({}) == YearTable() and YearTable().all_years() == set()


@pytest.mark.parametrize("few", [16, 0])  # the texts searched file by file; every text split
def test_a_files_years_are_its_own_not_a_longer_or_shorter_names(few: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yeartable, "FEW", few)
    table = YearTable.made(YEARS)
    wanted = ["r/issues/Q1.yaml", "r/issues/Q1", "issues/Q1.yaml", "r/odd\nname.yaml", "r/odd", "name.yaml"]
    assert table.of(wanted) == {"r/issues/Q1.yaml": (2021,), "r/odd\nname.yaml": (2020,)}
    # two names joined by a newline are not a file
    assert table.of(["r/issues/Q1.yaml\nr/visits/V1.yaml"]) == {}


def test_a_table_with_the_same_years_is_itself() -> None:
    table = YearTable.made(YEARS)
    assert table.replaced({"r/issues/Q1.yaml", "r/issues/Q9.yaml"}, {"r/issues/Q1.yaml": (2021,)}) is table


def test_a_file_moved_to_other_years_leaves_its_set_and_an_empty_set_goes() -> None:
    table = YearTable.made(YEARS)
    moved = table.replaced({"r/issues/Q10.yaml", "r/issues/Q3.yaml"}, {"r/issues/Q10.yaml": (2023,)})
    assert (2022,) not in moved.groups
    assert moved.groups[(2023,)] == "\nr/issues/Q10.yaml\n"
    assert moved.all_years() == {2020, 2021, 2022, 2023}  # Q2 still needs 2022
    assert YearTable.made(YEARS) == table  # the table replaced is left as it was


@pytest.mark.parametrize("few", [16, 0])
def test_random_changes_give_the_dicts_years(few: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yeartable, "FEW", few)
    rng = random.Random(18)
    sets: list[Years] = [(2020,), (2021,), (2021, 2022), (2022,), (2020, 2023)]
    names = [f"r/f{i}.yaml" for i in range(40)] + ["r/a\nb.yaml", "r/f1"]
    years = {name: rng.choice(sets) for name in names if rng.random() < 0.6}
    table = YearTable.made(years)
    for _ in range(200):
        files = set(rng.sample(names, rng.randint(0, 20)))
        new = {f: rng.choice(sets) for f in files if rng.random() < 0.6}
        table = table.replaced(files, new)
        years = {f: y for f, y in years.items() if f not in files} | new
        assert table.of(names) == years
        assert table.all_years() == set().union(*years.values())
