"""Run the timing tests again and again while another process keeps one core busy.

Usage (from the repository root, after the README's test command has built ``.venv``)::

    .venv/bin/python tests/support/under_load.py              # 10 runs of every `timing` test
    .venv/bin/python tests/support/under_load.py --runs 3 tests/test_distributed_training.py

A test marked ``timing`` bounds a wall-clock duration (a click answered within a
second, a pause held for its whole length, frames replaced while a cell runs). Each
bound must hold on a loaded two-core machine, such as the one CI uses while the
Colab-stack and floors suites run side by side: this is how to show it before
changing one. It stops at the first run that fails and exits with pytest's code.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[2]
BUSY_CORE = "while True: pass"  # one core, all the time


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=10, help="runs in a row (default 10)")
    parser.add_argument("pytest_args", nargs="*", help="test files or node ids (default: all)")
    options = parser.parse_args(argv)
    command = [sys.executable, "-m", "pytest", "-m", "timing", "-q", "-rf",
               "-p", "no:cacheprovider", *options.pytest_args]
    load = subprocess.Popen([sys.executable, "-c", BUSY_CORE])
    try:
        for run in range(1, options.runs + 1):
            started = time.monotonic()
            result = subprocess.run(command, cwd=REPOSITORY, capture_output=True, text=True)
            lines = result.stdout.strip().splitlines() or ["(no output)"]
            print(f"run {run}/{options.runs}, one core busy, {time.monotonic() - started:.0f} s: "
                  f"{lines[-1]}", flush=True)
            if result.returncode != 0:
                print(result.stdout[-6000:], result.stderr[-2000:], sep="\n")
                return result.returncode
    finally:
        load.kill()
    print(f"{options.runs} runs in a row passed with one core busy")
    return 0


if __name__ == "__main__":
    sys.exit(main())
