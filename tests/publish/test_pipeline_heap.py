"""The bulletins and the site are made in a frozen heap: no collection walks the records and statistics."""

from __future__ import annotations

import gc
from pathlib import Path
from typing import Any

import pytest

from reportgen import heap
from reportgen.publish.build import BuildOptions, build
from reportgen.render import bulletins, pdf
from reportgen.render.site import builder
from tests.publish.test_build import make_office, retitled, run


def test_bulletins_and_pages_are_rendered_with_the_young_collected_less_often(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[tuple[str, int]] = []
    render_html, dashboard = bulletins.render_bulletin_html, builder.SiteBuilder.dashboard

    def bulletin(*args: Any, **kwargs: Any) -> str:
        seen.append(("bulletin", gc.get_threshold()[0]))
        return render_html(*args, **kwargs)

    def page(self: builder.SiteBuilder) -> None:
        seen.append(("dashboard", gc.get_threshold()[0]))
        dashboard(self)

    monkeypatch.setattr(bulletins, "render_bulletin_html", bulletin)
    monkeypatch.setattr(builder.SiteBuilder, "dashboard", page)
    before = gc.get_threshold()
    assert run(make_office(tmp_path), tmp_path / "output").ok
    assert ("bulletin", heap.FROZEN_YOUNG) in seen and ("dashboard", heap.FROZEN_YOUNG) in seen
    assert {threshold for _, threshold in seen} == {heap.FROZEN_YOUNG}
    assert gc.get_threshold() == before


def test_the_pdf_workers_are_forked_from_a_frozen_heap(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A worker's collections then leave the build's records alone (not walked, so not copied into it)."""
    forked_in: list[tuple[int, int]] = []
    real = pdf.render_pdfs

    def rendering(*args: Any, **kwargs: Any) -> Any:
        forked_in.append((gc.get_threshold()[0], gc.get_freeze_count()))
        yield from real(*args, **kwargs)

    monkeypatch.setattr(pdf, "render_pdfs", rendering)
    before = gc.get_threshold()
    result = build(BuildOptions(make_office(tmp_path), tmp_path / "output"))
    assert result.ok and result.pdf_rendered == 7
    assert len(forked_in) == 1 and forked_in[0][0] == heap.FROZEN_YOUNG and forked_in[0][1] > 0
    assert gc.get_threshold() == before and gc.get_freeze_count() == 0


def test_a_cold_build_gives_the_check_s_freed_memory_back_a_build_after_one_edit_keeps_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After one edit the site would fault given-back pages in again; a cold build's peak needs them gone."""
    asked: list[str] = []
    monkeypatch.setattr(heap, "give_back", lambda: asked.append("given back"))
    monkeypatch.setattr(heap, "keep_freed", lambda: asked.append("kept"))
    records, out = make_office(tmp_path), tmp_path / "output"
    assert run(records, out).ok
    assert asked == ["given back"]
    retitled(records)
    assert run(records, out).ok
    assert asked == ["given back", "kept"]
