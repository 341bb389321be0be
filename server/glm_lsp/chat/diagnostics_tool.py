"""``get_diagnostics``: what is wrong in some files, for the model to check its own edits.

Per file the model gets two things, each saying clearly which text it is about:

* the editor's diagnostics (all its language servers) of the text the editor holds: asked with
  ``glm/diagnostics`` when the client supports it, else the ones it last sent with a code action
  request. The LSP glue answers through ``EditorPort``; a client error or time-out comes back as
  ``EditorDiagnostics.problem`` and is said in the result (the turn never waits for long).
* for a file this turn changed whose proposed text differs from the editor's (review mode: the
  editor has not seen it), the syntax errors tree-sitter finds in the proposed text. With
  ``chat.autoApply`` the edits are in the editor already and its diagnostics are of them.

Paths pass the same guards as reading: inside the workspace folders, never an excluded file.
Everything returned is redacted like the rest of what the model reads. No LSP here.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any

import attrs

from glm_lsp.chat.proposals import Draft
from glm_lsp.chat.tool_schema import Limits, ToolError, ToolResult
from glm_lsp.chat.workspace import ChatWorkspace
from glm_lsp.parsing import Node, grammar_for, parse

__all__ = ["DiagnosticsTool", "EditorDiagnostics", "EditorPort", "syntax_errors"]

SEVERITY = {1: "error", 2: "warning", 3: "info", 4: "hint"}
MESSAGE_CHARS = 240
NEAR_CHARS = 40


@attrs.frozen
class EditorDiagnostics:
    """What the editor reported for the files asked about."""

    by_path: Mapping[str, Sequence[Mapping[str, Any]]]
    """LSP ``Diagnostic`` objects (JSON, 0-based lines) by absolute path."""
    source: str = "editor"
    """``editor`` (asked just now) or ``remembered`` (sent with the last code action request)."""
    problem: str | None = None
    """Why the editor could not be asked (then ``by_path`` holds the remembered ones)."""
    applied: frozenset[str] = frozenset()
    """Paths whose editor text holds this turn's edits (``chat.autoApply``)."""


EditorPort = Callable[[Sequence[str]], Awaitable[EditorDiagnostics]]
"""Asks the editor for the diagnostics of absolute paths (never raises, bounded wait)."""


def _line_of(node: Node) -> int:
    return int(node.start_point[0]) + 1


def syntax_errors(text: str, path: str, limit: int) -> tuple[list[tuple[int, str]], int] | None:
    """(line, message) of the syntax errors tree-sitter finds in ``text`` (at most ``limit``)
    and how many there are; None when ``path``'s language has no grammar (or is too long)."""
    tree = parse(text, grammar_for("", path))
    if tree is None:
        return None
    found: list[tuple[int, str]] = []
    data = text.encode("utf-8", "surrogatepass")
    stack = [tree.root_node]
    count = 0
    while stack:
        node = stack.pop()
        if node.is_missing:
            count += 1
            found.append((_line_of(node), f"missing {node.type!r}"))
            continue
        if node.type == "ERROR":
            count += 1
            near = data[node.start_byte : node.start_byte + NEAR_CHARS].decode("utf-8", "replace")
            near = " ".join(near.split())
            found.append((_line_of(node), f"syntax error near {near!r}"))
            continue  # one report per error region
        if node.has_error:
            stack.extend(reversed(node.children))
    found.sort()
    return found[:limit], count


def _diagnostic_line(diag: Mapping[str, Any]) -> str:
    span = diag.get("range") if isinstance(diag.get("range"), Mapping) else {}
    start = span.get("start") if isinstance(span, Mapping) else None
    line = start.get("line") if isinstance(start, Mapping) else None
    where = f"line {line + 1}" if isinstance(line, int) and line >= 0 else "line ?"
    severity = SEVERITY.get(diag.get("severity") or 1, "error")
    message = " ".join(str(diag.get("message", "")).split())[:MESSAGE_CHARS]
    source = diag.get("source")
    code = diag.get("code")
    tag = "/".join(str(x) for x in (source, code) if isinstance(x, (str, int)) and x != "")
    return f"{where}: {severity}: {message}" + (f" [{tag}]" if tag else "")


class DiagnosticsTool:
    """``get_diagnostics`` for one turn."""

    def __init__(
        self,
        workspace: ChatWorkspace,
        draft: Draft | None,
        editor: EditorPort | None,
        limits: Limits | None = None,
    ) -> None:
        self.ws = workspace
        self.draft = draft
        self.editor = editor
        self.limits = limits or Limits()

    async def run(self, raw_paths: Any) -> ToolResult:
        """The report for ``raw_paths`` (a list of workspace paths); raises ToolError."""
        names = _paths(raw_paths, self.limits.diagnostics_paths)
        targets: list[str] = []
        for name in names:
            path = await self.ws.resolve(name)
            if path not in targets:
                targets.append(path)
        verdicts = await self.ws.excluded_many(targets)
        allowed = [p for p, why in zip(targets, verdicts, strict=True) if why is None]
        report = (
            await self.editor(allowed)
            if self.editor is not None and allowed
            else EditorDiagnostics({}, "remembered", "the editor cannot be asked for diagnostics")
        )
        parts: list[str] = []
        if report.problem:
            parts.append(
                f"(the editor was not asked: {report.problem}; shown: the ones it sent "
                "last with a code action request, possibly outdated)"
            )
        errors = 0
        for path, why in zip(targets, verdicts, strict=True):
            if why is not None:
                parts.append(f"{self.ws.display(path)}: excluded ({why}); not checked")
                continue
            text, count = await self._file(path, report)
            errors += count
            parts.append(self.ws.redact(text, path))
        summary = f"{errors} problem(s) in {len(targets)} file(s)"
        return ToolResult(_cap("\n\n".join(parts), self.limits.result_chars), summary)

    async def _file(self, path: str, report: EditorDiagnostics) -> tuple[str, int]:
        """One file's section and how many problems it lists."""
        shown = self.ws.display(path)
        seen = self.draft.view(path) if self.draft is not None else None
        if seen is not None and seen[1] is None:
            return f"{shown}: deleted or renamed in this answer; nothing to check", 0
        buffer = await self._buffer(path)
        if buffer is None and seen is None:
            return f"{shown}: does not exist", 0
        lines = [shown + ":"]
        count = 0
        if buffer is not None:
            diags = list(report.by_path.get(path, ()))
            count += len(diags)
            what = (
                "the editor's text, which holds your applied edits"
                if (path in report.applied)
                else "the current text in the editor (without your proposed edits)"
                if (seen is not None and seen[1] != buffer)
                else "the current text in the editor"
            )
            origin = "editor" if report.source == "editor" else "editor, last reported"
            lines.append(f"  diagnostics of {what} ({origin}):")
            lines += self._listed([_diagnostic_line(d) for d in diags])
        if seen is not None and seen[1] is not None and seen[1] != buffer:
            found = await self.ws.run(
                syntax_errors, seen[1], path, self.limits.diagnostics_per_file
            )
            lines.append("  syntax errors of your proposed text (the editor has not seen it):")
            if found is None:
                lines.append("    (not checked: no grammar for this kind of file)")
            else:
                errors, total = found
                count += total
                lines += self._listed([f"line {n}: {m}" for n, m in errors], total)
        return "\n".join(lines), count

    def _listed(self, items: list[str], total: int | None = None) -> list[str]:
        total = len(items) if total is None else total
        if not total:
            return ["    (none)"]
        cap = self.limits.diagnostics_per_file
        out = [f"    {item}" for item in items[:cap]]
        if total > len(out):
            out.append(f"    … and {total - len(out)} more")
        return out

    async def _buffer(self, path: str) -> str | None:
        """The editor's text of ``path``, else the disk's (None: no such file)."""
        text = self.ws.open_texts().get(path)
        if text is not None:
            return text
        found = await self.ws.read(path)
        return found.text


def _paths(value: Any, limit: int) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not value:
        raise ToolError("paths must be a non-empty list of workspace paths")
    if len(value) > limit:
        raise ToolError(f"at most {limit} paths per call; ask for the rest in another call")
    if not all(isinstance(v, str) and v.strip() for v in value):
        raise ToolError("each path must be a non-empty string")
    return list(value)


def _cap(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    return text[:limit] + "\n… (output truncated)"
