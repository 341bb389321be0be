"""What the syntax tree costs the trigger and the code actions: ``python bench/parse_cost.py``.

Two 5,000-line files of real code nobody here wrote: the start of lsprotocol's ``types.py``
(Python) and whole TypeScript sources of ``@azure/msal-browser`` from the VS Code extension's
``node_modules`` (run ``npm ci`` in ``editors/vscode`` first; the TypeScript half is skipped
without them). At 300 cursor positions drawn with a fixed seed (end of line, mid-line, blank
lines) it times, each sample the best of three runs:

a. ``inline.analyze`` with the tree (the language's grammar) against the baseline in the same
   run, ``analyze`` without a grammar (regular-expression rules only, as before issue 14);
b. the first read of ``Hole.tree`` after ``analyze`` (free where the trigger hands its parse
   over, a parse of the whole window where it parsed only the construct around the cursor);
c. ``edits.scope.enclosing_block`` with the tree against the indentation rule.

Prints p50 / p95 in milliseconds. Timings share the machine with whatever else runs: compare the
two columns of one run, not runs on different days.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path

from benchlib import percentile

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "server"))

import lsprotocol  # noqa: E402

from glm_lsp.edits.scope import enclosing_block  # noqa: E402
from glm_lsp.inline import analyze  # noqa: E402

LINES = 5000
MSAL = ROOT / "editors/vscode/node_modules/@azure/msal-browser/src"


def python_file() -> list[str]:
    text = (Path(lsprotocol.__file__).parent / "types.py").read_text()
    return text.split("\n")[:LINES]


def typescript_file() -> list[str] | None:
    """Whole .ts files (no declarations) concatenated until 5,000 lines, cut at a file end."""
    if not MSAL.is_dir():
        return None
    lines: list[str] = []
    for path in sorted(MSAL.rglob("*.ts")):
        if path.name.endswith(".d.ts"):
            continue
        lines += path.read_text(errors="replace").split("\n")
        if len(lines) >= LINES:
            return lines
    return lines if lines else None


def positions(lines: list[str], count: int, seed: int) -> list[tuple[int, int]]:
    """Cursor positions: a third at line ends, a third mid-line, a third on blank lines."""
    rng = random.Random(seed)
    blank = [n for n, text in enumerate(lines) if not text.strip()]
    chosen: list[tuple[int, int]] = []
    for n in range(count):
        line = rng.randrange(len(lines))
        if n % 3 == 0:
            chosen.append((line, len(lines[line])))
        elif n % 3 == 1:
            chosen.append((line, rng.randrange(len(lines[line]) + 1)))
        else:
            chosen.append((rng.choice(blank) if blank else line, 0))
    return chosen


def timed(run: Callable[[], object], repeats: int = 3) -> list[float]:
    """One sample: the best of `repeats` runs (the machine is shared; the minimum is the cost,
    the rest is other processes)."""
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - start)
    return [best * 1000]


def row(label: str, samples: list[float]) -> str:
    p50, p95 = percentile(samples, 0.5), percentile(samples, 0.95)
    return f"  {label:<44} p50 {p50:6.2f} ms   p95 {p95:6.2f} ms"


def sample(lines: list[str], language: str, line: int, column: int) -> dict[str, list[float]]:
    """The timings at one cursor position, by figure."""
    holes = [analyze(lines, line, column, language=language)]
    return {
        "without": timed(lambda: analyze(lines, line, column)),
        "with": timed(lambda: analyze(lines, line, column, language=language)),
        "seeded": [float("tree" in vars(holes[0]))],
        "tree": timed(lambda: holes.pop().tree, 1),
        "indent": timed(lambda: enclosing_block(lines, line)),
        "scope": timed(lambda: enclosing_block(lines, line, language=language)),
    }


def measure(name: str, lines: list[str], language: str, cursors: list[tuple[int, int]]) -> None:
    print(f"{name}: {len(lines)} lines, {len(cursors)} cursor positions")
    figures: dict[str, list[float]] = {}
    for line, column in cursors:
        for key, values in sample(lines, language, line, column).items():
            figures.setdefault(key, []).extend(values)
    print(row("a. analyze, no grammar (baseline)", figures["without"]))
    print(row(f"a. analyze with the {language} tree", figures["with"]))
    print(row("b. Hole.tree, first read after analyze", figures["tree"]))
    seeded = int(sum(figures["seeded"]))
    print(f"     (handed over by the trigger at {seeded} of {len(cursors)} positions; elsewhere a")
    print("      parse of the whole window, which inline/tree_site avoids by narrowing it)")
    print(row("c. enclosing_block, indentation (baseline)", figures["indent"]))
    print(row(f"c. enclosing_block with the {language} tree", figures["scope"]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--positions", type=int, default=300)
    parser.add_argument("--seed", type=int, default=14)
    args = parser.parse_args()
    source = python_file()
    measure("Python (lsprotocol types.py)", source, "python", positions(source, args.positions, 1))
    typescript = typescript_file()
    if typescript is None:
        print(f"TypeScript: skipped, no sources under {MSAL} (npm ci in editors/vscode)")
        return
    cursors = positions(typescript, args.positions, args.seed)
    measure("TypeScript (@azure/msal-browser src)", typescript, "typescript", cursors)


if __name__ == "__main__":
    main()
