"""The GLM commands that act on a range: name, title, code action kind and edit action.

One table for the code action provider (which offers them) and the command handlers (which
run them and show the title in progress and status).
"""

from __future__ import annotations

import attrs
from lsprotocol import types

from glm_lsp.edits.prompts import Action

__all__ = [
    "DOCSTRING",
    "EDIT",
    "EDIT_COMMANDS",
    "EXPLAIN",
    "FIX",
    "REFACTOR",
    "SELECTION_ACTIONS",
    "TESTS",
    "RangeCommand",
]


@attrs.frozen
class RangeCommand:
    """A command taking ``{uri, range, ...}``."""

    name: str
    title: str
    kind: types.CodeActionKind | None
    """The code action kind it is offered as (None: not offered as a code action)."""
    action: Action | None = None
    """The edit it streams into the range (None: it does something else)."""


FIX = RangeCommand("glm.fix", "GLM: Fix", types.CodeActionKind.QuickFix, "fix")
EXPLAIN = RangeCommand("glm.explain", "GLM: Explain", types.CodeActionKind.Empty)
REFACTOR = RangeCommand(
    "glm.refactor", "GLM: Refactor", types.CodeActionKind.RefactorRewrite, "refactor"
)
DOCSTRING = RangeCommand(
    "glm.docstring", "GLM: Add docstring", types.CodeActionKind.RefactorRewrite, "docstring"
)
TESTS = RangeCommand("glm.tests", "GLM: Write tests", types.CodeActionKind.Source)
EDIT = RangeCommand("glm.edit", "GLM: Edit", None, "edit")

SELECTION_ACTIONS = (EXPLAIN, REFACTOR, DOCSTRING, TESTS)
"""Offered for a selection or the enclosing block, in this order (``FIX`` comes first when
there are diagnostics)."""
EDIT_COMMANDS = (EDIT, REFACTOR, FIX, DOCSTRING)
"""The commands that stream an edit into their range."""
