"""The commands' arguments, checked, and the file window shown around the range.

Arguments arrive as JSON (``{uri, range, instruction?, diagnostics?}``); a bad one becomes a
``ValueError`` whose message names what is wrong, which the command returns as its ``reason``.
Positions stay in the client's units here; the glue converts them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import attrs

from glm_lsp.edits.prompts import DiagnosticNote
from glm_lsp.text import well_formed

__all__ = ["RangeArgs", "diagnostic_notes", "local_window", "parse_args"]

SEVERITIES = {1: "error", 2: "warning", 3: "information", 4: "hint"}


@attrs.frozen
class RangeArgs:
    """``{uri, range, instruction?, diagnostics?}`` with positions as (line, character)."""

    uri: str
    start: tuple[int, int]
    end: tuple[int, int]
    instruction: str | None = None
    diagnostics: tuple[Mapping[str, Any], ...] = ()


def _position(value: Any, name: str) -> tuple[int, int]:
    if not isinstance(value, Mapping):
        raise ValueError(f"range.{name} must be an object {{line, character}}")
    line, character = value.get("line"), value.get("character")
    if not isinstance(line, int) or not isinstance(character, int) or line < 0 or character < 0:
        raise ValueError(f"range.{name} needs non-negative integers line and character")
    return line, character


def parse_args(raw: Any, *, needs_instruction: bool = False) -> RangeArgs:
    """The checked arguments of ``glm.edit``/``refactor``/``fix``/``docstring``/``tests``."""
    if not isinstance(raw, Mapping):
        raise ValueError("the command takes one object argument {uri, range}")
    uri = raw.get("uri")
    if not isinstance(uri, str) or not uri:
        raise ValueError("argument uri is missing")
    span = raw.get("range")
    if not isinstance(span, Mapping):
        raise ValueError("argument range is missing: {start: {line, character}, end: {...}}")
    start, end = _position(span.get("start"), "start"), _position(span.get("end"), "end")
    if end < start:
        start, end = end, start
    instruction = raw.get("instruction")
    if instruction is not None and not isinstance(instruction, str):
        raise ValueError("argument instruction must be a string")
    if instruction is not None:
        instruction = well_formed(instruction)
    if needs_instruction and not (instruction or "").strip():
        raise ValueError("glm.edit needs an instruction saying what to change")
    diagnostics = raw.get("diagnostics") or ()
    if not isinstance(diagnostics, Sequence) or isinstance(diagnostics, str):
        raise ValueError("argument diagnostics must be a list of LSP diagnostics")
    kept = tuple(d for d in diagnostics if isinstance(d, Mapping))
    return RangeArgs(uri, start, end, instruction, kept)


def diagnostic_notes(diagnostics: Sequence[Mapping[str, Any]]) -> tuple[DiagnosticNote, ...]:
    """LSP diagnostics (JSON) as prompt notes, in line order."""
    notes: list[DiagnosticNote] = []
    for diag in diagnostics:
        message = diag.get("message")
        span = diag.get("range")
        if not isinstance(message, str) or not isinstance(span, Mapping):
            continue
        start = span.get("start")
        line = start.get("line") if isinstance(start, Mapping) else None
        severity = SEVERITIES.get(diag.get("severity") or 1, "error")
        source, code = diag.get("source"), diag.get("code")
        notes.append(
            DiagnosticNote(
                line if isinstance(line, int) else 0,
                well_formed(message.strip()),
                severity,
                source if isinstance(source, str) else None,
                None if code is None else str(code),
            )
        )
    return tuple(sorted(notes, key=lambda note: note.line))


def local_window(
    text: str, start: int, end: int, *, before: int = 80, after: int = 40, max_chars: int = 12000
) -> tuple[str, str]:
    """Up to ``before`` lines above the range and ``after`` below, within ``max_chars`` each."""
    prefix_start = start
    for _ in range(before):
        found = text.rfind("\n", 0, max(prefix_start - 1, 0))
        if found < 0 or prefix_start <= 0:
            prefix_start = 0
            break
        prefix_start = found + 1
    prefix_start = max(prefix_start, start - max_chars)
    suffix_end = end
    for _ in range(after):
        found = text.find("\n", suffix_end)
        if found < 0:
            suffix_end = len(text)
            break
        suffix_end = found + 1
    suffix_end = min(suffix_end, end + max_chars)
    return text[prefix_start:start], text[end:suffix_end]
