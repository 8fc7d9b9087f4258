"""``python -m reportgen.render.pdfchild PARENT``: a large build's PDFs, made in a new process (``render.pdf``).

Started by ``render.pdf._in_fresh_process`` so that the PDF workers are forked from a process
that holds none of the build's records.  It reads the jobs and their settings (pickled) from
its standard input, makes them with ``render_pdfs`` and writes each (path, PDF or failure) to its
standard output as it is made.  It is killed with the build, and its workers with it.
"""

from __future__ import annotations

import pickle
import sys

from reportgen.forked import end_with
from reportgen.render.pdf import render_pdfs


def main(parent: int) -> None:
    """Make the PDFs sent on the standard input; send back each result as it is made."""
    end_with(parent)
    jobs, (fonts, base_dir, workers, tofu_allowed, limit) = pickle.load(sys.stdin.buffer)
    for made in render_pdfs(jobs, fonts, base_dir, workers, tofu_allowed, limit):
        pickle.dump(made, sys.stdout.buffer, pickle.HIGHEST_PROTOCOL)
        sys.stdout.buffer.flush()


if __name__ == "__main__":
    main(int(sys.argv[1]))
