"""Elisions in a next-edit answer: a comment standing where the model left unchanged lines out.

Models shorten a rewrite with a line such as ``# ... existing code ...``, ``// (rest
unchanged)``, ``-- keep the existing lines here`` or ``/* … */``. Read literally, that line
replaces the lines it stands for: the suggestion would delete code. An elision is recognised
by its shape, not its wording:

* **certain**: a comment (or a bare ``...``) that is only dots or an ellipsis, begins with one,
  or says the code is unchanged in the usual words (``existing code``, ``rest unchanged``);
* **likely**: a comment-only line, in any common comment syntax, whose few words speak of
  existing, unchanged, same, rest, omitted, kept... lines. It is an elision only where it
  stands for region lines the answer does not have (its neighbours are region lines with
  lines missing between them); between two neighbouring lines it is a comment the model
  added.

``elisions_filled`` puts the region's lines back in their place; where that cannot be done
with certainty the whole answer is refused (no edit: code is never deleted because it was
elided). A line the region has is code, never an elision.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from difflib import SequenceMatcher

from glm_lsp.edits.nextedit.region import Region, plain

__all__ = ["CERTAIN", "LIKELY", "elision", "elisions_filled", "indent_of", "unique"]

CERTAIN = 2
LIKELY = 1
MAX_CHARS = 100
"""Longer lines are never elisions (and the patterns below only read this much)."""
MAX_WORDS = 12
SIMILAR = 0.6
MAX_REWORDED = 8
"""Similarity at which a likely elision is an edit of the one line it would stand for."""
_LEADERS = (
    "<!--",
    "{/*",
    "/*",
    "{-",
    "(*",
    "<#",
    "//",
    "--",
    "#",
    ";",
    "%",
    "*",
    "::",
    "!",
    "rem ",
    '"',
    "'",
)
"""Comment leaders of the common languages (a quote: Vim's ``"``, Basic's ``'``, read only when
the line has no other quote of that kind: no string literal)."""
_ENDERS = ("*/}", "*/", "-->", "-}", "*)", "#>", "]]")
_DOTS = frozenset(".… ")
_CERTAIN_WORDS = re.compile(
    r"^[(\[]?\s*(?:(?:the )?rest(?: of [\w ]+)?|lines?|code|everything else|remaining [\w ]+|"
    r"other [\w ]+|existing code|same as before)?\s*(?:unchanged|as before|as is|stays the same)"
    r"\s*[)\]]?$",
    re.IGNORECASE,
)
_BARE = re.compile(
    r"^(?:(?:\.\.\.|…)\s+|[(\[](?:\.\.\.|…)?\s*)[A-Za-z][A-Za-z ]*(?:\.\.\.|…|[)\]])?$"
)
"""Words without a comment leader that are no code: ``... unchanged ...``, ``(rest unchanged)``."""
_PLAIN = re.compile(r"^[\w\s.,'’:…/-]+$")
_LIKELY_WORDS = re.compile(
    r"\b(?:existing|unchanged|unmodified|untouched|omitted|omit|omitting|elided|elide|"
    r"elision|skipped|skip|skipping|remaining|remainder|rest|same|preserved|preserve|keep|"
    r"kept|etc|snip|snipped|truncated|abbreviated|no changes?|as before|as is|as-is|"
    r"identical|intact|brevity|so on|as above|as below)\b",
    re.IGNORECASE,
)
"""Words that say lines were left as they are."""
_WEAK_WORDS = re.compile(
    r"\b(?:code|continues|continued|more|others?|implementation|details|original|above|"
    r"below|elsewhere|hidden|trimmed|previous|previously|methods|functions)\b",
    re.IGNORECASE,
)
"""Words that say so only two together (``more code here``, ``original code``): one alone
is a comment's (``VS Code converts...``)."""


def comment_text(line: str) -> tuple[str, bool] | None:
    """The words of a comment-only line (leader and closer removed), and whether a space
    follows the leader (``# words``, not ``#define``); None when the line is not a comment in
    any common syntax."""
    text = line.strip()
    lower = text.lower()
    for leader in _LEADERS:
        if lower.startswith(leader):
            if leader in "\"'" and text.count(leader) > 1:
                return None
            inner = text[len(leader) :].lstrip(leader[-1] if leader != "rem " else " ")
            spaced = leader == "rem " or inner[:1] in ("", " ", "\t")
            for ender in _ENDERS:
                if inner.endswith(ender):
                    inner = inner[: -len(ender)]
                    break
            return inner.strip(), spaced
    return None


def elision(line: str, ours: set[str]) -> int:
    """``CERTAIN``, ``LIKELY`` or 0: how surely ``line`` stands for lines the model left out
    (``ours``: the region's lines, stripped, which are code)."""
    text = line.strip()
    if not text or text in ours or len(text) > MAX_CHARS:
        return 0
    if set(text) <= _DOTS:
        return CERTAIN if text.strip(" ") in ("...", "…") else 0
    found = comment_text(text)
    if found is None:
        if not _BARE.match(text):
            return 0
        words = text.strip(".… ()[]")
        dotted = text.startswith(("...", "…"))
        return CERTAIN if _CERTAIN_WORDS.match(words) or (dotted and _said(words)) else 0
    inner, spaced = found
    core = inner.strip("()[]{}<> ")
    if not core or set(core) <= _DOTS:
        return CERTAIN if core.strip(" ") else 0
    if text.startswith("*"):
        return 0  # a line of a block comment (`` * text``): no elision in words
    if inner.startswith(("..", "…")):
        return CERTAIN
    words = inner.strip(".… ()[]")
    if _CERTAIN_WORDS.match(words) or "existing code" in words.lower():
        return CERTAIN
    return LIKELY if spaced and _said(words) else 0


def _said(words: str) -> bool:
    """A few words, no code, that speak of lines left as they are."""
    if len(words.split()) > MAX_WORDS or not _PLAIN.match(words):
        return False
    return _LIKELY_WORDS.search(words) is not None or len(_WEAK_WORDS.findall(words)) >= 2


def indent_of(line: str) -> str:
    """The leading whitespace of ``line``."""
    return line[: len(line) - len(line.lstrip(" \t"))]


def unique(line: str, lines: Sequence[str]) -> int | None:
    """Where ``line`` (indentation aside) is in ``lines``: -1 when absent, None when twice."""
    found = [i for i, x in enumerate(lines) if x.strip() == line.strip()]
    return found[0] if len(found) == 1 else (-1 if not found else None)


def elisions_filled(answer: list[str], region: Region, doc: Sequence[str]) -> list[str] | None:
    """Elision lines replaced by the region's lines they stand for: those between the answer
    lines around them, found once in the region (the region's start or end when the elision
    is the answer's first or last code, or only file lines echoed from beyond the region are
    on that side). A likely elision that the file has elsewhere, that is next to a comment line
    of the answer's own, or that stands between two neighbouring region lines (or for blank
    lines only) is kept as the comment it is. None when the place is not certain."""
    body = list(region.lines)
    ours = {line.strip() for line in body if line.strip()}
    kinds = [elision(line, ours) for line in answer]
    if not any(kinds):
        return answer
    outside = {plain(line).strip() for line in doc} - ours
    kinds = [
        LIKELY * (x.strip() not in outside) if k == LIKELY else k
        for k, x in zip(kinds, answer, strict=True)
    ]
    kinds = _in_comments(kinds, answer, ours)
    out: list[str] = []
    for i, line in enumerate(answer):
        if not kinds[i]:
            out.append(line)
            continue
        before = [x for x in answer[:i] if x.strip()]
        after = [x for k, x in enumerate(answer[i + 1 :], i + 1) if x.strip() and not kinds[k]]
        start = _side(before[-1:], before, body, outside)
        end = _side(after[:1], after, body, outside)
        if start is None or end is None:
            return None
        end = len(body) if end == -1 else end
        if end <= start:
            return None
        missing = body[start + 1 : end]
        if kinds[i] == LIKELY and _own_comment(line, missing):
            out.append(line)
            continue
        anchor = before[-1] if start >= 0 else after[0] if end < len(body) else None
        shift = 0
        if anchor is not None:
            shift = len(indent_of(anchor)) - len(indent_of(body[start if start >= 0 else end]))
        out.extend(_shifted(missing, shift, indent_of(anchor or "")[:1] or " "))
    return out


def _own_comment(line: str, missing: list[str]) -> bool:
    """A likely elision that stands for nothing (blank lines at most), or for lines one of
    which it is an edit of (a comment reworded, lines merged): a comment of the answer's
    own."""
    code = [x.strip() for x in missing if x.strip()]
    if not code:
        return True
    for other in code[:MAX_REWORDED]:
        matcher = SequenceMatcher(None, line.strip(), other, autojunk=False)
        if matcher.quick_ratio() >= SIMILAR and matcher.ratio() >= SIMILAR:
            return True
    return False


def _in_comments(kinds: list[int], answer: list[str], ours: set[str]) -> list[int]:
    """``kinds`` with the likely elisions next to a comment line of the answer's own (not the
    region's) taken for what they are: a line of that comment."""
    code = [i for i, line in enumerate(answer) if line.strip()]
    out = list(kinds)
    for k, i in enumerate(code):
        if kinds[i] != LIKELY:
            continue
        near = [answer[j] for j in code[max(0, k - 1) : k + 2] if j != i]
        if any(x.strip() not in ours and comment_text(x) is not None for x in near):
            out[i] = 0
    return out


def _shifted(lines: list[str], shift: int, unit: str) -> list[str]:
    """Region lines moved by ``shift`` columns, as the answer around them is (the indentation
    repair then moves them all back)."""
    if shift >= 0:
        return [unit * shift + line if line.strip() else line for line in lines]
    return [line[min(-shift, len(indent_of(line))) :] for line in lines]


def _side(near: list[str], lines: list[str], body: list[str], outside: set[str]) -> int | None:
    """The region index of the anchor next to an elision (-1 for the region's edge: no code on
    that side, or only lines of the file outside the region); None when uncertain."""
    if not near:
        return -1
    at = unique(near[0], body)
    if at is not None and at >= 0:
        return at
    if at == -1 and all(x.strip() in outside for x in lines):
        return -1
    return None
