"""Everything that names a figure takes it from the metric registry (compute/metrics.py)."""

from __future__ import annotations

import re
from importlib.resources import files
from pathlib import Path

import reportgen
from reportgen.compute.metrics import GROUPS, ISSUE_CHECKS, METRICS, METRICS_BY_KEY, group
from reportgen.render.site.context import STATUS_CLASSES
from reportgen.render.site.lists import DERIVED, ISSUE_LISTS
from reportgen.schema.jsonschema import kind_schema
from reportgen.schema.kinds import KINDS_BY_NAME, STATUSES
from reportgen.validate.fields import WEIGHT_NAMES

PACKAGE = Path(str(files(reportgen)))
# what a metric key looks like where templates and render code name one
KEY = re.compile(
    r"\b(issues_[a-z_]+|enterprises_[a-z_]+|[a-z_]+_rate|(?:median|mean)_days_to_resolve|money_recovered_yuan)\b"
)
NOT_METRICS = {"is_rate", "issues_chart"}  # an attribute and a template variable that look like keys


def _sources() -> list[Path]:
    render = sorted((PACKAGE / "render").rglob("*.py"))
    return render + sorted((PACKAGE / "templates").rglob("*.*")) + sorted((PACKAGE / "static").glob("*.js"))


def test_every_metric_key_named_by_a_template_or_the_site_is_in_the_registry() -> None:
    unknown = {
        f"{path.relative_to(PACKAGE)}: {key}"
        for path in _sources()
        for key in KEY.findall(path.read_text(encoding="utf-8"))
        if key not in METRICS_BY_KEY and key not in ISSUE_LISTS and key not in NOT_METRICS
    }
    assert sorted(unknown) == []


def test_the_key_pattern_finds_keys() -> None:
    text = "{{ cum.issues_resolved }} {{ row.on_time_rate }} issues_bogus"
    assert KEY.findall(text) == ["issues_resolved", "on_time_rate", "issues_bogus"]


def test_every_group_is_declared_and_used_by_some_metric() -> None:
    used = {g for m in METRICS for g in m.groups}
    assert used == set(GROUPS)
    assert group("summary")[:4] == ("enterprises_in_library", "enterprises_visited", "visits", "issues_identified")


def test_issue_lists_and_rates_stand_on_the_registry_tests() -> None:
    assert set(ISSUE_LISTS) == {"issues_identified"} | {f"issues_{c.name}" for c in ISSUE_CHECKS}
    assert DERIVED["resolution_rate"] == ("issues_resolved", "issues_identified")
    assert DERIVED["on_time_rate"] == ("issues_on_time", "issues_finished")
    assert DERIVED["satisfaction_rate"] == ("issues_satisfied", "issues_rated")
    assert DERIVED["median_days_to_resolve"] == ("issues_resolved", None)


def test_ranking_weight_names_are_the_registry_ranked_rates() -> None:
    assert group("ranked") == WEIGHT_NAMES
    config = kind_schema(KINDS_BY_NAME["config"])
    assert tuple(config["properties"]["ranking_weights"]["properties"]) == group("ranked")


def test_status_vocabulary_is_declared_once() -> None:
    assert list(STATUS_CLASSES) == list(STATUSES)
    script = (PACKAGE / "static" / "ledger.js").read_text(encoding="utf-8")
    assert not [s for s in STATUSES if s in script]  # the page hands the script its statuses
