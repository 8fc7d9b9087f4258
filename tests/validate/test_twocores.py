"""A large check's rules across records on two cores find exactly what one process finds (``validate/twocores.py``)."""

from __future__ import annotations

import os
import random
import threading
from pathlib import Path

import pytest

from reportgen.validate import Validated, check_repository, filecache, incremental, twocores
from tests.validate.test_incremental_check import copy_private_into_public, send_reference_elsewhere, synth_office


def _whole(validated: Validated) -> list[tuple[object, ...]]:
    """Every problem with its words (a Problem's == leaves out its params and record)."""
    return [(p, dict(p.params), p.record) for p in validated.report.problems]


def _state(root: Path) -> tuple[object, ...]:
    """The rules' state the check kept, as plain values (a search has no ==: its pickled fields)."""
    state = filecache.load_state(root, filecache.load_cache(root).written_ns)
    assert isinstance(state, incremental.RuleState)
    by_file = [
        {f: [(p, dict(p.params), p.record) for p in ps] for f, ps in d.items()} for d in (state.local, state.texts)
    ]
    return (*by_file, state.refs, state.years, state.private, state.search.__getstate__())


def test_check_all_on_two_cores_is_the_serial_check(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    office = synth_office(tmp_path, monkeypatch)
    rng = random.Random(4)
    for _ in range(4):  # problems for both parts: failing references, private values in public texts
        send_reference_elsewhere(rng, office)
        copy_private_into_public(rng, office)
    serial = check_repository(office, jobs=1)
    serial_state = _state(office)
    pids = tmp_path / "pids"
    per_record = incremental._per_record

    def noted(gathered: object) -> object:
        with pids.open("a") as handle:
            handle.write(f"{os.getpid()}\n")
        return per_record(gathered)  # type: ignore[arg-type]

    monkeypatch.setattr(incremental, "_per_record", noted)
    monkeypatch.setattr(twocores, "forks", lambda files: True)
    monkeypatch.setenv("REPORTGEN_CACHE_DIR", str(tmp_path / "cache2"))
    split = check_repository(office, jobs=1)
    assert pids.read_text().split() != [str(os.getpid())] and len(pids.read_text().split()) == 1  # in the child
    assert {p.code for p in serial.report.problems} >= {"E302", "W603"}  # a reference, a private value
    assert _whole(split) == _whole(serial)
    assert _state(office) == serial_state


@pytest.fixture
def forked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(twocores, "forks", lambda files: True)


def test_a_child_that_ends_without_a_word_has_its_part_done_here(forked: None) -> None:
    parent = os.getpid()

    def aside() -> str:
        if os.getpid() != parent:
            os._exit(9)  # as the system killing it
        return "aside, here"

    assert twocores.both(aside, lambda: "here", twocores.FORK_FROM) == ("aside, here", "here")


def test_a_child_that_fails_has_its_part_done_here_and_meets_the_same_failure(forked: None) -> None:
    calls: list[int] = []

    def aside() -> str:
        calls.append(os.getpid())
        raise ValueError("坏记录")

    with pytest.raises(ValueError, match="坏记录"):
        twocores.both(aside, lambda: "here", twocores.FORK_FROM)
    assert calls == [os.getpid()]  # the child's call is not this process's


def test_what_the_child_hands_back_is_its_result(forked: None) -> None:
    assert twocores.both(lambda: {"a": [1, 2], "b": os.getpid()}, lambda: os.getpid(), 1)[0]["b"] != os.getpid()


def test_a_small_office_does_both_parts_here_in_order() -> None:
    calls: list[str] = []
    assert twocores.both(lambda: calls.append("aside"), lambda: calls.append("here"), twocores.FORK_FROM - 1) == (
        None,
        None,
    )
    assert calls == ["aside", "here"]
    assert not twocores.forks(twocores.FORK_FROM - 1)


def test_a_process_with_another_thread_does_both_parts_itself() -> None:
    ready, stop = threading.Event(), threading.Event()
    waiting = threading.Thread(target=lambda: (ready.set(), stop.wait()))
    waiting.start()
    ready.wait()
    try:
        assert not twocores.forks(twocores.FORK_FROM)
        assert twocores.both(os.getpid, os.getpid, twocores.FORK_FROM) == (os.getpid(), os.getpid())
    finally:
        stop.set()
        waiting.join()
