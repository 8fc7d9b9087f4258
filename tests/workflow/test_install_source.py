"""Where CI and pre-commit install reportgen from: PEP 610 direct_url.json, or init --source."""

from __future__ import annotations

import json
from importlib import metadata
from pathlib import Path

import pytest
from workflow_helpers import commit_all, git

from reportgen import __version__
from reportgen.workflow.install import (
    DISTRIBUTION,
    InstallSource,
    SourceError,
    running_source,
    source_from_direct_url,
    source_from_spec,
)

COMMIT = "0123456789abcdef0123456789abcdef01234567"


def shown(source: InstallSource) -> tuple[str, str | None, str | None, bool, str, str]:
    """The source's fields with its label in Chinese and in English."""
    label = source.label
    return (source.pip_spec, source.git_url, source.rev, source.local, label.text("zh"), label.text("en"))


def checkout(tmp_path: Path) -> tuple[Path, str]:
    """A git checkout with one commit: (its folder, its HEAD)."""
    repo = tmp_path / "reportgen"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    (repo / "pyproject.toml").write_text("[project]\nname = 'zhuqi-reportgen'\n", "utf-8")
    commit_all(repo, "first")
    return repo, git(repo, "rev-parse", "HEAD").strip()


def test_the_distribution_is_installed_under_its_own_name() -> None:
    assert DISTRIBUTION == "zhuqi-reportgen"
    assert metadata.version(DISTRIBUTION) == __version__
    assert metadata.distribution(DISTRIBUTION).entry_points.select(group="console_scripts", name="reportgen")


def test_from_the_index_the_exact_version() -> None:
    assert shown(source_from_direct_url(None, "0.3.0")) == (
        "zhuqi-reportgen==0.3.0",
        None,
        None,
        False,
        "软件包索引上的 zhuqi-reportgen==0.3.0",
        "zhuqi-reportgen==0.3.0 on the package index",
    )


def test_from_git_the_url_and_commit() -> None:
    data = {"url": "https://git.example.org/zhuqi/reportgen.git", "vcs_info": {"vcs": "git", "commit_id": COMMIT}}
    assert shown(source_from_direct_url(data, __version__)) == (
        f"zhuqi-reportgen @ git+https://git.example.org/zhuqi/reportgen.git@{COMMIT}",
        "https://git.example.org/zhuqi/reportgen.git",
        COMMIT,
        False,
        f"https://git.example.org/zhuqi/reportgen.git 的版本 {COMMIT[:12]}",
        f"https://git.example.org/zhuqi/reportgen.git at revision {COMMIT[:12]}",
    )


def test_from_a_local_checkout_its_path_and_head(tmp_path: Path) -> None:
    repo, head = checkout(tmp_path)
    for editable in (True, False):
        data = {"url": repo.as_uri(), "dir_info": {"editable": editable}}
        assert shown(source_from_direct_url(data, __version__)) == (
            f"zhuqi-reportgen @ git+file://localhost{repo}@{head}",
            repo.as_uri(),
            head,
            True,
            f"本机的 git 仓库 {repo} 的版本 {head[:12]}",
            f"the git repository {repo} on this machine at revision {head[:12]}",
        )
    (repo / "pyproject.toml").write_text("changed", "utf-8")
    label = source_from_spec(str(repo)).label
    assert (label.text("zh"), label.text("en")) == (
        f"本机的 git 仓库 {repo} 的版本 {head[:12]}（该目录还有未提交的修改，安装的是最近一次提交）",
        f"the git repository {repo} on this machine at revision {head[:12]} "
        "(the folder has uncommitted changes: its last commit is installed)",
    )


def test_from_a_folder_outside_git_or_an_archive(tmp_path: Path) -> None:
    data = {"url": tmp_path.as_uri(), "dir_info": {}}
    assert shown(source_from_direct_url(data, __version__)) == (
        f"zhuqi-reportgen @ {tmp_path.as_uri()}",
        None,
        None,
        True,
        f"本机目录 {tmp_path}",
        f"the folder {tmp_path} on this machine",
    )
    wheel = tmp_path / "zhuqi_reportgen-0.1.0-py3-none-any.whl"
    wheel.write_bytes(b"")
    assert shown(source_from_spec(str(wheel))) == (
        f"zhuqi-reportgen @ {wheel.as_uri()}",
        None,
        None,
        True,
        f"本机文件 {wheel}",
        f"the file {wheel} on this machine",
    )
    wheel = "https://files.example.org/zhuqi_reportgen-0.1.0-py3-none-any.whl"
    data = {"url": wheel, "archive_info": {"hashes": {"sha256": "0" * 64}}}
    assert shown(source_from_direct_url(data, __version__)) == (
        f"zhuqi-reportgen @ {wheel}",
        None,
        None,
        False,
        wheel,
        wheel,
    )


REPO = "h.example.org/zhuqi/reportgen.git"
NOT_A_SOURCE = (
    "既不是已有的目录或文件，也不是 git 地址（git+地址@版本）或 zhuqi-reportgen 的安装要求（如 zhuqi-reportgen=={v}）",
    " is neither a folder or file, nor a git URL (git+URL@revision), "
    "nor a requirement for zhuqi-reportgen (e.g. zhuqi-reportgen=={v})",
)


@pytest.mark.parametrize(
    ("spec", "pip_spec", "git_url", "rev"),
    [
        (f"git+https://{REPO}@v0.2.0", f"zhuqi-reportgen @ git+https://{REPO}@v0.2.0", f"https://{REPO}", "v0.2.0"),
        (f"git+ssh://git@{REPO}@main", f"zhuqi-reportgen @ git+ssh://git@{REPO}@main", f"ssh://git@{REPO}", "main"),
        (
            f"zhuqi_reportgen @ git+https://{REPO}@v1",
            f"zhuqi-reportgen @ git+https://{REPO}@v1",
            f"https://{REPO}",
            "v1",
        ),
        ("zhuqi-reportgen==0.2.0", "zhuqi-reportgen==0.2.0", None, None),
        ("Zhuqi.Reportgen>=0.1,<0.3", "Zhuqi.Reportgen>=0.1,<0.3", None, None),
        ("https://h.example.org/z-0.2.0.tar.gz", "zhuqi-reportgen @ https://h.example.org/z-0.2.0.tar.gz", None, None),
    ],
)
def test_source_specs(spec: str, pip_spec: str, git_url: str | None, rev: str | None) -> None:
    source = source_from_spec(spec)
    assert (source.pip_spec, source.git_url, source.rev, source.local) == (pip_spec, git_url, rev, False)


def test_a_local_checkout_given_as_source(tmp_path: Path) -> None:
    repo, head = checkout(tmp_path)
    source = source_from_spec(str(repo))
    assert (source.git_url, source.rev, source.local) == (repo.as_uri(), head, True)
    inside = repo / "src"
    inside.mkdir()
    assert source_from_spec(str(inside)).pip_spec == f"zhuqi-reportgen @ {inside.as_uri()}"  # not the top: as it is


@pytest.mark.parametrize(
    ("spec", "zh", "en"),
    [
        ("", "--source 不能为空，也不能换行", "--source must not be empty or hold a line break"),
        (
            f"git+https://{REPO}",
            f"git 地址“git+https://{REPO}”要写明版本：git+地址@标签或提交号，如 git+https://{REPO}@v{{v}}",
            f"the git URL 'git+https://{REPO}' needs a revision: git+URL@tag or commit, e.g. git+https://{REPO}@v{{v}}",
        ),
        (
            "reportgen==0.1.8",
            "--source “reportgen==0.1.8”" + NOT_A_SOURCE[0],
            "--source 'reportgen==0.1.8'" + NOT_A_SOURCE[1],
        ),
        (
            "zhuqi-reportgenx",
            "--source “zhuqi-reportgenx”" + NOT_A_SOURCE[0],
            "--source 'zhuqi-reportgenx'" + NOT_A_SOURCE[1],
        ),
    ],
)
def test_unusable_sources(spec: str, zh: str, en: str) -> None:
    with pytest.raises(SourceError) as raised:
        source_from_spec(spec)
    assert (str(raised.value), raised.value.text("en")) == (zh.format(v=__version__), en.format(v=__version__))


def test_the_running_reportgen_is_described_by_its_own_direct_url() -> None:
    text = metadata.distribution(DISTRIBUTION).read_text("direct_url.json")
    expected = source_from_direct_url(json.loads(text) if text else None, __version__)
    assert running_source() == expected
