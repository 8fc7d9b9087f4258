"""reportgen: records of the “万人助万企” campaign → statistics, bulletins and a static site.

The stages, one package each, each a pure function of the one before:
load → validate → compute → render → publish (only ``publish`` writes files).
"""

__version__ = "0.1.0"

import os

# openpyxl writes its XML with lxml when lxml is installed (python-docx brings it) and with the
# standard library otherwise; ledger.xlsx is spliced as the standard library writes it and must be
# the same bytes on every machine, so openpyxl always uses the standard library.
os.environ["OPENPYXL_LXML"] = "False"
