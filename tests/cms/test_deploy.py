"""The published site carries the office's web editor: admin/ beside the records, with Decap's script."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from conftest import write_minimal_repository

from reportgen.cms.bundle import DECAP_CMS_VERSION
from reportgen.cms.config import local_config, office_files
from reportgen.cms.deploy import MISSING_SCRIPT
from reportgen.publish.build import BuildOptions, BuildResult, build
from reportgen.publish.progress import Progress

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = "/* decap-cms.js as npm installs it */\n"


@pytest.fixture
def repository(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An office repository whose admin/ saves to GitLab; Decap installed in a folder of its own."""
    write_minimal_repository(tmp_path / "repo" / "records")
    installed = tmp_path / "decap" / "node_modules" / "decap-cms" / "dist"
    installed.mkdir(parents=True)
    (installed / "decap-cms.js").write_text(SCRIPT, "utf-8")
    monkeypatch.setenv("REPORTGEN_DECAP_DIR", str(tmp_path / "decap"))
    (tmp_path / "repo" / "admin").mkdir()
    for rel, text in office_files("gitlab", "office/records").items():
        if not rel.endswith(".js"):  # the script as installed, not a copy in the repository
            (tmp_path / "repo" / rel).write_text(text, "utf-8")
    return tmp_path / "repo"


def _build(repo: Path) -> tuple[BuildResult, str]:
    log = io.StringIO()
    result = build(BuildOptions(repo / "records", repo / "output", pdf=False), Progress(log))
    assert result.ok, result.error
    return result, log.getvalue()


def _admin(repo: Path) -> dict[str, str]:
    folder = repo / "output" / "admin"
    return {p.name: p.read_text("utf-8") for p in sorted(folder.iterdir())} if folder.is_dir() else {}


def test_the_site_carries_the_editor_and_its_script(repository: Path) -> None:
    _, log = _build(repository)
    admin = repository / "admin"
    assert _admin(repository) == {
        "config.yml": (admin / "config.yml").read_text("utf-8"),
        "decap-cms.js": SCRIPT,
        "index.html": (admin / "index.html").read_text("utf-8"),
    }
    assert "decap-cms.js" not in log


def test_without_the_script_the_site_is_built_and_the_log_says_where_to_get_it(
    repository: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REPORTGEN_DECAP_DIR", str(tmp_path / "nowhere"))
    _, log = _build(repository)
    assert sorted(_admin(repository)) == ["config.yml", "index.html"]
    assert [line for line in log.splitlines() if "decap-cms.js" in line] == [MISSING_SCRIPT[0]]
    assert MISSING_SCRIPT[0] == (
        "提示：网站的网页编辑器（/admin/）缺少程序文件 decap-cms.js，暂时打不开；"
        "请运行 npm install decap-cms@3.16.3，把 node_modules/decap-cms/dist/decap-cms.js "
        "复制到仓库的 admin/ 文件夹并提交，重新构建即可（通报和网站已照常生成）。"
    )


def test_a_script_committed_beside_the_configuration_is_published_and_rebuilds_the_site(
    repository: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REPORTGEN_DECAP_DIR", str(tmp_path / "nowhere"))
    _build(repository)
    (repository / "admin" / "decap-cms.js").write_text("/* the office's copy */\n", "utf-8")
    result, log = _build(repository)
    assert not result.unchanged  # admin/ is an input of the build: a no-op build would leave the editor without it
    assert _admin(repository)["decap-cms.js"] == "/* the office's copy */\n"
    assert "decap-cms.js" not in log


def test_the_local_editor_of_serve_edit_is_not_published(repository: Path) -> None:
    (repository / "admin" / "config.yml").write_text(local_config(), "utf-8")
    _build(repository)
    assert _admin(repository) == {}


def test_a_repository_without_an_editor_publishes_none(repository: Path) -> None:
    for path in (repository / "admin").iterdir():
        path.unlink()
    _build(repository)
    assert _admin(repository) == {}


def test_the_version_named_is_the_one_the_setup_installs() -> None:
    installed = re.findall(r"decap-cms@([0-9.]+)", (ROOT / "scripts" / "dev.sh").read_text("utf-8"))
    assert installed == [DECAP_CMS_VERSION]


def test_init_puts_the_installed_script_beside_the_configuration(
    repository: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert sorted(office_files("gitea", "office/records")) == [
        "admin/config.yml",
        "admin/decap-cms.js",
        "admin/index.html",
    ]
    assert office_files("gitea", "office/records")["admin/decap-cms.js"] == SCRIPT
    monkeypatch.setenv("REPORTGEN_DECAP_DIR", str(tmp_path / "nowhere"))
    assert sorted(office_files("gitea", "office/records")) == ["admin/config.yml", "admin/index.html"]
