"""Code actions that rewrite a range: prompts, answer extraction, minimal diffs, streaming.

No LSP imports: ``features/code_actions.py`` and ``features/edit_commands.py`` are the glue.
``StreamingEdit`` is the heart: it streams a model's rewrite into the editor as versioned edits
without ever overwriting text the user typed meanwhile (see docs/edits.md).
"""

from __future__ import annotations

from glm_lsp.edits.answer import AnswerReader, Shape
from glm_lsp.edits.prompts import DiagnosticNote, EditTask, TestsTask, edit_request, tests_request
from glm_lsp.edits.scope import enclosing_block, whole_lines
from glm_lsp.edits.stream import Editor, EditStats, Outcome, StreamingEdit
from glm_lsp.edits.testfile import TestTarget, locate_test_file
from glm_lsp.edits.tracker import Change, DocTracker, Edit

__all__ = [
    "AnswerReader",
    "Change",
    "DiagnosticNote",
    "DocTracker",
    "Edit",
    "EditStats",
    "EditTask",
    "Editor",
    "Outcome",
    "Shape",
    "StreamingEdit",
    "TestTarget",
    "TestsTask",
    "edit_request",
    "enclosing_block",
    "locate_test_file",
    "tests_request",
    "whole_lines",
]
