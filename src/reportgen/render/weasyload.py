"""WeasyPrint imported without running the C compiler for each name of a library it tries.

WeasyPrint loads GObject, Pango, HarfBuzz and fontconfig through cffi, trying each library under
the names it has on each platform (``libpango-1.0-0``, ``pango-1.0-0``, ``pango-1.0``,
``libpango-1.0.so.0``, …) until one loads.  cffi hands a name that is not a file to
``ctypes.util.find_library``, which on Linux looks in the linker's cache (``ldconfig -p``, 2 ms)
and, when the name is not there, runs ``gcc`` and then ``ld`` to search for it (11–14 ms).  The
names of other platforms miss 16 times: 0.2 s at the start of every process that makes a PDF,
before anything else can start.  While WeasyPrint is imported here, ``find_library`` looks in
the linker's cache alone.  A library outside the cache (``LD_LIBRARY_PATH``) is still loaded:
WeasyPrint also tries each library's file name (``libpango-1.0.so.0``), which cffi hands to the
system's loader as it is.  The modules loaded are the same; only the search is shorter.
"""

from __future__ import annotations

import ctypes.util
import importlib
import sys


def load_weasyprint() -> None:
    """Import WeasyPrint (once per process), its libraries found from the linker's cache."""
    if "weasyprint" in sys.modules:
        return
    in_cache = getattr(ctypes.util, "_findSoname_ldconfig", None)
    if not sys.platform.startswith("linux") or in_cache is None:
        importlib.import_module("weasyprint")
        return
    find_library = ctypes.util.find_library
    ctypes.util.find_library = in_cache
    try:
        importlib.import_module("weasyprint")
    finally:
        ctypes.util.find_library = find_library
