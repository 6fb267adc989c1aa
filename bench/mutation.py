"""`make mutate`, after mutmut has run: the mutation score of snippets/, per module and in total.

A mutant is detected when a test failed on it (killed), it ran past the time limit, or it
crashed the interpreter; it is missed when every test passed (survived) or no test reached the
mutated function (no tests). The score is detected / all mutants. Prints a table and the missed
mutants of each function, and exits with status 1 below --minimum (default 0.90).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

DETECTED = {1, 3, 36, 24, -24, 152, 255, -11, -9, 37}  # killed, timeout, segfault (mutmut's exit codes)
MISSED = {0, 5, 33}  # survived, no tests


def results(mutants: Path) -> dict[str, int | None]:
    """{mutant name: mutmut's exit code, None if not checked} from the .meta files mutmut writes."""
    found: dict[str, int | None] = {}
    for meta in sorted(mutants.rglob("*.py.meta")):
        found.update(json.loads(meta.read_text())["exit_code_by_key"])
    return found


def function_of(mutant: str) -> str:
    """snippets.glm.x_fit_glm_irls__mutmut_12 -> snippets.glm.fit_glm_irls."""
    module, _, rest = mutant.rpartition(".")
    return f"{module}.{rest.removeprefix('x_').rpartition('__mutmut_')[0]}".replace("ǁ", ".").replace("..", ".")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mutants", type=Path, default=Path("mutants"))
    parser.add_argument("--minimum", type=float, default=0.90)
    args = parser.parse_args(argv)
    codes = results(args.mutants)
    if not codes:
        print(f"no mutants under {args.mutants}: run `make mutate`", file=sys.stderr)
        return 2
    unchecked = [name for name, code in codes.items() if code is None]
    if unchecked:
        print(f"{len(unchecked)} mutants not checked (the run was interrupted?), e.g. {unchecked[0]}", file=sys.stderr)
        return 2
    per_module: dict[str, Counter] = defaultdict(Counter)
    missed_by_function: Counter = Counter()
    for name, code in codes.items():
        module = name.split(".")[1]
        outcome = "detected" if code in DETECTED else "missed" if code in MISSED else "other"
        per_module[module][outcome] += 1
        if outcome != "detected":
            missed_by_function[function_of(name)] += 1
    print(f"{'module':<12}{'mutants':>9}{'detected':>10}{'score':>8}")
    for module, counts in sorted(per_module.items()):
        total = sum(counts.values())
        print(f"{module:<12}{total:>9}{counts['detected']:>10}{counts['detected'] / total:>8.1%}")
    detected = sum(c["detected"] for c in per_module.values())
    score = detected / len(codes)
    print(f"{'all':<12}{len(codes):>9}{detected:>10}{score:>8.1%}")
    print("\nmissed mutants by function (see one with `mutmut show NAME`):")
    for function, count in missed_by_function.most_common():
        print(f"{count:>5}  {function}")
    if score < args.minimum:
        print(f"\nmutation score {score:.1%} is below {args.minimum:.0%}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
