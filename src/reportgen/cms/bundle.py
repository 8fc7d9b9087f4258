"""Where Decap CMS's npm packages are: ``.cache/decap`` (from ``scripts/dev.sh``) or ``$REPORTGEN_DECAP_DIR``."""

from __future__ import annotations

import os
from pathlib import Path

DECAP_CMS_VERSION = "3.16.3"  # the npm package scripts/dev.sh installs (a test keeps the two equal)
CMS_JS = Path("node_modules/decap-cms/dist/decap-cms.js")
SERVER_JS = Path("node_modules/decap-server/dist/index.js")
_PROJECT = Path(__file__).resolve().parents[3]


def installed() -> Path:
    """The folder holding ``node_modules/decap-cms`` (and ``decap-server``), found or not."""
    return Path(os.environ.get("REPORTGEN_DECAP_DIR", _PROJECT / ".cache" / "decap"))


def decap_script() -> Path | None:
    """Decap CMS's script (``decap-cms.js``) as installed from npm, or None when it is not."""
    script = installed() / CMS_JS
    return script if script.is_file() else None
