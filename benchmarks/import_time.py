"""How long ``import ask_components`` takes in a fresh interpreter, against baselines measured
in the same run: the bare interpreter, and ``import pydantic`` (which the package needs).

The budget (issue #15) is 0.5 s: the public API is typed, but the components and the provider
SDKs are still imported only when first used. Prints medians of several fresh processes.

    .venv/bin/python benchmarks/import_time.py
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time

RUNS = 7
BUDGET_S = 0.5


def fresh(code: str) -> float:
    """Median wall time of ``python -c code`` in fresh processes."""
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    bare = fresh("pass")
    pydantic = fresh("import pydantic")
    package = fresh("import ask_components")
    components = fresh("from ask_components import Network, ServerlessApp")
    print(f"python -c pass                 {bare:6.3f} s")
    print(f"import pydantic                {pydantic:6.3f} s  ({pydantic / bare:4.1f}x bare)")
    print(
        f"import ask_components          {package:6.3f} s  ({package / bare:4.1f}x bare, "
        f"{package / pydantic:4.1f}x pydantic; budget {BUDGET_S} s: "
        f"{'within' if package <= BUDGET_S else 'OVER'})"
    )
    print(
        f"+ Network, ServerlessApp       {components:6.3f} s  ({components / package:4.1f}x the "
        "package alone: the provider SDKs load on first use)"
    )


if __name__ == "__main__":
    main()
