"""Shared helpers of the workflow tests: run the CLI in-process, run git with a fixed identity."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from reportgen.cli import main

GIT_ENV = {
    "GIT_AUTHOR_NAME": "测试",
    "GIT_AUTHOR_EMAIL": "test@example.invalid",
    "GIT_COMMITTER_NAME": "测试",
    "GIT_COMMITTER_EMAIL": "test@example.invalid",
    "GIT_CONFIG_NOSYSTEM": "1",
}


def git(repo: Path, *args: str) -> str:
    """Run git in ``repo`` with a fixed identity and no user or system configuration."""
    env = {**os.environ, **GIT_ENV, "HOME": str(repo), "GIT_CONFIG_GLOBAL": os.devnull}
    done = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, env=env, check=True)
    return done.stdout


def commit_all(repo: Path, message: str) -> None:
    """Stage everything and commit."""
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """``reportgen ARGV`` in-process: (exit code, stdout, stderr)."""
    capsys.readouterr()
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err
