"""What the parse-tree filters add to one inline request: ``python bench/tree_rules_cost.py``.

For holes in 5,000-line files (the start of lsprotocol's ``types.py``; when present, a large
JavaScript file of the VS Code extension's dependencies and the system's ``sqlite3.h``), the
hole is built as the server builds it (``analyze``, which parses the window once for the
trigger), then the answer, with over-generation, goes through ``postprocess`` twice in the same
run: with the pipeline as shipped
(``cut_at_unit_end`` and ``balance_by_tree``) and with the regular-expression pipeline they
replace (no unit cut, ``balance_brackets``). Each hole is new (no cache shared between rounds),
timed three times per pipeline, the fastest kept.
Prints p50/p95 of both and of the difference, per language and hole kind.

Options: ``--rounds N`` (holes per language and kind, default 200), ``--seed S``.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "server"))
sys.path.insert(0, str(ROOT / "bench"))

import lsprotocol.types  # noqa: E402

from benchlib import percentile  # noqa: E402
from glm_lsp.inline import Hole, Mode, analyze, filters  # noqa: E402
from glm_lsp.inline.trigger import opener_kind  # noqa: E402

FILE_LINES = 5000
REPEATS = 3
"""Each hole is timed this many times per pipeline (caches cleared), the fastest kept: the
machine's other work shows up as outliers, not as cost."""
OPTIONAL = {
    "javascript": ROOT / "editors/vscode/node_modules/markdown-it/dist/markdown-it.js",
    "c": Path("/usr/include/sqlite3.h"),
}
REGEX_PIPELINE = tuple(
    filters.balance_brackets if step is filters.balance_by_tree else step
    for step in filters.PIPELINE
    if step is not filters.cut_at_unit_end
)


def sources() -> dict[str, list[str]]:
    """language -> the first 5,000 lines of a real file (repeated if it is shorter)."""
    found = {"python": Path(lsprotocol.types.__file__).read_text(encoding="utf-8").split("\n")}
    for language, path in OPTIONAL.items():
        if path.exists():
            found[language] = path.read_text(encoding="utf-8", errors="replace").split("\n")
    return {
        lang: (lines * (FILE_LINES // len(lines) + 1))[:FILE_LINES] for lang, lines in found.items()
    }


def holes(
    lines: list[str], language: str, kind: str, rng: random.Random, count: int
) -> list[tuple[Hole, str]]:
    """`count` holes of `kind` ('line': cut at the middle of a code line; 'block': the body of a
    block-opening line), each with its truth followed by the next three lines (over-generation)."""
    found: list[tuple[Hole, str]] = []
    middle = list(range(FILE_LINES // 4, 3 * FILE_LINES // 4))
    rng.shuffle(middle)
    for number in middle:
        if len(found) >= count:
            break
        text = lines[number]
        if len(text.strip()) < 12 or text.lstrip().startswith(("#", "//", "*", '"')):
            continue
        if kind == "block":
            if opener_kind(text, language) != "strong":
                continue
            doc = [*lines[: number + 1], *lines[number + 4 :]]
            hole = analyze(doc, number, len(text), language=language)
            answer = "\n" + "\n".join(lines[number + 1 : number + 7])
        else:
            cut = len(text) // 2
            doc = [*lines[:number], text[:cut], *lines[number + 1 :]]
            hole = analyze(doc, number, cut, language=language)
            answer = text[cut:] + "\n" + "\n".join(lines[number + 1 : number + 4])
        if hole.mode is not Mode.NONE:
            found.append((hole, answer))
    return found


def timed(pipeline: tuple[filters.Filter, ...], hole: Hole, answer: str) -> float:
    filters.PIPELINE = pipeline
    start = time.perf_counter()
    filters.postprocess(answer, hole)
    return (time.perf_counter() - start) * 1000


def fresh(hole: Hole) -> Hole:
    """An equal hole with nothing cached but what `analyze` handed over (the window tree when
    the trigger parsed the whole window)."""
    copy = Hole(**{name: getattr(hole, name) for name in Hole.__dataclass_fields__})
    if "tree" in hole.__dict__:
        copy.__dict__["tree"] = hole.__dict__["tree"]
    return copy


def measure(pairs: list[tuple[Hole, str]], clear: Callable[[], None]) -> tuple[list[float], ...]:
    shipped = filters.PIPELINE
    tree_ms: list[float] = []
    regex_ms: list[float] = []
    for hole, answer in pairs:
        regex_best = tree_best = float("inf")
        for _ in range(REPEATS):
            clear()
            regex_best = min(regex_best, timed(REGEX_PIPELINE, fresh(hole), answer))
            clear()
            tree_best = min(tree_best, timed(shipped, fresh(hole), answer))
        regex_ms.append(regex_best)
        tree_ms.append(tree_best)
    filters.PIPELINE = shipped
    added = [t - r for t, r in zip(tree_ms, regex_ms, strict=True)]
    return tree_ms, regex_ms, added


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--seed", type=int, default=14)
    args = parser.parse_args(argv)
    from glm_lsp.inline.tree_site import site_of

    print(f"postprocess per request on {FILE_LINES}-line files, ms (tree = shipped pipeline)")
    columns = ("tree p50/p95", "regex p50/p95", "added p50/p95")
    print(f"{'language':<12}{'kind':<7}{'n':>5}" + "".join(f"  {c:>14}" for c in columns))
    for language, lines in sources().items():
        for kind in ("line", "block"):
            rng = random.Random(f"{args.seed}:{language}:{kind}")
            pairs = holes(lines, language, kind, rng, args.rounds)
            if not pairs:
                continue
            tree_ms, regex_ms, added = measure(pairs, site_of.cache_clear)
            cells = [
                f"{percentile(v, 0.5):6.2f}/{percentile(v, 0.95):6.2f}"
                for v in (tree_ms, regex_ms, added)
            ]
            row = f"{language:<12}{kind:<7}{len(pairs):>5}"
            print(row + "".join(f"  {cell:>14}" for cell in cells))


if __name__ == "__main__":
    main()
