"""The engine behind the `edit_file` tool: search/replace blocks applied to a file's text.

The model sends `edits`, a JSON list of `{"search": ..., "replace": ...}` pairs (the form
function-calling models fill most reliably), or `blocks`, text in the Aider/Cline/Continue
form::

    <<<<<<< SEARCH
    old lines
    =======
    new lines
    >>>>>>> REPLACE

Blocks apply in order, each to the text the ones before it left. Each is located by the rules
of `edit_match` (exact first, then tolerant of whitespace drift and elided context). A search
that matches more than one place, or nothing, refuses the whole edit: nothing is half-applied,
and the reason names the block and the lines (for a miss, the closest lines are quoted). The
result keeps the file's line endings; the replacement is re-indented by the shift its search
needed. No I/O and no LSP here: the caller supplies the text and writes the result.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Literal

from glm_lsp.chat import edit_match
from glm_lsp.chat.edit_match import Ambiguous, Found

Shift = Callable[[str], str]
Status = Literal["applied", "unchanged", "refused"]
_SEARCH = re.compile(r"^\s*<{5,9}\s*SEARCH\b.*$")
_DIVIDER = re.compile(r"^\s*={5,9}\s*$")
_REPLACE = re.compile(r"^\s*>{5,9}\s*REPLACE\b.*$")
_SEARCH_KEYS = ("search", "old", "old_string", "old_str", "find")
_REPLACE_KEYS = ("replace", "new", "new_string", "new_str", "replacement")
_QUOTED = 6


class EditFormatError(ValueError):
    """The `edit_file` arguments are not search/replace blocks; the message says how to fix."""


@dataclass(frozen=True)
class EditBlock:
    """One change: the text to find (`search`) and what to put in its place (`replace`)."""

    search: str
    replace: str


@dataclass(frozen=True)
class BlockOutcome:
    """What happened to block `index` (1-based): `rule` is how it was located, `lines` the
    1-based first and last lines it matched in the text as it was when it ran."""

    index: int
    status: Status
    rule: str = ""
    lines: tuple[int, int] | None = None
    reason: str = ""


@dataclass(frozen=True)
class EditResult:
    """The new text (None when refused) and one outcome per block."""

    text: str | None
    outcomes: tuple[BlockOutcome, ...]

    @property
    def applied(self) -> bool:
        return self.text is not None

    @property
    def reason(self) -> str:
        """Why the edit was refused ("" when applied)."""
        return "\n".join(o.reason for o in self.outcomes if o.status == "refused")


def _pair(item: object, number: int) -> EditBlock:
    if not isinstance(item, Mapping):
        raise EditFormatError(
            f"edit {number} is not an object: send {{'search': ..., 'replace': ...}}"
        )
    search = next((item[k] for k in _SEARCH_KEYS if k in item), None)
    replace = next((item[k] for k in _REPLACE_KEYS if k in item), None)
    if not isinstance(search, str) or not isinstance(replace, str):
        raise EditFormatError(
            f"edit {number} needs two strings, 'search' (the current lines, quoted exactly) "
            "and 'replace' (the lines to put in their place)"
        )
    return EditBlock(search, replace)


def _joined(lines: list[str]) -> str:
    return "".join(line + "\n" for line in lines)


def parse_blocks(text: str) -> list[EditBlock]:
    """The `<<<<<<< SEARCH / ======= / >>>>>>> REPLACE` blocks of `text`, in order."""
    blocks: list[EditBlock] = []
    state, search, replace = "out", [], []  # type: tuple[str, list[str], list[str]]
    for line in text.replace("\r\n", "\n").split("\n"):
        if state == "out" and _SEARCH.match(line):
            state, search, replace = "search", [], []
        elif state == "search" and _DIVIDER.match(line):
            state = "replace"
        elif state == "replace" and _REPLACE.match(line):
            blocks.append(EditBlock(_joined(search), _joined(replace)))
            state = "out"
        elif state != "out":
            (search if state == "search" else replace).append(line)
    if state != "out":
        raise EditFormatError(
            f"block {len(blocks) + 1} is not closed: end each block with '=======' between "
            "the search and the replacement and '>>>>>>> REPLACE' after it"
        )
    if not blocks:
        raise EditFormatError(
            "no search/replace block found: write '<<<<<<< SEARCH', the current lines, "
            "'=======', the new lines, '>>>>>>> REPLACE'"
        )
    return blocks


def parse_edit_arguments(arguments: Mapping[str, object]) -> list[EditBlock]:
    """The blocks of an `edit_file` call: `edits` (a list of search/replace objects),
    `blocks` (SEARCH/REPLACE text), or one `search` and `replace` at the top level."""
    edits = arguments.get("edits")
    if isinstance(edits, str):
        return parse_blocks(edits)
    if isinstance(edits, Sequence):
        if not edits:
            raise EditFormatError("'edits' is empty: send at least one {'search', 'replace'}")
        return [_pair(item, n) for n, item in enumerate(edits, 1)]
    blocks = arguments.get("blocks")
    if isinstance(blocks, str):
        return parse_blocks(blocks)
    if any(k in arguments for k in _SEARCH_KEYS):
        return [_pair(arguments, 1)]
    raise EditFormatError(
        "edit_file needs 'edits': a list of {'search': current lines, 'replace': new lines}"
    )


@dataclass
class _Text:
    """A file as lines without their endings, plus each line's ending."""

    lines: list[str]
    ends: list[str]
    eol: str

    @classmethod
    def of(cls, text: str) -> _Text:
        parts = text.split("\n")
        lines = [
            p[:-1] if p.endswith("\r") and i < len(parts) - 1 else p for i, p in enumerate(parts)
        ]
        ends = [("\r\n" if p.endswith("\r") else "\n") for p in parts[:-1]] + [""]
        crlf = sum(1 for e in ends if e == "\r\n")
        eol = "\r\n" if crlf * 2 > len(ends) - 1 and crlf else "\n"
        return cls(lines, ends, eol)

    def render(self) -> str:
        return "".join(line + end for line, end in zip(self.lines, self.ends, strict=False))

    def put(self, start: int, end: int, new: list[str]) -> None:
        """Replace lines [start, end) (end > start) by `new`; the last new line keeps the
        ending of the last replaced one, the others get the file's usual ending."""
        last = self.ends[end - 1]
        ends = [self.eol] * len(new)
        if new:
            ends[-1] = last
        elif start and not last:
            self.ends[start - 1] = ""
        self.lines[start:end] = new
        self.ends[start:end] = ends


def _split(text: str) -> list[str]:
    if not text:
        return []
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return lines[:-1] if len(lines) > 1 and lines[-1] == "" else lines


def _blank_edges(lines: list[str]) -> tuple[int, int]:
    """How many blank lines `lines` starts and ends with (an all-blank list: all leading)."""
    head = next((i for i, line in enumerate(lines) if line.strip()), len(lines))
    tail = next((i for i, line in enumerate(reversed(lines)) if line.strip()), 0)
    return head, tail


def _trimmed(search: list[str], replace: list[str]) -> tuple[list[str], list[str]] | None:
    """`search` and `replace` without the blank lines a model wraps a search in. The
    replacement must be wrapped in at least as many (else which blank lines the change
    adds or removes is unknown, and this variant is not tried)."""
    s_head, s_tail = _blank_edges(search)
    if not s_head + s_tail or s_head == len(search):
        return None
    r_head, r_tail = _blank_edges(replace)
    if r_head == len(replace):
        fits = len(replace) >= s_head + s_tail
    else:
        fits = r_head >= s_head and r_tail >= s_tail
    if not fits:
        return None
    kept = replace[s_head : len(replace) - s_tail]
    return search[s_head : len(search) - s_tail], kept


def _locate(
    lines: list[str], search: list[str], replace: list[str]
) -> tuple[edit_match.Matched, list[str], list[str]]:
    """The match and the search and replacement it was found with (blank edges trimmed)."""
    variants = [(search, replace)]
    trimmed = _trimmed(search, replace)
    if trimmed:
        variants.append(trimmed)
    for s, r in variants:
        found = edit_match.match_lines(lines, s)
        if found is not None:
            return found, s, r
    for s, r in variants:
        found = edit_match.match_elided(lines, s)
        if found is not None:
            return found, s, r
    if len(search) == 1:
        return edit_match.match_fragment(lines, search[0]), search, replace
    return None, search, replace


def _quote(lines: Sequence[str], start: int, end: int) -> str:
    shown = [f"  {n + 1}| {lines[n]}" for n in range(start, min(end, start + _QUOTED))]
    more = "\n  ..." if end - start > _QUOTED else ""
    return "\n".join(shown) + more


def _miss(number: int, lines: list[str], search: list[str]) -> BlockOutcome:
    near = edit_match.closest(lines, search)
    reason = f"block {number}: the search matches nothing in the file"
    if near is not None:
        start, end, ratio = near
        reason += (
            f"; the closest lines are {start + 1}-{end} ({ratio:.0%} alike):\n"
            f"{_quote(lines, start, end)}\nquote them exactly (read_file) and send the block again"
        )
    return BlockOutcome(number, "refused", reason=reason)


def _ambiguous(number: int, lines: list[str], found: Ambiguous) -> BlockOutcome:
    starts = ", ".join(str(s + 1) for s in found.starts[:8])
    more = f" and {len(found.starts) - 8} more" if len(found.starts) > 8 else ""
    if found.ways:
        where = (
            f"the parts around '...' fit {found.ways} ways (from line {starts}{more}); "
            "quote the lines next to each '...' so they fit one way"
        )
    else:
        where = (
            f"the search matches {len(found.starts)} places (lines {starts}{more}); "
            "add lines around it that occur only at the place to change"
        )
    reason = f"block {number}: {where}; nothing was changed"
    return BlockOutcome(number, "refused", rule=found.rule, reason=reason)


def _rewrite(
    quoted: Sequence[str], matched: Sequence[str], replace: Sequence[str], shift: Shift
) -> list[str]:
    """The replacement lines: those the model only repeated from its search come back as the
    file has them; the changed ones are re-indented (and lose trailing whitespace the
    matched lines do not have)."""
    strip = not any(line != line.rstrip() for line in matched)
    out: list[str] = []
    opcodes = SequenceMatcher(None, list(quoted), list(replace), autojunk=False).get_opcodes()
    for tag, i1, i2, j1, j2 in opcodes:
        if tag == "equal":
            out.extend(matched[i1:i2])
        else:
            out.extend(shift(r).rstrip() if strip else shift(r) for r in replace[j1:j2])
    return out


def _replacement(
    found: Found, lines: list[str], search: list[str], replace: list[str]
) -> list[str] | str:
    """The new lines for the matched span, or why the replacement cannot be placed."""
    shift = edit_match.reindenter(found.pairs) if found.pairs else (lambda line: line)
    if found.fragment:
        wanted, put = search[0], "\n".join(replace)
        if wanted not in lines[found.start]:  # found without the whitespace around it
            wanted, put = wanted.strip(), put.strip()
        return lines[found.start].replace(wanted, put, 1).split("\n")
    marked = [i for i, line in enumerate(replace) if edit_match.is_elision(line, bare=False)]
    if found.rule != "elided":
        if marked and not any(edit_match.is_elision(s, bare=False) for s in search):
            return (
                "the replacement elides code ('... existing code ...') that the search "
                "quotes; write the replacement in full"
            )
        return _rewrite(search, lines[found.start : found.end], replace, shift)
    s_parts, r_parts = edit_match.split_elided(search), edit_match.split_elided(replace)
    if len(r_parts) == 1:
        quoted = [s for s, _ in found.pairs]
        return _rewrite(quoted, [f for _, f in found.pairs], replace, shift)
    if len(r_parts) != len(s_parts) or any(
        r and not s for s, r in zip(s_parts, r_parts, strict=True)
    ):
        return (
            "the replacement elides code ('...') in other places than the search; write it in full"
        )
    new: list[str] = []
    spans = iter(found.spans)
    previous_end: int | None = None
    for s_part, r_part in zip(s_parts, r_parts, strict=True):
        if not s_part:
            continue
        start, end = next(spans)
        if previous_end is not None:
            new.extend(lines[previous_end:start])
        new.extend(_rewrite(s_part, lines[start:end], r_part, shift))
        previous_end = end
    return new


def _apply_one(text: _Text, number: int, block: EditBlock) -> BlockOutcome:
    search, replace = _split(block.search), _split(block.replace)
    if not block.search.strip():
        if any(line.strip() for line in text.lines):
            return BlockOutcome(
                number,
                "refused",
                reason=f"block {number}: the search is empty; quote the lines to change (to add "
                "lines, quote the line before them and repeat it in the replacement)",
            )
        filled = _Text.of(block.replace.replace("\r\n", "\n").replace("\n", text.eol))
        text.lines, text.ends = filled.lines, filled.ends
        return BlockOutcome(number, "applied", "empty-file", (1, max(1, len(replace))))
    found, search, replace = _locate(text.lines, search, replace)
    if found is None:
        return _miss(number, text.lines, search)
    if isinstance(found, Ambiguous):
        return _ambiguous(number, text.lines, found)
    assert isinstance(found, Found)
    new = _replacement(found, text.lines, search, replace)
    if isinstance(new, str):
        return BlockOutcome(number, "refused", found.rule, reason=f"block {number}: {new}")
    lines = (found.start + 1, found.end)
    if new == text.lines[found.start : found.end]:
        return BlockOutcome(number, "unchanged", found.rule, lines)
    text.put(found.start, found.end, new)
    return BlockOutcome(number, "applied", found.rule, lines)


def apply_edits(text: str, blocks: Sequence[EditBlock]) -> EditResult:
    """Apply `blocks` in order to `text`; any refused block refuses the whole edit."""
    current = _Text.of(text)
    outcomes = tuple(_apply_one(current, n, block) for n, block in enumerate(blocks, 1))
    if any(o.status == "refused" for o in outcomes):
        return EditResult(None, outcomes)
    return EditResult(current.render(), outcomes)
