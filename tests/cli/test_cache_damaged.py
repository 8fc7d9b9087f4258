"""A command that meets a damaged check cache (``model.CacheDamaged``) runs once more, reading the records."""

from __future__ import annotations

import argparse
import pickle

import pytest

from reportgen import cli
from reportgen.model import CacheDamaged


def test_a_command_meeting_a_damaged_check_cache_runs_once_more(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    commands: list[str] = []

    def dispatch(args: argparse.Namespace, lang: str) -> int:
        commands.append(args.command)
        if len(commands) == 1:  # the cache is removed as the damage is found: the second run does not meet it
            raise CacheDamaged("/cache/files.pickle")
        return 0

    monkeypatch.setattr(cli, "_dispatch", dispatch)
    assert cli.main(["check", "records"]) == 0
    assert commands == ["check", "check"]
    assert capsys.readouterr().err == "reportgen: 校验缓存已损坏并已删除，重新读取全部记录……\n"


def test_a_second_damage_is_not_run_again(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    def dispatch(args: argparse.Namespace, lang: str) -> int:
        raise CacheDamaged("/cache/files.pickle")

    monkeypatch.setattr(cli, "_dispatch", dispatch)
    assert cli.main(["check", "records"]) == cli.INTERNAL_ERROR_CODE
    assert capsys.readouterr().err.splitlines()[1].startswith("reportgen 内部错误：命令意外中止。")


def test_the_damage_crosses_from_a_forked_child_as_it_was() -> None:
    again = pickle.loads(pickle.dumps(CacheDamaged("/cache/files.pickle")))
    assert (type(again), again.path, str(again)) == (
        CacheDamaged,
        "/cache/files.pickle",
        "check cache damaged: /cache/files.pickle",
    )
