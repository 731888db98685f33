"""Entry script of the PyInstaller build: what the ``reviewer`` console script runs.

``freeze_support`` comes first: large imports score pairs in "spawn" worker
processes, and in a frozen application each worker starts this same executable,
which must then run the worker instead of the command line.
"""

import multiprocessing
import sys

if __name__ == "__main__":
    multiprocessing.freeze_support()
    from reviewer.cli import main

    sys.exit(main())
