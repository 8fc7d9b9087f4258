"""The rules' state's table of references: searched by id and changed by file as the dict it stands for."""

from __future__ import annotations

import random

import pytest

from reportgen.validate import reftable
from reportgen.validate.crossref import Refs
from reportgen.validate.reftable import RefTable

REFS: dict[str, Refs] = {
    "r/issues/Q1.yaml": ("enterprise", "E1", "department", "D1"),
    "r/issues/Q2.yaml": ("enterprise", "E2", "department", "D1"),
    "r/rectifications/R1.yaml": ("issue", "Q1"),
    "r/enterprises/E1.yaml": (),
    "r/issues/Q3.yaml": ("enterprise", "issue", "department", "D2"),  # an id that is also a kind's name
    "r/odd\nname.yaml": ("issue", "Q1"),  # a newline in a file's name
    "r/issues/Q4.yaml": ("enterprise", "E\0x"),  # a NUL in an id
}


def _referrers(refs: dict[str, Refs], ids: set[str]) -> set[str]:
    """What ``RefTable.referrers`` stands for."""
    return {file for file, found in refs.items() if not ids.isdisjoint(found[1::2])}


def test_a_table_gives_back_every_files_references_in_order() -> None:
    table = RefTable.made(REFS.items())
    assert dict(table.pairs()) == REFS
    assert table.odd == {"r/odd\nname.yaml": ("issue", "Q1"), "r/issues/Q4.yaml": ("enterprise", "E\0x")}
    assert RefTable.made([]) == RefTable("", {})


@pytest.mark.parametrize("few", [16, 0])  # the text searched id by id; every line read
def test_referrers_are_the_files_naming_an_id_as_an_id(few: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reftable, "FEW", few)
    table = RefTable.made(REFS.items())
    assert table.referrers({"Q1"}) == {"r/rectifications/R1.yaml", "r/odd\nname.yaml"}
    assert table.referrers({"D1", "E1"}) == {"r/issues/Q1.yaml", "r/issues/Q2.yaml"}
    assert table.referrers({"issue"}) == {"r/issues/Q3.yaml"}  # not every file naming the kind
    assert table.referrers({"enterprise", "r/issues/Q1.yaml"}) == set()  # kinds and files are no ids
    assert table.referrers({"E\0x"}) == {"r/issues/Q4.yaml"}


@pytest.mark.parametrize("few", [16, 0])
def test_a_changed_file_keeps_its_place_and_others_come_last(few: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reftable, "FEW", few)
    table = RefTable.made(REFS.items())
    assert table.replaced(["r/issues/Q1.yaml"], {"r/issues/Q1.yaml": REFS["r/issues/Q1.yaml"]}) == table
    new = table.replaced(
        ["r/issues/Q2.yaml", "r/enterprises/E1.yaml", "r/odd\nname.yaml"],
        {"r/issues/Q2.yaml": ("enterprise", "E9"), "r/issues/Q9.yaml": ("issue", "Q2"), "r/odd\nname.yaml": ()},
    )
    assert new.text == (
        "\nr/issues/Q1.yaml\0enterprise\0E1\0department\0D1\0"
        "\nr/issues/Q2.yaml\0enterprise\0E9\0"
        "\nr/rectifications/R1.yaml\0issue\0Q1\0"
        "\nr/issues/Q3.yaml\0enterprise\0issue\0department\0D2\0"
        "\nr/issues/Q9.yaml\0issue\0Q2\0"
    )
    assert new.odd == {"r/odd\nname.yaml": (), "r/issues/Q4.yaml": ("enterprise", "E\0x")}


def test_random_changes_search_as_the_dict_does(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(18)
    ids = ["E1", "E2", "D1", "Q1", "Q2", "issue", "E\n1", "x\0"]
    files = [f"r/f{i}.yaml" for i in range(30)] + ["r/f\n.yaml"]

    def refs() -> Refs:
        return tuple(x for _ in range(rng.randrange(4)) for x in (rng.choice(["issue", "enterprise"]), rng.choice(ids)))

    expected = {file: refs() for file in files if rng.random() < 0.7}
    table = RefTable.made(expected.items())
    for step in range(200):
        monkeypatch.setattr(reftable, "FEW", 16 if step % 3 else 0)
        changed = set(rng.sample(files, rng.randrange(1, 4)))
        new = {file: refs() for file in changed if rng.random() < 0.7}
        for file in changed:
            expected.pop(file, None)
        expected.update(new)
        table = table.replaced(changed, new)
        assert dict(table.pairs()) == expected
        wanted = set(rng.sample(ids, 2))
        assert table.referrers(wanted) == _referrers(expected, wanted)


def test_a_file_whose_references_stay_leaves_the_text_as_it_is() -> None:
    table = RefTable.made(REFS.items())
    again = table.replaced(["r/issues/Q2.yaml"], {"r/issues/Q2.yaml": REFS["r/issues/Q2.yaml"]})
    assert again.text is table.text  # not copied: compared in no time with the state it came from
