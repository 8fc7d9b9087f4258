"""``reportgen schema`` and ``reportgen docs``: generated files from the single schema."""

from __future__ import annotations

import json
from pathlib import Path

from reportgen.compute.docs import metrics_markdown
from reportgen.schema.docs import records_markdown
from reportgen.schema.jsonschema import kind_schema
from reportgen.schema.kinds import KINDS


def schema_files() -> dict[str, str]:
    """File name → JSON Schema text, one per record kind."""
    return {
        f"{kind.name}.schema.json": json.dumps(kind_schema(kind), ensure_ascii=False, indent=2) + "\n" for kind in KINDS
    }


def doc_files() -> dict[str, str]:
    """File name → generated Markdown documentation."""
    return {"records.md": records_markdown(), "metrics.md": metrics_markdown()}


def _write(out: Path, files: dict[str, str]) -> int:
    out.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (out / name).write_text(text, encoding="utf-8")
        print(out / name)
    return 0


def run_schema(out: Path) -> int:
    """Write the JSON Schemas into ``out``."""
    return _write(out, schema_files())


def run_docs(out: Path) -> int:
    """Write docs/records.md and docs/metrics.md into ``out``."""
    return _write(out, doc_files())
