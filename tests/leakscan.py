"""Searching built files for private values: every byte, inside zips (XLSX) and PDFs too."""

from __future__ import annotations

import html
import io
import json
import subprocess
import zipfile
from collections.abc import Iterator
from typing import Any


def every_blob(files: dict[str, bytes]) -> Iterator[tuple[str, bytes]]:
    """Every file's bytes, every member of every zip (XLSX) and the text of every PDF."""
    for path, data in files.items():
        yield path, data
        if data[:2] == b"PK":
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                for name in archive.namelist():
                    yield f"{path}!{name}", archive.read(name)
        if data[:5] == b"%PDF-":
            text = subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True).stdout
            yield f"{path}!text", text
            yield f"{path}!text-joined", b"".join(text.split())  # a phone broken over two lines


def forms(value: str) -> set[bytes]:
    """The ways a value can be written: as is, HTML-escaped, JSON-escaped (ASCII and not)."""
    return {
        value.encode("utf-8"),
        html.escape(value).encode("utf-8"),
        json.dumps(value)[1:-1].encode("utf-8"),
        json.dumps(value, ensure_ascii=False)[1:-1].encode("utf-8"),
    }


def leaks(files: dict[str, bytes], values: set[str]) -> dict[str, list[str]]:
    """Private value → the files (or zip members, or PDF texts) it occurs in."""
    found: dict[str, list[str]] = {}
    encoded = {v: forms(v) for v in values}
    for path, data in every_blob(files):
        for value, variants in encoded.items():
            if any(variant in data for variant in variants):
                found.setdefault(value, []).append(path)
    return found


def strings(value: Any) -> Iterator[str]:
    """Every text value inside nested dicts and lists."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)
