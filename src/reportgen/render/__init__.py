"""Stage 4 — render: statistics and records → HTML, PDF, SVG, CSV, XLSX, JSON bytes.

Rendering is pure: every function here returns content; only ``publish`` writes files.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # not imported with the package: a PDF process needs none of the statistics (0.1 s)
    from reportgen.compute.freeze import FigureChange

# each output profile by its name and by what the office calls it (``--profile`` takes either)
PUBLIC, INTERNAL = "public", "internal"  # the public profile leaves out every private field
PROFILE_NAMES = {PUBLIC: "公开版", INTERNAL: "内部版"}
PROFILES = tuple(PROFILE_NAMES)


@dataclass(frozen=True)
class BulletinInfo:
    """What the site and the manifest need to know about one bulletin."""

    kind: str  # "monthly" (月通报) or "quarterly" (季点评)
    period: str  # "2021-09" or "2021-Q3"
    period_name: str  # "2021年9月" or "2021年第三季度"
    title: str
    doc_number: str | None  # "川助企〔2021〕9号" when the bulletin text gives a number
    issued: str | None  # ISO date the bulletin was issued, when the text says so
    date: str  # ISO date printed on the bulletin: issued, or the period's end
    html: str  # path of the HTML relative to the output folder, e.g. "bulletins/2021-09-monthly.html"
    pdf: str | None  # path of the PDF, or None when built with --no-pdf
    data_hash: str | None = None  # SHA-256 of the period's statistics (stamped in the PDF)
    source_revision: str | None = None  # the records' git revision the issued figures came from
    changes: tuple[FigureChange, ...] = ()  # figures that changed since the bulletin was issued
    as_of: str | None = None  # ISO date a period not ended at build time is computed as of (截至 that day)

    @property
    def docx(self) -> str | None:
        """The editable Word copy's path: written beside the PDF, whenever the PDF is."""
        return self.pdf.removesuffix(".pdf") + ".docx" if self.pdf else None

    @property
    def id(self) -> str:
        """``2021-09-monthly``: also the bulletin text's file name."""
        return f"{self.period}-{self.kind}"
