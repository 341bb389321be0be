"""The tools the model may call during a chat turn: the read-only ones here, the write
tools (which only propose) in ``chat/write_tools.py``, ``get_diagnostics`` in
``chat/diagnostics_tool.py``.

``read_file``, ``list_files``, ``search_text`` and ``git_diff`` look at the workspace and
nothing else: paths go through ``ChatWorkspace.resolve`` (inside the workspace folders, no
escape through links), excluded files are never read (and not listed or searched), every
output is redacted and capped, and nothing is ever written. A failing call returns an error
text to the model instead of raising, so the model can correct itself.

The model chooses the patterns, so they run on RE2 (``google-re2``): linear time whatever the
pattern, where Python's ``re`` can backtrack for minutes on ``(a+)+$`` while holding the GIL.
A pattern RE2 cannot compile (back-references, look-around) is refused. Globs are translated
to RE2 too. ``search_text`` matches the redacted text of a file (redacted as a whole, so a key
block is recognised even where one line of it would not be), never the raw text: a secret
cannot be found, nor guessed one pattern at a time.

``TOOLS`` (what the model is told) is in ``chat/tool_schema.py``, the RE2 patterns in
``chat/patterns.py``.
"""

from __future__ import annotations

import asyncio
import json
import os
import time
from typing import Any

import attrs
import re2

from glm_lsp.chat.diagnostics_tool import DiagnosticsTool, EditorPort
from glm_lsp.chat.patterns import ANY_FILE, Pattern, compile_pattern, compile_whole, glob_regex
from glm_lsp.chat.tool_schema import TOOL_NAMES, TOOLS, Limits, ToolError, ToolResult
from glm_lsp.chat.workspace import ChatWorkspace, OutsideWorkspace, diff_files
from glm_lsp.chat.write_tools import WRITE_TOOL_NAMES, WriteTools
from glm_lsp.context.files import FileText
from glm_lsp.context.safepath import walk_files

__all__ = ["TOOLS", "Limits", "ToolResult", "Toolbox"]

NOISE_DIRS = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        "node_modules",
        "__pycache__",
        ".venv",
        "venv",
        ".mypy_cache",
        ".pytest_cache",
        ".ruff_cache",
        ".tox",
        ".nox",
        ".idea",
        ".gradle",
        "target",
        ".next",
    }
)


def _cap(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text.rfind("\n", 0, limit)
    return text[: cut if cut > 0 else limit] + "\n… (output truncated)"


def _short(text: str, limit: int) -> str:
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


class Toolbox:
    """Runs tool calls against one workspace."""

    def __init__(
        self,
        workspace: ChatWorkspace,
        limits: Limits | None = None,
        writer: WriteTools | None = None,
        editor: EditorPort | None = None,
    ) -> None:
        self.ws = workspace
        self.limits = limits or Limits()
        self.writer = writer
        """The write tools and the turn's draft (None: this turn cannot change files)."""
        draft = writer.draft if writer is not None else None
        self.diagnostics = DiagnosticsTool(workspace, draft, editor, self.limits)
        """``get_diagnostics``; ``editor`` asks the editor (None: it cannot be asked)."""

    async def call(self, name: str, arguments: str) -> ToolResult:
        """Run one call; never raises (errors are results the model can read)."""
        try:
            args = json.loads(arguments or "{}")
        except ValueError:
            return self._error(name, "the arguments are not valid JSON")
        if not isinstance(args, dict):
            return self._error(name, "the arguments must be a JSON object")
        try:
            found = await self._read_tool(name, args)
            if found is not None:
                return found
            if name in WRITE_TOOL_NAMES:
                if self.writer is None:
                    return self._error(name, "files cannot be changed from this chat")
                return await self.writer.call(name, args)
        except (ToolError, OutsideWorkspace) as exc:
            return self._error(name, str(exc))
        except asyncio.TimeoutError:
            return self._error(name, "it took too long; narrow it down (a path, a line range)")
        except (TypeError, ValueError) as exc:
            return self._error(name, f"bad arguments ({exc})")
        return self._error(name, f"there is no tool {name!r}; use one of {', '.join(TOOL_NAMES)}")

    async def _read_tool(self, name: str, args: dict[str, Any]) -> ToolResult | None:
        """Run a read-only tool (None: ``name`` is not one)."""
        if name == "read_file":
            return await self.read_file(**_pick(args, "path", "start_line", "end_line"))
        if name == "list_files":
            return await self.list_files(**_pick(args, "path", "glob"))
        if name == "search_text":
            return await self.search_text(
                **_pick(args, "query", "path", "glob", "regex", "case_sensitive")
            )
        if name == "git_diff":
            return await self.git_diff(**_pick(args, "path", "staged"))
        if name == "get_diagnostics":
            return await self.diagnostics.run(args.get("paths"))
        return None

    def _error(self, name: str, message: str) -> ToolResult:
        return ToolResult(f"error: {message}", _short(f"error: {message}", 120), ok=False)

    # -- read_file -----------------------------------------------------------------------------

    async def read_file(
        self, path: Any = None, start_line: Any = None, end_line: Any = None
    ) -> ToolResult:
        target = await self.ws.resolve(_text(path, "path"))
        got = await self.ws.read(target)
        seen = self.writer.draft.view(target) if self.writer is not None else None
        if seen is not None and got.text is not None:  # an earlier call of this answer changed it
            if seen[1] is None:
                raise ToolError(f"{got.shown} was deleted or renamed earlier in this answer")
            got = attrs.evolve(got, text=self.ws.redact(seen[1], target))
        elif seen is not None and seen[1] is not None and not got.excluded:  # created
            got = attrs.evolve(got, text=self.ws.redact(seen[1], target), reason=None)
        if got.text is None:
            raise ToolError(f"cannot read {got.shown}: {got.reason}")
        lines = got.text.split("\n")
        total = len(lines)
        first = max(1, _int(start_line, 1))
        last = min(total, _int(end_line, first + self.limits.read_lines - 1))
        if first > total:
            raise ToolError(f"{got.shown} has only {total} lines")
        last = min(max(last, first), first + self.limits.read_lines - 1)
        width = len(str(last))
        body = "\n".join(f"{i:>{width}}  {lines[i - 1]}" for i in range(first, last + 1))
        body = _cap(body, self.limits.result_chars)
        more = f" (file has {total} lines; ask for more with start_line)" if last < total else ""
        head = f"{got.shown} lines {first}-{last} of {total}{more}\n"
        return ToolResult(head + body, f"{got.shown} lines {first}-{last} of {total}")

    # -- list_files ----------------------------------------------------------------------------

    async def list_files(self, path: Any = None, glob: Any = None) -> ToolResult:
        base = await self.ws.resolve(_text(path, "path") if path else ".")
        pattern = self._glob(glob) if glob else None
        found = await self.ws.run(self._walk, base, pattern, self.limits.scan_files)
        entries, dirs_only, truncated = found
        allowed = await self._allowed(entries)
        hidden = len(entries) - len(allowed)
        shown = [self.ws.display(p) for p in allowed]
        shown += [self.ws.display(d) + "/" for d in dirs_only]
        shown.sort()
        total = len(shown)
        shown = shown[: self.limits.list_entries]
        notes = []
        if total > len(shown) or truncated:
            notes.append("more entries exist; narrow the path or glob")
        if hidden:
            notes.append(f"{hidden} excluded file(s) not shown")
        text = "\n".join(shown) or "(no files)"
        if notes:
            text += "\n(" + "; ".join(notes) + ")"
        where = self.ws.display(base)
        return ToolResult(_cap(text, self.limits.result_chars), f"{total} entries in {where}")

    def _glob(self, glob: Any) -> Pattern:
        text = _text(glob, "glob")
        if len(text) > self.limits.pattern_chars:
            raise ToolError(f"the glob is longer than {self.limits.pattern_chars} characters")
        return compile_pattern(glob_regex(text), case_sensitive=True, what="glob")

    def _walk(
        self, base: str, pattern: Pattern | None, limit: int
    ) -> tuple[list[str], list[str], bool]:
        if os.path.isfile(base):
            return [base], [], False
        if not os.path.isdir(base):
            raise ToolError(f"{self.ws.display(base)} does not exist")
        if pattern is None:
            files, dirs = [], []
            with os.scandir(base) as it:
                for entry in sorted(it, key=lambda e: e.name):
                    if entry.is_dir(follow_symlinks=False):
                        if entry.name not in NOISE_DIRS:
                            dirs.append(entry.path)
                    elif entry.is_file(follow_symlinks=False):
                        files.append(entry.path)
            return files, dirs, False
        out: list[str] = []
        seen = 0
        for full in walk_files(base, NOISE_DIRS):
            seen += 1
            if seen > limit:
                return out, [], True
            rel = os.path.relpath(full, base).replace(os.sep, "/")
            if pattern.fullmatch(rel) or pattern.fullmatch(os.path.basename(full)):
                out.append(full)
        return out, [], False

    async def _allowed(self, paths: list[str]) -> list[str]:
        verdicts = await self.ws.excluded_many(paths)
        return [p for p, why in zip(paths, verdicts, strict=True) if why is None]

    # -- search_text ---------------------------------------------------------------------------

    async def search_text(
        self,
        query: Any = None,
        path: Any = None,
        glob: Any = None,
        regex: Any = False,
        case_sensitive: Any = False,
    ) -> ToolResult:
        needle = _text(query, "query")
        if len(needle) > self.limits.pattern_chars:
            raise ToolError(f"the query is longer than {self.limits.pattern_chars} characters")
        pattern = needle if regex is True else re2.escape(needle)
        compiled = compile_pattern(pattern, case_sensitive=case_sensitive is True, what="query")
        only = self._glob(glob) if glob else ANY_FILE
        base = await self.ws.resolve(_text(path, "path") if path else ".")
        files, _, truncated = await self.ws.run(self._walk, base, only, self.limits.scan_files)
        allowed = await self._allowed(files)
        deadline = time.monotonic() + self.ws.io_timeout * 0.8
        hits, scanned, stopped = await self.ws.run(self._grep, allowed, compiled, deadline)
        lines = [
            f"{self.ws.display(p)}:{n}: {_short(text, self.limits.line_chars)}"
            for p, n, text in hits
        ]
        notes = []
        if len(hits) >= self.limits.matches:
            notes.append(f"first {len(hits)} matches only; narrow the query or path")
        if truncated or stopped:
            notes.append(f"searched {scanned} files only")
        text = "\n".join(lines) or "(no matches)"
        if notes:
            text += "\n(" + "; ".join(notes) + ")"
        files_hit = len({p for p, _, _ in hits})
        summary = f"{len(hits)} matches in {files_hit} files for {_short(needle, 40)!r}"
        return ToolResult(_cap(text, self.limits.result_chars), summary)

    def _grep(
        self, paths: list[str], pattern: Pattern, deadline: float
    ) -> tuple[list[tuple[str, int, str]], int, bool]:
        """Matching lines of the redacted texts (blocking; runs in a thread)."""
        hits: list[tuple[str, int, str]] = []
        scanned = 0
        open_texts = self.ws.open_texts()
        whole = compile_whole(pattern)
        for path in paths:
            if time.monotonic() > deadline:
                return hits, scanned, True
            scanned += 1
            text = open_texts.get(path)
            if text is None:
                text = _text_of(self.ws.reader(path))
            elif not text.isascii():
                # RE2 takes UTF-8: an editor's text may hold lone surrogates.
                text = text.encode("utf-8", "replace").decode("utf-8")
            if text is None or not whole.search(text):
                continue
            redacted = self.ws.redact(text, path)
            for number, line in enumerate(redacted.split("\n"), 1):
                if pattern.search(line):
                    hits.append((path, number, line))
                    if len(hits) >= self.limits.matches:
                        return hits, scanned, False
        return hits, scanned, False

    # -- git_diff ------------------------------------------------------------------------------

    async def git_diff(self, path: Any = None, staged: Any = None) -> ToolResult:
        target = await self.ws.resolve(_text(path, "path")) if path else None
        which = "staged" if staged is True else "unstaged" if staged is False else "both"
        files = await diff_files(self.ws, target, which)
        if not files:
            return ToolResult("(no uncommitted changes)", "no changes")
        parts = [f.text if f.text else f"{f.shown}: {f.note}" for f in files]
        text = _cap("\n".join(parts), self.limits.result_chars)
        return ToolResult(text, f"diff of {len(files)} file(s)")


def _text_of(found: FileText) -> str | None:
    return found.text


def _pick(args: dict[str, Any], *names: str) -> dict[str, Any]:
    return {name: args[name] for name in names if name in args and args[name] is not None}


def _text(value: Any, name: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ToolError(f"{name} must be a non-empty string")
    return value


def _int(value: Any, default: int) -> int:
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise ToolError("line numbers must be integers")
    try:
        return int(value)
    except ValueError as exc:
        raise ToolError("line numbers must be integers") from exc
