"""What the model is told about the tools and gets back: ``TOOLS``, caps, results, errors.

``TOOLS`` is fixed and serialized canonically by the request builder: the tool list is part
of the cached prompt prefix, so it must not change between requests.
"""

from __future__ import annotations

from typing import Any

import attrs

__all__ = ["TOOLS", "TOOL_NAMES", "WRITE_TOOLS", "Limits", "ToolError", "ToolResult"]


@attrs.frozen
class Limits:
    """Output caps per tool call, and the caps a turn puts on tool calls (``chat/turn.py``)."""

    result_chars: int = 16_000
    read_lines: int = 400
    list_entries: int = 300
    matches: int = 60
    scan_files: int = 3_000
    line_chars: int = 240
    pattern_chars: int = 1_000
    calls_per_step: int = 16
    """Tool calls run per model request; the rest are answered with an error naming the cap."""
    turn_output_chars: int = 64_000
    """Tool output per turn; past it every tool answers "budget exhausted"."""
    diagnostics_paths: int = 20
    """Files one ``get_diagnostics`` call may name."""
    diagnostics_per_file: int = 40
    """Diagnostics (and syntax errors) listed per file; the rest are counted."""


@attrs.frozen
class ToolResult:
    """What the model gets back (``text``) and the one line the user sees (``summary``)."""

    text: str
    summary: str
    ok: bool = True


def _fn(name: str, description: str, properties: dict[str, Any], required: list[str]) -> Any:
    return {
        "type": "function",
        "function": {
            "name": name,
            "description": description,
            "parameters": {"type": "object", "properties": properties, "required": required},
        },
    }


TOOLS: list[dict[str, Any]] = [
    _fn(
        "read_file",
        "Read a text file of the workspace, with line numbers. Large files come in parts: "
        "ask for a line range.",
        {
            "path": {"type": "string", "description": "Path relative to the workspace folder"},
            "start_line": {"type": "integer", "description": "First line (1-based)"},
            "end_line": {"type": "integer", "description": "Last line (inclusive)"},
        },
        ["path"],
    ),
    _fn(
        "list_files",
        "List files of a workspace directory; with a glob, search for matching files below it.",
        {
            "path": {"type": "string", "description": "Directory (default: the workspace)"},
            "glob": {"type": "string", "description": "Pattern like **/*.py or src/*test*"},
        },
        [],
    ),
    _fn(
        "search_text",
        "Search the workspace's text files for a string (or a regular expression, RE2 syntax); "
        "returns matching lines as path:line: text.",
        {
            "query": {"type": "string"},
            "path": {"type": "string", "description": "Directory or file to search in"},
            "glob": {"type": "string", "description": "Only files matching, like **/*.py"},
            "regex": {"type": "boolean", "description": "Treat the query as a regex"},
            "case_sensitive": {"type": "boolean"},
        },
        ["query"],
    ),
    _fn(
        "git_diff",
        "Show uncommitted changes (working tree and staged) as a unified diff.",
        {
            "path": {"type": "string", "description": "Limit to this file or directory"},
            "staged": {"type": "boolean", "description": "Only staged (true) or unstaged"},
        },
        [],
    ),
    _fn(
        "get_diagnostics",
        "The problems of files: the editor's diagnostics (errors and warnings of its language "
        "servers) for the text it holds, and, for a file you changed in this answer, the syntax "
        "errors of your proposed text. Use it after edit_file to check and fix your change.",
        {
            "paths": {
                "type": "array",
                "items": {"type": "string"},
                "description": "Paths relative to the workspace folder",
            },
        },
        ["paths"],
    ),
]
WRITE_TOOLS: list[dict[str, Any]] = [
    _fn(
        "edit_file",
        "Change an existing file with search/replace blocks. Each search quotes the current "
        "lines exactly (enough of them to be unique); each replace gives the lines to put in "
        "their place. Blocks apply in order. Nothing is written: the change is proposed to the "
        "user at the end of your answer; later tool calls see the proposed text.",
        {
            "path": {"type": "string", "description": "Path relative to the workspace folder"},
            "edits": {
                "type": "array",
                "description": "The changes, in order",
                "items": {
                    "type": "object",
                    "properties": {
                        "search": {"type": "string", "description": "Current lines, exactly"},
                        "replace": {"type": "string", "description": "The new lines"},
                    },
                    "required": ["search", "replace"],
                },
            },
        },
        ["path", "edits"],
    ),
    _fn(
        "create_file",
        "Create a new file with the given content (proposed to the user, not written yet).",
        {
            "path": {"type": "string", "description": "Path relative to the workspace folder"},
            "content": {"type": "string", "description": "The whole text of the file"},
        },
        ["path", "content"],
    ),
    _fn(
        "delete_file",
        "Delete a file (proposed to the user, not done yet).",
        {"path": {"type": "string", "description": "Path relative to the workspace folder"}},
        ["path"],
    ),
    _fn(
        "rename_file",
        "Rename or move a file (proposed to the user, not done yet).",
        {
            "path": {"type": "string", "description": "The file's current path"},
            "new_path": {"type": "string", "description": "Its new path"},
        },
        ["path", "new_path"],
    ),
]
"""The write tools (``chat/write_tools.py``), offered after the read-only ones."""
TOOLS += WRITE_TOOLS
TOOL_NAMES = tuple(t["function"]["name"] for t in TOOLS)


class ToolError(Exception):
    """A tool call that cannot be done; the message goes back to the model."""
