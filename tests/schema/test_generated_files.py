"""The committed JSON Schemas and docs are exactly what the single schema generates."""

from __future__ import annotations

from pathlib import Path

import pytest

from reportgen.commands.schema import doc_files, schema_files

ROOT = Path(__file__).resolve().parents[2]
REFRESH = "refresh with: .venv/bin/reportgen schema --out schemas && .venv/bin/reportgen docs --out docs"


@pytest.mark.parametrize(("folder", "files"), [("schemas", schema_files()), ("docs", doc_files())])
def test_generated_files_have_not_drifted(folder: str, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = ROOT / folder / name
        assert path.is_file(), f"{path} missing; {REFRESH}"
        assert path.read_text("utf-8") == text, f"{path} is out of date; {REFRESH}"


def test_every_kind_is_mapped_for_editors() -> None:
    settings = (ROOT / ".vscode" / "settings.json").read_text("utf-8")
    for name in schema_files():
        if name != "bulletin.schema.json":
            assert f"./schemas/{name}" in settings
