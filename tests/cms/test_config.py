"""The editor's configuration comes from the one schema: committed file, widgets, git hosts."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from reportgen.cms.config import admin_page, cms_config, local_config, office_files

ROOT = Path(__file__).resolve().parents[2]


def test_the_committed_configuration_has_not_drifted() -> None:
    committed = (ROOT / "admin" / "config.yml").read_text("utf-8")
    assert committed == local_config(), (
        "admin/config.yml is out of date; refresh with: .venv/bin/python -c "
        "\"from reportgen.cms.config import local_config; open('admin/config.yml','w').write(local_config())\""
    )


def _field(collection: str, name: str) -> dict[str, object]:
    config = cms_config({"name": "github", "repo": "o/r"})
    found = next(c for c in config["collections"] if c["name"] == collection)
    field: dict[str, object] = next(f for f in found["fields"] if f["name"] == name)
    return field


def test_widgets_fit_the_fields() -> None:
    assert _field("issue", "category")["widget"] == "select"
    assert _field("issue", "source")["options"] == ["走访", "座谈", "企业服务卡", "电话", "网络平台", "其他"]
    assert _field("bulletin", "kind")["options"] == [
        {"label": "月通报", "value": "monthly"},
        {"label": "季点评", "value": "quarterly"},
        {"label": "年度考核", "value": "annual"},
    ]
    assert _field("issue", "raised") == {
        "label": "提出日期",
        "name": "raised",
        "required": True,
        "hint": "问题收集的日期。",
        "widget": "datetime",
        "format": "YYYY-MM-DD",
        "date_format": "YYYY-MM-DD",
        "time_format": False,
    }
    assert _field("issue", "lead_department")["display_fields"] == ["{{id}} {{name}}"]
    assert _field("issue", "co_departments")["multiple"] is True
    assert _field("team", "judge")["filters"] == [{"field": "role", "values": ["驻企法官"]}]
    assert _field("enterprise", "contact")["label"] == "联系人（不公开）"
    assert _field("issue", "history")["min"] == 1


def test_an_office_gets_its_git_host_with_the_editorial_workflow() -> None:
    files = office_files("gitlab", "zhuqi/records", "https://git.example.gov.cn/")
    config = yaml.safe_load(files["admin/config.yml"])
    assert config["backend"] == {
        "name": "gitlab",
        "repo": "zhuqi/records",
        "branch": "main",
        "base_url": "https://git.example.gov.cn",
        "api_root": "https://git.example.gov.cn/api/v4",
    }
    assert config["publish_mode"] == "editorial_workflow"
    assert config["collections"][5]["folder"] == "records/issues"
    assert '"records/issues": "raised"' in files["admin/index.html"]


@pytest.mark.skipif(shutil.which("node") is None, reason="需要 node 检查编辑器页面中的脚本")
def test_the_save_script_parses(tmp_path: Path) -> None:
    script = admin_page().split("<script>\n", 1)[1].split("</script>", 1)[0]
    (tmp_path / "save.js").write_text(script, "utf-8")
    checked = subprocess.run(["node", "--check", str(tmp_path / "save.js")], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr


def test_init_writes_the_editor_for_the_git_host(tmp_path: Path) -> None:
    from io import StringIO

    from reportgen.commands.init import run_init

    target = tmp_path / "office"
    code = run_init(
        target, None, None, "川汇区", "2021-08-01", out=StringIO(), err=StringIO(), git_host=("github", "zhuqi/r", None)
    )
    assert code == 0
    config = yaml.safe_load((target / "admin" / "config.yml").read_text("utf-8"))
    assert config["backend"] == {"name": "github", "repo": "zhuqi/r", "branch": "main"}
    assert '<script src="decap-cms.js"></script>' in (target / "admin" / "index.html").read_text("utf-8")
