"""WeasyPrint imported with its libraries found from the linker's cache alone (``weasyload``)."""

from __future__ import annotations

import subprocess
import sys

import pytest

# Run in a fresh interpreter: the test process may have imported WeasyPrint already.
_PROBE = """
import ctypes.util, json
from reportgen.render.weasyload import load_weasyprint
searched = []
for name in ("_findLib_gcc", "_findLib_ld"):
    search = getattr(ctypes.util, name)
    setattr(ctypes.util, name, lambda lib, name=name, search=search: searched.append(name) or search(lib))
find_library = ctypes.util.find_library
load_weasyprint()
from weasyprint.text import ffi
print(json.dumps({
    "searched": searched,
    "restored": ctypes.util.find_library is find_library,
    "loaded": [lib is not None for lib in (ffi.gobject, ffi.pango, ffi.harfbuzz, ffi.fontconfig, ffi.pangoft2)],
}))
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the linker's cache (ldconfig) is Linux's")
def test_weasyprint_loads_its_libraries_without_a_compiler_search() -> None:
    probe = subprocess.run([sys.executable, "-c", _PROBE], capture_output=True, text=True, check=True)
    # Imported as usual, a name of another platform (``libpango-1.0-0``) runs gcc, then ld (11–14 ms each).
    assert probe.stdout.strip() == '{"searched": [], "restored": true, "loaded": [true, true, true, true, true]}'
