"""reportgen: records of the “万人助万企” campaign → statistics, bulletins and a static site.

The stages, one package each, each a pure function of the one before:
load → validate → compute → render → publish (only ``publish`` writes files).
"""

__version__ = "0.1.0"
