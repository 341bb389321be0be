"""Family `fresh3`, code level: what a chat model does to the code of its answer.

The answer is kept as three parts, `Code(pre, answer, post)`: what the model wrote before the true
text (echoes), the true text (maybe re-indented), and what it wrote after it (echoes of the code
below, more code). Each shape takes the parts, the `Scene` (the hole's surroundings) and the
random generator, and returns new parts, or None when it does not apply to this hole.

Every random draw is one `random()` call whose count never depends on the true text's visible
characters (only on the hole's surroundings and on the line structure of the true text): the
family composes each sample a second time with a marker character in the true text to find where
it sits in the stream, and both compositions must make the same choices.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from dataclasses import dataclass, replace

from .fresh3_text import comment_marker
from .holes import Cut
from .lexical import code_lines

_TOKEN = re.compile(r"\w+|\s+|[^\w\s]")
_CONTINUED = (",", "\\", "(", "[", "{", "+", "-", "*", "/", "=", "&&", "||", " and", " or", ".")
NEAR = 15
"""Lines within this distance of the hole are never borrowed as invented code."""


def pick(rng: random.Random, items: tuple[str, ...] | list[str]) -> str:
    """One of `items` with exactly one draw."""
    return items[min(int(rng.random() * len(items)), len(items) - 1)]


def weighted(rng: random.Random, table: tuple[tuple[str, float], ...]) -> str:
    """A key of `table` drawn by weight, with exactly one draw."""
    at = rng.random() * sum(w for _, w in table)
    for key, weight in table:
        at -= weight
        if at < 0:
            return key
    return table[-1][0]


def lead(line: str) -> str:
    return line[: len(line) - len(line.lstrip(" \t"))]


@dataclass(frozen=True)
class Scene:
    """What surrounds a hole, as the model saw it in the prompt."""

    cut: Cut
    prefix: str
    """The cursor line up to the cursor."""
    rest: str
    """The cursor line after the cursor."""
    above: tuple[str, ...]
    """The lines above the cursor line, nearest last."""
    below: tuple[str, ...]
    """The lines below the cursor line, nearest first."""
    tabs: bool
    """The file indents with tabs."""
    unit: int
    """The file's indentation step in columns (spaces files)."""
    opener: str
    """The indentation of the block opener (block holes), else of the cursor line."""
    borrowed: tuple[str, ...]
    """Code lines far from the hole, stripped: what an over-generating model may invent."""

    @classmethod
    def of(cls, cut: Cut) -> Scene:
        lines = cut.lines
        here = lines[cut.line]
        opener = lead(lines[cut.line - 1]) if cut.kind == "block_blank" else lead(here)
        code = code_lines(list(lines), cut.language)
        far = [
            ln.strip()
            for i, ln in enumerate(lines)
            if abs(i - cut.line) > NEAR and code[i] and _statement(ln, cut.language)
        ]
        return cls(
            cut,
            here[: cut.character],
            here[cut.character :],
            tuple(lines[: cut.line]),
            tuple(lines[cut.line + 1 :]),
            *_style(lines),
            opener,
            tuple(far),
        )

    def indent(self) -> str:
        """The indentation of the line the true text is on."""
        return lead(self.prefix) if self.prefix.strip() else self.prefix

    def step(self) -> str:
        return "\t" if self.tabs else " " * self.unit


def _statement(line: str, language: str) -> bool:
    """Whether `line` looks like a whole simple statement (borrowable as invented code): some
    words, balanced brackets, no continuation at its end, no comment."""
    text = line.strip()
    if not 3 <= len(text) <= 90 or not any(ch.isalnum() for ch in text):
        return False
    if comment_marker(language) in text or text.endswith(_CONTINUED):
        return False
    if text.endswith(":") or text.startswith(("#", "}", ")", "]", "?", ":", ".", "|", "&")):
        return False  # a block opener, a preprocessor line, a closer or a continuation
    return all(text.count(a) == text.count(b) for a, b in ("()", "[]", "{}"))


def _style(lines: tuple[str, ...]) -> tuple[bool, int]:
    """(indents with tabs, indentation step) of a file, from its lines' indentation."""
    tabbed = sum(ln.startswith("\t") for ln in lines)
    spaced = [len(lead(ln)) for ln in lines if ln.strip() and ln.startswith(" ")]
    steps: Counter[int] = Counter()
    for a, b in zip(spaced, spaced[1:], strict=False):
        if 0 < abs(a - b) <= 8:
            steps[abs(a - b)] += 1
    unit = steps.most_common(1)[0][0] if steps else 4
    return tabbed > len(spaced), unit


@dataclass(frozen=True)
class Code:
    """The code of an answer: `pre` + `answer` + `post`; `answer` is the (maybe re-indented) true
    text. `starts_line`: the first character of `pre + answer` is at the start of a line."""

    pre: str
    answer: str
    post: str
    starts_line: bool

    def text(self) -> str:
        return self.pre + self.answer + self.post


def _prev(scene: Scene) -> str | None:
    for line in reversed(scene.above):
        if line.strip():
            return line
    return None


def echo_prev(code: Code, scene: Scene, rng: random.Random) -> Code | None:
    """The nearest non-blank line above, repeated before the answer (as is, or stripped)."""
    prev = _prev(scene)
    if prev is None:
        return None
    style = weighted(rng, (("as_is", 5), ("stripped", 3), ("gap", 1)))
    line = prev.strip() if style == "stripped" else prev
    gap = "\n\n" if style == "gap" else "\n"
    return replace(code, pre=line + gap + code.pre, starts_line=True)


def echo_prefix(code: Code, scene: Scene, rng: random.Random) -> Code | None:
    """The code before the cursor repeated: the whole line, the line without its indentation,
    its last few tokens (`const` typed, `const` suggested), or the lines above as well (the model
    rewrites the function); on a blank line, the indentation the cursor already has."""
    if not scene.prefix:
        return None
    if not scene.prefix.strip():
        return replace(code, pre=scene.prefix + code.pre, starts_line=True)
    style = weighted(rng, (("line", 4), ("stripped", 3), ("tail", 3), ("lines", 2)))
    count = 1 + int(rng.random() * 3)
    if style == "stripped":
        return replace(code, pre=scene.prefix.lstrip() + code.pre, starts_line=True)
    if style == "tail":
        tokens = _TOKEN.findall(scene.prefix.strip())
        tail = "".join(tokens[-count:])
        tail += scene.prefix[len(scene.prefix.rstrip()) :]
        return replace(code, pre=tail + code.pre, starts_line=False)
    lines = list(scene.above[-count:]) if style == "lines" else []
    return replace(code, pre="\n".join([*lines, scene.prefix]) + code.pre, starts_line=True)


def whole_line(code: Code, scene: Scene, rng: random.Random) -> Code | None:
    """A mid-line hole answered with the whole line, the hole filled (what chat models do when
    told "complete the line"): the code before the cursor, the answer, the code after it."""
    if scene.cut.kind != "mid" or not scene.rest:
        return None
    keep = rng.random() < 0.7
    head = scene.prefix if keep else scene.prefix.lstrip()
    return Code(head + code.pre, code.answer, code.post + scene.rest, True)


def newline(code: Code, scene: Scene, rng: random.Random) -> Code | None:
    """Line breaks at the start: a block body that does not start on a new line, or an answer
    that starts one (or a blank line) where none belongs."""
    if code.answer.startswith("\n") and not code.pre:
        return replace(code, answer=code.answer[1:])
    breaks = "\n\n" if rng.random() < 0.25 else "\n"
    return replace(code, pre=breaks + code.pre)


def echo_suffix(code: Code, scene: Scene, rng: random.Random) -> Code | None:
    """The code after the cursor repeated after the answer: the rest of the line, its first
    closing character only, or the rest of the line and the lines below."""
    style = weighted(rng, (("rest", 4), ("first", 2), ("lines", 4)))
    count = 1 + int(rng.random() * 3)
    below = list(scene.below[:count])
    while below and not below[-1].strip():
        below.pop()
    if not scene.rest and not below:
        return None
    if scene.rest and style == "rest":
        return replace(code, post=code.post + scene.rest)
    if scene.rest and style == "first" and scene.rest[0] in ")]};,'\"`":
        return replace(code, post=code.post + scene.rest[0])
    if not below:
        return replace(code, post=code.post + scene.rest)
    return replace(code, post=code.post + scene.rest + "\n" + "\n".join(below))


def over_generate(code: Code, scene: Scene, rng: random.Random) -> Code | None:
    """More code after the answer, invented from code elsewhere in the file: one to three more
    statements at the same depth after a single line, or code after leaving the block (at the
    opener's depth, maybe after a blank line) after a block body."""
    if not scene.borrowed:
        return None
    count = 1 + int(rng.random() * 3)
    start = int(rng.random() * len(scene.borrowed))
    gap = "\n\n" if rng.random() < 0.3 else "\n"
    lines = [scene.borrowed[(start + i * 7) % len(scene.borrowed)] for i in range(count)]
    if scene.cut.kind in ("block", "block_blank"):
        depth = scene.opener
    else:
        depth = scene.indent() if scene.prefix.strip() or scene.prefix else lead(code.answer)
        gap = "\n"
    extra = gap + "\n".join(depth + ln for ln in lines)
    return replace(code, post=code.post + extra)


def _line_starts(text: str, first: bool) -> list[int]:
    """Indexes of `text`'s lines that start a line of the file (every line but the first, and
    the first when `first`), skipping blank lines."""
    lines = text.split("\n")
    return [i for i, ln in enumerate(lines) if (i or first) and ln.strip()]


def _reindent(text: str, change: dict[int, str]) -> str:
    lines = text.split("\n")
    for i, indent in change.items():
        lines[i] = indent + lines[i].lstrip(" \t")
    return "\n".join(lines)


def indent_shift(code: Code, scene: Scene, rng: random.Random) -> Code | None:
    """The answer's lines re-indented: all deeper or shallower by a step or a column, the first
    line only, all but the first, flattened to column 0, or in another indentation step (2 for
    4, 4 for 2). A one-line answer in the middle of a line gains or loses a leading space."""
    first = code.starts_line or (not code.pre and scene.cut.character == 0)
    starts = _line_starts(code.answer, first)
    lines = code.answer.split("\n")
    style = weighted(
        rng,
        (("deeper", 3), ("shallower", 2), ("first", 2), ("rest", 2), ("flat", 1), ("scale", 2)),
    )
    column = rng.random() < 0.3
    if not starts:
        return _leading_space(code, scene)
    step = " " if column and not scene.tabs else scene.step()
    change: dict[int, str] = {}
    for n, i in enumerate(starts):
        indent = lead(lines[i])
        if style == "deeper" or (style == "first" and n == 0):
            change[i] = step + indent
        elif style == "shallower" or (style == "rest" and n > 0):
            cut = len(step) if indent.startswith(step) else len(indent) - len(indent.lstrip())
            change[i] = indent[min(cut, len(indent)) :]
        elif style == "flat":
            change[i] = ""
        elif style == "scale":
            spaces = indent.replace("\t", " " * scene.unit)
            change[i] = " " * (len(spaces) // 2 if scene.unit >= 4 else len(spaces) * 2)
    answer = _reindent(code.answer, change)
    return None if answer == code.answer else replace(code, answer=answer)


def _leading_space(code: Code, scene: Scene) -> Code | None:
    """A one-line answer's leading space lost after a word (`from` + `os` run together) or
    doubled after a space or an indentation; elsewhere (inside a string, after a bracket) a
    space would change the code in a way nothing can tell, so the shape does not apply."""
    before = (scene.prefix + code.pre)[-1:]
    if code.answer.startswith(" ") and (before.isalnum() or before == "_"):
        return replace(code, answer=code.answer[1:])
    if before.isspace() and not code.answer[:1].isspace():
        return replace(code, answer=" " + code.answer)
    return None


def _convert(text: str, first: bool, scene: Scene, width: int, every: int) -> str:
    lines = text.split("\n")
    for n, i in enumerate(_line_starts(text, first)):
        if n % every:
            continue
        indent = lead(lines[i])
        if scene.tabs:
            new = indent.replace("\t", " " * width)
        else:
            columns = len(indent.replace("\t", " " * scene.unit))
            new = "\t" * (columns // scene.unit) + " " * (columns % scene.unit)
        lines[i] = new + lines[i][len(indent) :]
    return "\n".join(lines)


def tabs_spaces(code: Code, scene: Scene, rng: random.Random) -> Code | None:
    """The model's own indentation character: tabs in a spaces file, 2, 4 or 8 spaces per tab in
    a tabs file, on every line of its code or every other line."""
    width = (2, 4, 8)[min(int(rng.random() * 3), 2)]
    every = 2 if rng.random() < 0.25 else 1
    first = code.starts_line or scene.cut.character == 0
    full = _convert(code.text(), first, scene, width, every)
    if full == code.text():
        return None
    start = min(len(_convert(code.pre, first, scene, width, every)), len(full))
    end = max(start, len(full) - len(_convert(code.post, False, scene, width, every)))
    return Code(full[:start], full[start:end], full[end:], code.starts_line)


def comment_line(scene: Scene, remark: str) -> str:
    """A remark as a comment line at the cursor line's indentation."""
    return f"{comment_marker(scene.cut.language)} {remark}\n"
