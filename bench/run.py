"""Run every benchmark script in bench/ (bench_*.py) one after the other.

Each script runs netweave and its peer in the same run and prints ratios; see its docstring.
Pass names to run a subset: ``python bench/run.py twitter_import``.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).parent


def main(argv: list[str]) -> int:
    scripts = sorted(HERE.glob("bench_*.py"))
    if argv:
        scripts = [s for s in scripts if s.stem.removeprefix("bench_") in argv]
    if not scripts:
        print("no benchmarks selected")
        return 0
    failed = 0
    for script in scripts:
        print(f"== {script.stem}", flush=True)
        failed += subprocess.call([sys.executable, str(script)]) != 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
