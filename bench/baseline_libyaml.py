"""The floor: read and parse every .yaml file under a folder with libyaml, nothing else.

.venv/bin/python bench/baseline_libyaml.py bench/data/q10k
"""

import sys
import time
from pathlib import Path

import yaml

began = time.perf_counter()
files = 0
for path in sorted(Path(sys.argv[1]).rglob("*.yaml")):
    yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    files += 1
seconds = time.perf_counter() - began
print(f"{files} files in {seconds:.2f} s: {files / seconds:.0f} files/s")
