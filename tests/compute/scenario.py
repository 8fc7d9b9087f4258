"""A small office whose every figure was worked out by hand (see test_metrics.py)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import yaml

from reportgen.validate.identifiers import uscc_check_character

D = dt.date


def uscc(n: int) -> str:
    """A valid USCC numbered ``n``."""
    first17 = f"91411602MA{n:07d}"
    return first17 + uscc_check_character(first17)


def history(*steps: tuple[dt.date, str]) -> list[dict[str, Any]]:
    """History entries from (date, status) pairs."""
    return [{"date": d, "status": s} for d, s in steps]


def scenario_files(config: dict[str, Any] | None = None) -> dict[str, Any]:
    """Relative path → record content."""
    files: dict[str, Any] = {
        "config.yaml": {
            "office": "测试区“万人助万企”活动领导小组办公室",
            "district": "测试区",
            "doc_prefix": "测助企",
            "campaign_start": D(2021, 8, 1),
            "day_kind": "calendar",
            "default_time_limit_days": 15,
            "response_days": 3,
            "satisfaction": "both",
            "ranking_min_issues": 2,
            "publish_drafts": True,  # its unissued bulletins are built and shown, marked 草稿
            "ranking_weights": {
                "resolution_rate": 0.4,
                "on_time_rate": 0.3,
                "satisfaction_rate": 0.3,
            },
            **(config or {}),
        },
        "calendar/2021.yaml": {
            "year": 2021,
            "holidays": [D(2021, 10, d) for d in range(1, 8)],
            "workdays": [D(2021, 9, 26), D(2021, 10, 9)],
        },
    }
    for i, (name, kind) in enumerate(
        (("区供电公司", "公用事业"), ("区自然资源局", "行政部门"), ("区行政审批局", "行政部门")),
        start=1,
    ):
        files[f"departments/D0{i}.yaml"] = {"id": f"D0{i}", "name": name, "type": kind}
    roles = ("处级领导", "首席服务官", "驻企法官", "驻企检察官")
    for i, role in enumerate(roles, start=1):
        files[f"staff/S00{i}.yaml"] = {
            "id": f"S00{i}",
            "name": f"人员{i}",
            "role": role,
            "unit": "测试单位",
        }
    files["teams/T01.yaml"] = {
        "id": "T01",
        "name": "第一服务队",
        "leader": "S001",
        "chief_officer": "S002",
        "judge": "S003",
        "procurator": "S004",
    }
    for i, (joined, left) in enumerate(
        ((D(2021, 8, 1), None), (D(2021, 8, 10), None), (D(2021, 9, 5), D(2021, 11, 15))), start=1
    ):
        ent: dict[str, Any] = {
            "id": f"E00{i}",
            "name": f"企业{i}有限公司",
            "uscc": uscc(i),
            "industry": "制造",
            "park": "高新区",
            "scale": "中型",
            "team": "T01",
            "joined": joined,
        }
        if left:
            ent["left"] = left
        files[f"enterprises/E00{i}.yaml"] = ent
    for i, (day, ent_id) in enumerate(
        (
            (D(2021, 8, 3), "E001"),
            (D(2021, 8, 20), "E001"),
            (D(2021, 9, 10), "E002"),
            (D(2021, 10, 2), "E003"),
        ),
        start=1,
    ):
        files[f"visits/{day:%Y-%m}/V000{i}.yaml"] = {
            "id": f"V000{i}",
            "date": day,
            "enterprise": ent_id,
            "staff": ["S002"],
            "kind": "走访",
            "summary": "了解情况。",
        }
    issues = (
        (
            "Q0001",
            "E001",
            D(2021, 8, 5),
            "D01",
            "水电",
            {"deadline": D(2021, 8, 20)},
            history(
                (D(2021, 8, 5), "问题收集"),
                (D(2021, 8, 6), "分办交办"),
                (D(2021, 8, 10), "已解决"),
                (D(2021, 8, 15), "销号"),
            ),
            {"date": D(2021, 8, 16), "result": "满意"},
        ),
        (
            "Q0002",
            "E001",
            D(2021, 8, 20),
            "D01",
            "水电",
            {"deadline": D(2021, 9, 5)},
            history(
                (D(2021, 8, 20), "问题收集"),
                (D(2021, 8, 27), "分办交办"),
                (D(2021, 9, 10), "已解决"),
            ),
            {"date": D(2021, 9, 12), "result": "不满意"},
        ),
        (
            "Q0003",
            "E002",
            D(2021, 9, 12),
            "D02",
            "用地",
            {"deadline": D(2021, 9, 25)},
            history(
                (D(2021, 9, 12), "问题收集"),
                (D(2021, 9, 13), "分办交办"),
                (D(2021, 9, 14), "办理中"),
                (D(2021, 10, 3), "已解决"),
            ),
            None,
        ),
        (
            "Q0004",
            "E002",
            D(2021, 9, 15),
            "D02",
            "融资",
            {"time_limit_days": 30},
            history(
                (D(2021, 9, 15), "问题收集"),
                (D(2021, 9, 16), "分办交办"),
                (D(2021, 9, 20), "长期推进"),
            ),
            None,
        ),
        (
            "Q0005",
            "E003",
            D(2021, 9, 28),
            "D03",
            "审批",
            {},
            history(
                (D(2021, 9, 28), "问题收集"),
                (D(2021, 9, 29), "分办交办"),
                (D(2021, 9, 30), "已答复"),
            ),
            None,
        ),
    )
    for issue_id, ent_id, raised, dept, category, limit, steps, rating in issues:
        issue: dict[str, Any] = {
            "id": issue_id,
            "enterprise": ent_id,
            "raised": raised,
            "source": "走访",
            "category": category,
            "title": f"{category}问题",
            "description": "情况说明。",
            "lead_department": dept,
            **limit,
            "history": steps,
        }
        if rating:
            issue["rating"] = rating
        files[f"issues/{raised:%Y-%m}/{issue_id}.yaml"] = issue
    legal = (
        ("L0001", D(2021, 8, 15), "法治讲座", {"count": 3}),
        ("L0002", D(2021, 9, 1), "追回款项", {"amount_yuan": 100000}),
        ("L0003", D(2021, 10, 1), "合同审查", {"count": 5}),
    )
    for legal_id, day, kind, extra in legal:
        files[f"legal/{day:%Y-%m}/{legal_id}.yaml"] = {
            "id": legal_id,
            "date": day,
            "unit": "D02",
            "kind": kind,
            "description": "服务。",
            **extra,
        }
    return files


def write_repository(root: Path, files: dict[str, Any]) -> Path:
    """Write ``files`` (YAML content or raw text) under ``root``."""
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        text = content if isinstance(content, str) else yaml.safe_dump(content, allow_unicode=True, sort_keys=False)
        path.write_text(text, encoding="utf-8")
    return root
