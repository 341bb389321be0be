"""Code-level damage of the unseen family `fresh4`: what a chat model does to the code itself when
it fills a hole (indentation, echoes of the file, more code than asked). Each shape returns False
when it does not apply to the hole (or would change nothing). Filter authors do not read this.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from .holes import Cut

_NO_BACKTICKS = frozenset({"javascript", "typescript", "shellscript", "go"})
"""Languages where a backtick is code: an answer wrapped in backticks would not be recoverable."""


@dataclass
class Code:
    """The code part of an answer: what the model echoes before the true text, the true text as it
    writes it, and what it writes after."""

    lead: str
    body: str
    tail: str = ""


def _indent(line: str) -> str:
    return line[: len(line) - len(line.lstrip(" \t"))]


def unit_of(lines: tuple[str, ...]) -> str:
    """The document's indentation step: a tab when most indented lines start with one, else the
    most common positive difference between the indentation of neighbouring code lines."""
    tabs = spaces = 0
    steps: dict[int, int] = {}
    last = 0
    for line in lines:
        if not line.strip():
            continue
        lead = _indent(line)
        tabs += lead.startswith("\t")
        spaces += lead.startswith(" ")
        width = len(lead.expandtabs(8))
        if width > last and width - last in (2, 3, 4, 8):
            steps[width - last] = steps.get(width - last, 0) + 1
        last = width
    if tabs > spaces:
        return "\t"
    return " " * (max(steps, key=lambda k: (steps[k], -k)) if steps else 4)


def _lines(text: str) -> list[str]:
    return text.split("\n")


def _shift(lines: list[str], first: int, change: str, remove: int) -> list[str]:
    """`lines[first:]` that have code with `remove` leading characters dropped, then `change`
    put in front."""
    out = lines[:first]
    for line in lines[first:]:
        out.append(change + line[remove:] if line.strip() else line)
    return out


def _block(lines: list[str], rng: random.Random, unit: str, tail: bool) -> list[str]:
    """A block body (after its line break) one step deeper, flattened, or one step shallower
    (only deeper when lines follow the body: flattened, they could not be told apart)."""
    coded = [ln for ln in lines[1:] if ln.strip()]
    common = min(len(_indent(ln)) for ln in coded) if coded else 0
    pick = 0.0 if tail else rng.random()
    if pick < 0.75 and common and pick >= 0.4:
        return _shift(lines, 1, "", common)
    if pick >= 0.75 and common >= len(unit):
        return _shift(lines, 1, "", len(unit))
    return _shift(lines, 1, unit, 0)


def _block_blank(
    lines: list[str], rng: random.Random, unit: str, prefix: str, tail: bool
) -> list[str]:
    """A body begun at the cursor's indentation: its first line indented again, the others
    flattened to the first one's column (not when lines follow the body), or all one step
    deeper."""
    pick = rng.random()
    if tail and 0.45 <= pick < 0.75:
        pick = 0.8
    if pick < 0.45 or len(lines) == 1:
        return [(prefix if prefix and rng.random() < 0.6 else unit) + lines[0], *lines[1:]]
    if pick < 0.75 and all(ln.startswith(prefix) or not ln.strip() for ln in lines[1:]):
        return _shift(lines, 1, "", len(prefix))
    return [unit + lines[0], *_shift(lines, 1, unit, 0)[1:]]


def _blank(lines: list[str], rng: random.Random, unit: str, prefix: str) -> list[str]:
    """A statement on a blank line: indented again after the cursor's indentation, or, at
    column 0, without its indentation or one step deeper."""
    if prefix:
        return [(prefix if rng.random() < 0.6 else unit) + lines[0], *lines[1:]]
    if _indent(lines[0]) and rng.random() < 0.6:
        return _shift(lines, 0, "", len(_indent(lines[0])))
    return _shift(lines, 0, unit, 0)


def indent_shift(code: Code, cut: Cut, rng: random.Random, unit: str) -> bool:
    """The answer's lines start off by a step: one step too deep, flattened to the left margin
    (the model drops the common indentation), or only the first line off."""
    prefix = cut.lines[cut.line][: cut.character]
    lines = _lines(code.body)
    if cut.kind == "block" and len(lines) > 1 and not lines[0]:
        lines = _block(lines, rng, unit, bool(code.tail))
    elif cut.kind == "block_blank":
        lines = _block_blank(lines, rng, unit, prefix, bool(code.tail))
    elif cut.kind == "blank" and (prefix or not code.tail):
        lines = _blank(lines, rng, unit, prefix)
    else:
        return False
    changed = "\n".join(lines)
    if changed == code.body:
        return False
    code.body = changed
    return True


def _retab(lines: list[str], first: int, unit: str, width: int) -> list[str]:
    """`lines` from `first` on with their indentation in tabs (a file of spaces) or in spaces,
    `width` per tab (a file of tabs)."""
    out = lines[:first]
    for line in lines[first:]:
        lead = _indent(line)
        if unit == "\t":
            lead2 = lead.replace("\t", " " * width)
        else:
            steps, rest = divmod(len(lead.replace("\t", unit)), len(unit))
            lead2 = "\t" * steps + " " * rest
        out.append(lead2 + line[len(lead) :])
    return out


def tabs_spaces(code: Code, cut: Cut, rng: random.Random, unit: str) -> bool:
    """Tabs for the file's spaces, or spaces (2, 4 or 8 per tab) for its tabs, in the answer's
    line indentation (and in the lines it writes after the answer, alike)."""
    first = 0 if (cut.kind == "blank" and not cut.character) else 1
    width = rng.choice((4, 4, 8, 2))
    changed = "\n".join(_retab(_lines(code.body), first, unit, width))
    if changed == code.body:
        return False
    code.body = changed
    code.tail = "\n".join(_retab(_lines(code.tail), 1, unit, width))
    return True


def newline(code: Code, cut: Cut, rng: random.Random) -> bool:
    """Where the answer starts: a block body begun without its line break, or a statement that
    starts on a line of its own (never right after an echo: a model that echoes breaks the
    line)."""
    if code.lead:
        return False
    if cut.kind == "block" and code.body.startswith("\n"):
        rest = code.body[1:]
        code.body = rest if rng.random() < 0.5 else rest.lstrip(" \t")
        return True
    if cut.kind in ("block_blank", "blank") and code.body.strip():
        prefix = cut.lines[cut.line][: cut.character]
        code.body = "\n" + (prefix if rng.random() < 0.5 else "") + code.body
        return True
    return False


def echo_prefix(code: Code, cut: Cut, rng: random.Random) -> bool:
    """The text before the cursor written again: the whole line, the line without its
    indentation, or its last words."""
    prefix = cut.lines[cut.line][: cut.character]
    if not prefix.strip():
        return False
    starts = [
        i
        for i in range(len(_indent(prefix)) + 1, len(prefix))
        if prefix[i - 1] in " \t(,[{=:" and prefix[i] not in " \t"
    ]
    pick = rng.random()
    if pick < 0.35:
        piece = prefix
    elif pick < 0.65 or not starts:
        piece = prefix.lstrip(" \t")
    else:
        piece = prefix[rng.choice(starts[-3:]) :]
    code.lead += piece
    return True


def _around(lines: list[str], count: int) -> list[str]:
    """The first lines of `lines` holding `count` non-blank ones (at most five lines)."""
    out: list[str] = []
    for line in lines[:5]:
        out.append(line)
        count -= bool(line.strip())
        if count <= 0:
            return out
    return out if any(line.strip() for line in out) else []


def echo_prev(code: Code, cut: Cut, rng: random.Random) -> bool:
    """The line(s) above the cursor written again, then the cursor line from its start."""
    above = list(reversed(_around(list(reversed(cut.lines[: cut.line])), rng.choice((1, 1, 2)))))
    if not above:
        return False
    while above and not above[0].strip():
        above.pop(0)
    if rng.random() < 0.3:
        above[0] = above[0].lstrip(" \t")
    code.lead = "\n".join(above) + "\n" + cut.lines[cut.line][: cut.character]
    return True


def echo_suffix(code: Code, cut: Cut, rng: random.Random) -> bool:
    """The rest of the cursor line and/or the file's next lines written after the answer."""
    suffix = cut.lines[cut.line][cut.character :]
    after = _around(list(cut.lines[cut.line + 1 :]), rng.choice((1, 2, 3)))
    if suffix.strip():
        code.tail += suffix
        if after and rng.random() < 0.5:
            code.tail += "\n" + "\n".join(after)
        return True
    if not after:
        return False
    code.tail += "\n" + "\n".join(after)
    return True


_NOT_A_STATEMENT = ("else", "elif", "except", "finally", "end", "case", "default", "}", "catch")
_OPENERS = (
    "if ",
    "for ",
    "while ",
    "with ",
    "def ",
    "class ",
    "switch",
    "function",
    "local function",
)
_COMMENT_OR_DIRECTIVE = (
    "#",
    "//",
    "/*",
    "*",
    "--",
    ".",
    ")",
    "]",
    '"',
    "'",
    "+",
    "&",
    "|",
    "?",
    ":",
)
_OPEN_ENDS = tuple(":{(,\\+-*/=&|.[")
_TERMINATED = frozenset({"c", "cpp", "java", "javascript", "typescript"})


def _statement(lines: tuple[str, ...], at: int, language: str) -> bool:
    """Whether `lines[at]` is a whole simple statement: not a comment, an opener, a closer or a
    branch, and not the continuation of the line above."""
    stripped = lines[at].strip()
    if not stripped or len(lines[at]) > 100 or stripped.endswith(_OPEN_ENDS):
        return False
    if stripped.startswith(_NOT_A_STATEMENT + _COMMENT_OR_DIRECTIVE + _OPENERS):
        return False
    if language in _TERMINATED and not stripped.endswith(";"):
        return False
    above = next((ln for ln in reversed(lines[:at]) if ln.strip()), "")
    return not above.rstrip().endswith(_OPEN_ENDS[1:]) or above.rstrip().endswith("{")


def over_generate(code: Code, cut: Cut, rng: random.Random) -> bool:
    """More code than asked, like statements written earlier in the file: after a one-line answer
    at its depth; after a block body, past the block (at the opener's depth, after the closing
    brace in brace languages)."""
    block = cut.kind in ("block", "block_blank")
    if block and code.tail:
        return False
    opener = cut.lines[cut.line] if cut.kind != "block_blank" else cut.lines[cut.line - 1]
    depth = _indent(opener)
    if cut.kind == "blank":
        depth = cut.lines[cut.line][: cut.character] or _indent(code.body.lstrip("\n"))
    pool = [
        i
        for i, line in enumerate(cut.lines[: max(0, cut.line - 2)])
        if _indent(line) == depth and _statement(cut.lines, i, cut.language)
    ]
    if not pool:
        return False
    start = rng.choice(pool)
    borrowed = [cut.lines[start]]
    nxt = start + 1
    if nxt < cut.line - 2 and _indent(cut.lines[nxt]) == depth and rng.random() < 0.5:
        if _statement(cut.lines, nxt, cut.language):
            borrowed.append(cut.lines[nxt])
    gap = "\n\n" if rng.random() < 0.3 else "\n"
    if block and opener.rstrip().endswith("{"):
        after = cut.lines[cut.line + 1 :] if cut.kind == "block" else cut.lines[cut.line :]
        closer = next((ln for ln in after if ln.strip()), depth + "}")
        if closer.lstrip().startswith("}"):
            gap = "\n" + closer + gap
    code.tail += gap + "\n".join(borrowed)
    return True


def backticks(code: Code, cut: Cut, _rng: random.Random) -> bool:
    """A one-line answer wrapped in inline-code backticks, as in a chat message."""
    if cut.language in _NO_BACKTICKS or cut.kind not in ("eol", "mid", "blank"):
        return False
    if "`" in code.body or "\n" in code.body or code.lead or code.tail:
        return False
    if cut.kind == "blank" and not cut.character:
        return False
    code.body = "`" + code.body + "`"
    return True
