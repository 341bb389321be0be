"""Post-processing evaluation: holes cut from real code, model outputs in the failure shapes users
report, run through the same stream-stop + postprocess path the server uses.

Run: `.venv/bin/python bench/inline_eval.py [--holes N] [--seed S] [--verbose]`

Holes come from the Python sources of packages installed next to glm-lsp (pygls, httpx,
lsprotocol, cattrs, GitPython, ...), sampled deterministically. Each hole has a known right
insertion; each shape wraps or damages it the way chat models do (fences, echoed prefix or
suffix, prose, `<think>`, extra lines, wrong indentation, tags). A sample counts as right when
the pipeline yields exactly the right insertion, or nothing when the pipeline also yields
nothing for the clean answer (the hole is outside what it will ever show).
"""

from __future__ import annotations

import argparse
import ast
import importlib.util
import random
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "server"))

from glm_lsp.inline.filters import postprocess  # noqa: E402
from glm_lsp.inline.hole import Hole, Mode, indent_of  # noqa: E402
from glm_lsp.inline.stream_stop import StreamStop  # noqa: E402
from glm_lsp.inline.trigger import analyze  # noqa: E402

PACKAGES = ("pygls", "httpx", "lsprotocol", "cattrs", "git", "httpcore", "h11", "anyio", "attr")
SEED = 20240604
KINDS = ("single_mid", "single_eol", "single_blank", "multi_opener", "multi_blank")
TRAILING = set(")]}:;,\"' ")


@dataclass
class Sample:
    kind: str
    file: str
    lines: list[str]
    line: int
    character: int
    truth: str
    hole: Hole


def source_files() -> list[Path]:
    files: list[Path] = []
    for name in PACKAGES:
        spec = importlib.util.find_spec(name)
        if spec is None or not spec.submodule_search_locations:
            continue
        for location in spec.submodule_search_locations:
            files.extend(sorted(Path(location).rglob("*.py")))
    return files


def _make(
    kind: str, path: Path, lines: list[str], line: int, char: int, truth: str
) -> Sample | None:
    hole = analyze(lines, line, char, language="python", path=path.name)
    wanted = Mode.MULTI_LINE if kind.startswith("multi") else Mode.SINGLE_LINE
    if hole.mode is not wanted:
        return None
    return Sample(kind, path.name, lines, line, char, truth, hole)


def single_line_holes(path: Path, lines: list[str], rng: random.Random) -> Iterator[Sample]:
    order = list(range(len(lines)))
    rng.shuffle(order)
    for number in order:
        text = lines[number]
        content = text.strip()
        if len(content) < 12 or len(text) > 100 or text != text.rstrip():
            continue
        indent = len(indent_of(text))
        end = len(text)
        while end > indent and text[end - 1] in TRAILING:
            end -= 1
        cuts = [c for c in range(indent + 2, end - 3) if text[c - 1] in " (.=,[{:"]
        words = [
            c for c in range(indent + 2, end - 3) if text[c - 1].isalnum() and text[c].isalnum()
        ]
        if rng.random() < 0.3 and words:
            cuts = words
        if not cuts:
            continue
        cut = rng.choice(cuts)
        if text[end:] and rng.random() < 0.6:
            truth, tail, kind = text[cut:end], text[end:], "single_mid"
        else:
            truth, tail, kind = text[cut:], "", "single_eol"
        if len(truth.strip()) < 4 or truth != truth.rstrip():
            continue
        doc = [*lines[:number], text[:cut] + tail, *lines[number + 1 :]]
        sample = _make(kind, path, doc, number, cut, truth)
        if sample is not None:
            yield sample
        blank = [*lines[:number], text[:indent], *lines[number + 1 :]]
        sample = _make("single_blank", path, blank, number, indent, content)
        if sample is not None:
            yield sample


def _bodies(tree: ast.AST) -> Iterator[list[ast.stmt]]:
    for node in ast.walk(tree):
        for name in ("body", "orelse", "finalbody"):
            body = getattr(node, name, None)
            if isinstance(body, list) and body and isinstance(body[0], ast.stmt):
                yield body


def multi_line_holes(path: Path, lines: list[str], rng: random.Random) -> Iterator[Sample]:
    try:
        tree = ast.parse("\n".join(lines))
    except (SyntaxError, ValueError):
        return
    bodies = list(_bodies(tree))
    rng.shuffle(bodies)
    for body in bodies:
        start, stop = body[0].lineno - 1, (body[-1].end_lineno or body[-1].lineno)
        opener = start - 1
        block = lines[start:stop]
        content = [ln for ln in block if ln.strip()]
        if opener < 0 or not 1 <= len(content) <= 10 or len(block) > 16:
            continue
        if not lines[opener].rstrip().endswith(":") or lines[opener] != lines[opener].rstrip():
            continue
        if any(ln != ln.rstrip() for ln in block) or "\t" in "".join(block):
            continue
        body_indent = indent_of(block[0])
        if any(not ln.startswith(body_indent) for ln in content):
            continue
        after = lines[stop:]
        truth = "\n".join(block)
        doc = [*lines[: opener + 1], *after]
        sample = _make("multi_opener", path, doc, opener, len(lines[opener]), "\n" + truth)
        if sample is not None:
            yield sample
        doc = [*lines[:start], body_indent, *after]
        sample = _make("multi_blank", path, doc, start, len(body_indent), truth[len(body_indent) :])
        if sample is not None:
            yield sample


def collect(per_kind: int, seed: int) -> list[Sample]:
    rng = random.Random(seed)
    files = source_files()
    rng.shuffle(files)
    chosen: dict[str, list[Sample]] = {kind: [] for kind in KINDS}
    for path in files:
        if all(len(v) >= per_kind for v in chosen.values()):
            break
        try:
            lines = path.read_text(encoding="utf-8").split("\n")
        except (OSError, UnicodeDecodeError):
            continue
        taken: Counter[str] = Counter()
        for generator in (single_line_holes, multi_line_holes):
            for sample in generator(path, lines, rng):
                if taken[sample.kind] >= 2 or len(chosen[sample.kind]) >= per_kind:
                    continue
                taken[sample.kind] += 1
                chosen[sample.kind].append(sample)
    return [sample for kind in KINDS for sample in chosen[kind]]


Shape = Callable[[Sample, int], "str | None"]


def _flat(truth: str) -> str:
    return truth[1:] if truth.startswith("\n") else truth


def _following(sample: Sample, count: int) -> list[str]:
    return [ln for ln in sample.hole.lines_after if ln.strip()][:count]


def shape_bare(s: Sample, i: int) -> str | None:
    return s.truth


def shape_tagged(s: Sample, i: int) -> str | None:
    return "<COMPLETION>" + s.truth + ("</COMPLETION>" if i % 2 else "")


def shape_tagged_newlines(s: Sample, i: int) -> str | None:
    return "<COMPLETION>\n" + s.truth + "\n" + ("</COMPLETION>" if i % 2 else "")


def shape_fenced(s: Sample, i: int) -> str | None:
    return "```python\n" + _flat(s.truth) + "\n```"


def shape_prefix_echo(s: Sample, i: int) -> str | None:
    hole = s.hole
    if s.kind in ("single_mid", "single_eol"):
        return (hole.line_prefix if i % 2 else hole.line_prefix.lstrip()) + s.truth
    if s.kind == "multi_opener":
        return hole.line_prefix + s.truth
    previous = hole.prev_line
    if previous is None:
        return None
    return previous.strip() + "\n" + hole.line_prefix + s.truth


def shape_suffix_echo(s: Sample, i: int) -> str | None:
    if s.kind == "single_mid":
        return s.truth + s.hole.line_suffix
    following = _following(s, 3)
    if not following:
        return None
    return s.truth + "\n" + "\n".join(following)


def shape_prose(s: Sample, i: int) -> str | None:
    code = _flat(s.truth)
    if i % 3 == 0:
        return f"Here is the completion:\n```python\n{code}\n```\nThis should work as expected."
    if i % 3 == 1:
        return f"Sure! Here is the code that fills the hole:\n{s.truth}"
    return f"{s.truth}\n\nThis completes the code at the cursor position."


def shape_think(s: Sample, i: int) -> str | None:
    thought = "<think>\nThe hole is inside this function; keep the style.\n</think>\n"
    return thought + ("<COMPLETION>" + s.truth if i % 2 else s.truth)


def shape_trailing_lines(s: Sample, i: int) -> str | None:
    if s.kind.startswith("single"):
        return s.truth + "\nprint(result)\nreturn result"
    outer = (
        indent_of(s.hole.prev_line or "")
        if s.kind == "multi_blank"
        else indent_of(s.hole.line_prefix)
    )
    return s.truth + f"\n{outer}logger.debug('done')\n{outer}return None"


def shape_wrong_indent(s: Sample, i: int) -> str | None:
    hole = s.hole
    if s.kind in ("single_mid", "single_eol"):
        return " " + s.truth if hole.line_prefix.endswith(" ") else None
    if s.kind == "single_blank":
        return hole.line_prefix + s.truth
    body = _flat(s.truth).split("\n")
    if s.kind == "multi_opener":
        depth = len(indent_of(body[0]))
        return "\n" + "\n".join(ln[depth:] if ln.strip() else "" for ln in body)
    depth = len(hole.line_prefix)
    if i % 2:
        return hole.line_prefix + s.truth
    return "\n".join([body[0], *[ln[depth:] if ln.strip() else "" for ln in body[1:]]])


SHAPES: dict[str, Shape] = {
    "clean (bare)": shape_bare,
    "<COMPLETION> tags": shape_tagged,
    "tags + newlines": shape_tagged_newlines,
    "fenced": shape_fenced,
    "prefix echoed": shape_prefix_echo,
    "suffix echoed": shape_suffix_echo,
    "prose around": shape_prose,
    "<think> first": shape_think,
    "trailing lines": shape_trailing_lines,
    "wrong indentation": shape_wrong_indent,
}


def run_pipeline(hole: Hole, raw: str, rng: random.Random) -> tuple[str | None, int]:
    """Feed `raw` in random small deltas like a stream; (insertion, characters read)."""
    stop = StreamStop(hole)
    read = 0
    while read < len(raw):
        delta = raw[read : read + rng.randint(1, 8)]
        read += len(delta)
        if stop.feed(delta):
            break
    return postprocess(stop.finish(), hole), read


def evaluate(samples: list[Sample], seed: int, verbose: bool = False) -> dict[str, Counter[str]]:
    rng = random.Random(seed)
    table: dict[str, Counter[str]] = {}
    for index, sample in enumerate(samples):
        baseline, _ = run_pipeline(sample.hole, sample.truth, rng)
        for name, shape in SHAPES.items():
            raw = shape(sample, index)
            if raw is None:
                continue
            result, read = run_pipeline(sample.hole, raw, rng)
            row = table.setdefault(name, Counter())
            row["n"] += 1
            row["read"] += read
            row["raw"] += len(raw)
            if result == sample.truth:
                row["exact"] += 1
            elif result is None:
                row["none"] += 1
                row["ok_none" if baseline is None else "lost"] += 1
            else:
                row["wrong"] += 1
            if verbose and result != sample.truth and not (result is None and baseline is None):
                print(f"--- {name} / {sample.kind} / {sample.file}:{sample.line + 1}")
                print(f"raw:      {raw!r}\nexpected: {sample.truth!r}\ngot:      {result!r}")
    return table


def print_table(table: dict[str, Counter[str]], samples: list[Sample]) -> float:
    kinds = Counter(sample.kind for sample in samples)
    print(f"holes: {len(samples)} ({', '.join(f'{k} {v}' for k, v in kinds.items())})")
    header = f"{'shape':<20}{'n':>6}{'exact':>7}{'none':>6}{'wrong':>7}{'right %':>9}{'read %':>8}"
    print(header)
    print("-" * len(header))
    total: Counter[str] = Counter()
    for name, row in table.items():
        total.update(row)
        _print_row(name, row)
    print("-" * len(header))
    return _print_row("total", total)


def _print_row(name: str, row: Counter[str]) -> float:
    right = 100.0 * (row["exact"] + row["ok_none"]) / max(1, row["n"])
    read = 100.0 * row["read"] / max(1, row["raw"])
    print(
        f"{name:<20}{row['n']:>6}{row['exact']:>7}{row['none']:>6}{row['wrong']:>7}"
        f"{right:>8.1f}%{read:>7.0f}%"
    )
    return right


def main(argv: list[str] | None = None) -> float:
    """Run the evaluation, print the table, return the total share of right answers (%)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--holes", type=int, default=320, help="total holes (split over kinds)")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--verbose", action="store_true", help="print every miss")
    args = parser.parse_args(argv)
    samples = collect(-(-args.holes // len(KINDS)), args.seed)
    table = evaluate(samples, args.seed, args.verbose)
    print("post-processing evaluation (right = exact insertion, or none where the clean")
    print("answer also gives none; read = share of streamed characters consumed before stop)")
    return print_table(table, samples)


if __name__ == "__main__":
    main()
