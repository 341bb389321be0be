"""Command arguments and editor diagnostics, checked once at the edge.

Every command takes one JSON object. A bad one raises ``ValueError`` naming what is wrong
(``rpc_errors.argument_errors`` answers it as ``InvalidParams``; the edit commands return
it as their ``reason``). Diagnostics, sent with a command or remembered from a code action
request, are read here into ``EditorDiagnostic`` with one set of severity labels, then
handed to the engines as their own plain types (``edits.DiagnosticNote``,
``chat.Diagnostic``) with columns in code points.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import attrs

from glm_lsp.chat.attach import Diagnostic
from glm_lsp.edits.prompts import DiagnosticNote
from glm_lsp.text import well_formed

__all__ = [
    "SEVERITIES",
    "EditorDiagnostic",
    "RangeArgs",
    "chat_diagnostics",
    "command_object",
    "diagnostic_notes",
    "optional_range",
    "parse_diagnostics",
    "parse_range_args",
    "text_field",
]

SEVERITIES = {1: "error", 2: "warning", 3: "information", 4: "hint"}
"""LSP's ``DiagnosticSeverity`` numbers and the one label each has in prompts."""

Range = tuple[int, int, int, int]
"""(start line, start character, end line, end character) in client units."""


@attrs.frozen
class EditorDiagnostic:
    """One diagnostic as the editor reported it (position in client units)."""

    line: int
    character: int
    message: str
    severity: str | None
    """A label from ``SEVERITIES``; None when the editor gave none."""
    source: str | None = None
    code: str | None = None


@attrs.frozen
class RangeArgs:
    """``{uri, range, instruction?, diagnostics?}`` with positions as (line, character)."""

    uri: str
    start: tuple[int, int]
    end: tuple[int, int]
    instruction: str | None = None
    diagnostics: tuple[EditorDiagnostic, ...] = ()


def command_object(args: tuple[Any, ...]) -> dict[str, Any]:
    """The command's one object argument ({} when none was sent)."""
    arg = args[0] if args else {}
    if arg is None:
        return {}
    if not isinstance(arg, dict):
        raise ValueError("the command takes one object argument")
    return arg


def text_field(arg: Mapping[str, Any], key: str, *, required: bool = False) -> str | None:
    """``arg[key]`` as well-formed text; None when absent and not required."""
    value = arg.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, str) or (required and not value.strip()):
        raise ValueError(f"{key} must be a non-empty string")
    return well_formed(value)


def optional_range(value: Any) -> Range | None:
    """A ``{start, end}`` range (start first), or None when absent."""
    if value is None:
        return None
    try:
        start, end = value["start"], value["end"]
        numbers = (start["line"], start["character"], end["line"], end["character"])
    except (KeyError, TypeError) as exc:
        raise ValueError("range must be {start: {line, character}, end: ...}") from exc
    if not all(isinstance(n, int) and not isinstance(n, bool) and n >= 0 for n in numbers):
        raise ValueError("range positions must be non-negative integers")
    first, last = (numbers[0], numbers[1]), (numbers[2], numbers[3])
    if last < first:
        first, last = last, first
    return (first[0], first[1], last[0], last[1])


def _position(value: Any, name: str) -> tuple[int, int]:
    if not isinstance(value, Mapping):
        raise ValueError(f"range.{name} must be an object {{line, character}}")
    line, character = value.get("line"), value.get("character")
    if not isinstance(line, int) or not isinstance(character, int) or line < 0 or character < 0:
        raise ValueError(f"range.{name} needs non-negative integers line and character")
    return line, character


def _instruction(raw: Mapping[str, Any], needs_instruction: bool) -> str | None:
    instruction = raw.get("instruction")
    if instruction is not None and not isinstance(instruction, str):
        raise ValueError("argument instruction must be a string")
    if instruction is not None:
        instruction = well_formed(instruction)
    if needs_instruction and not (instruction or "").strip():
        raise ValueError("glm.edit needs an instruction saying what to change")
    return instruction


def parse_range_args(raw: Any, *, needs_instruction: bool = False) -> RangeArgs:
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
    instruction = _instruction(raw, needs_instruction)
    diagnostics = raw.get("diagnostics") or ()
    if not isinstance(diagnostics, Sequence) or isinstance(diagnostics, str):
        raise ValueError("argument diagnostics must be a list of LSP diagnostics")
    return RangeArgs(uri, start, end, instruction, parse_diagnostics(diagnostics))


def _whole(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _label(value: Any) -> str | None:
    return None if value in (None, "") else str(value)


def parse_diagnostics(raw: Sequence[Any]) -> tuple[EditorDiagnostic, ...]:
    """LSP diagnostics (JSON); entries without a message or a range are skipped."""
    found: list[EditorDiagnostic] = []
    for diag in raw:
        if not isinstance(diag, Mapping):
            continue
        message, span = diag.get("message"), diag.get("range")
        if not isinstance(message, str) or not isinstance(span, Mapping):
            continue
        start = span.get("start")
        start = start if isinstance(start, Mapping) else {}
        severity = diag.get("severity")
        found.append(
            EditorDiagnostic(
                _whole(start.get("line")),
                _whole(start.get("character")),
                well_formed(message.strip()),
                SEVERITIES.get(severity) if isinstance(severity, int) else None,
                _label(diag.get("source")),
                _label(diag.get("code")),
            )
        )
    return tuple(found)


def diagnostic_notes(diagnostics: Sequence[EditorDiagnostic]) -> tuple[DiagnosticNote, ...]:
    """Diagnostics as the edit prompt's notes, in line order (no severity reads as error)."""
    notes = [
        DiagnosticNote(d.line, d.message, d.severity or "error", d.source, d.code)
        for d in diagnostics
    ]
    return tuple(sorted(notes, key=lambda note: note.line))


def chat_diagnostics(
    diagnostics: Sequence[EditorDiagnostic], column: Callable[[int, int], int]
) -> tuple[Diagnostic, ...]:
    """Diagnostics for a chat turn; ``column(line, character)`` gives the code-point column."""
    return tuple(
        Diagnostic(d.line, column(d.line, d.character), d.message, d.severity, d.source, d.code)
        for d in diagnostics
    )
