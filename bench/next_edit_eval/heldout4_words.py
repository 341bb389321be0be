"""The words of the `heldout4` next-edit family: what a chat model writes around a rewritten
region, in this family's own wordings (elision comments, fences, reasoning, prose, damaged tags).
Written for this family alone; nothing here is read by the code it grades.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import TypeVar

T = TypeVar("T")


def pick(rng: random.Random, items: Sequence[T]) -> T:
    """One of `items`, with exactly one draw of the generator."""
    return items[min(len(items) - 1, int(rng.random() * len(items)))]


LINE_COMMENT: dict[str, str] = {
    "python": "#",
    "ruby": "#",
    "shellscript": "#",
    "lua": "--",
    "emacs-lisp": ";;",
    "vim": '"',
}
"""The line comment of a language; the others of the corpus use `//`."""

ELISIONS = (
    "...",
    "…",
    "... unchanged",
    "… unchanged",
    "(unchanged)",
    "... existing code ...",
    "rest as before",
    "(same as above)",
    "... same as before ...",
    "lines unchanged",
    "no changes here",
    "keep the rest as is",
    "[...]",
    "etc.",
)
"""What an elision comment says, in whatever comment syntax wraps it."""

FOREIGN_COMMENTS = (("//", ""), ("#", ""), ("--", ""), ("/*", " */"), ("<!--", " -->"))
"""Comment syntaxes a model sometimes uses for an elision whatever the file's language."""

FENCE_NAMES: dict[str, tuple[str, ...]] = {
    "python": ("python", "py", "Python"),
    "javascript": ("javascript", "js", "jsx"),
    "javascriptreact": ("jsx", "javascript"),
    "typescript": ("typescript", "ts"),
    "typescriptreact": ("tsx", "typescript"),
    "go": ("go", "golang"),
    "rust": ("rust", "rs"),
    "lua": ("lua",),
    "c": ("c", "C"),
    "cpp": ("cpp", "c++"),
    "java": ("java",),
    "ruby": ("ruby", "rb"),
    "shellscript": ("bash", "sh", "shell"),
    "emacs-lisp": ("elisp", "emacs-lisp", "lisp"),
    "vim": ("vim", "viml"),
}
FENCE_MARKS = ("```", "```", "```", "~~~", "````")

REASONING = (
    ("<think>", "</think>"),
    ("<think>\n", "\n</think>"),
    ("<thinking>", "</thinking>"),
    ("<reasoning>\n", "\n</reasoning>"),
)
PLAIN_REASONING = ("Thinking: ", "Reasoning:\n", "Analysis: ", "**Thought process**\n")
THOUGHTS = (
    "The last edit renamed a field, so the remaining uses in this region should follow.",
    "The user added a parameter; the call sites below need it as well.",
    "Nothing else in the region depends on the recent edits... let me double-check. OK.",
    "I will rewrite the region and keep every other line exactly as it is.",
    "",
)
QUOTING_THOUGHT = "Line `{line}` looks related to the recent change."
"""A thought that quotes a region line in backticks."""

PROSE_BEFORE = (
    "Here is the rewritten region:",
    "Updated region:",
    "Sure! Based on your recent edits, the region becomes:",
    "The next edit continues the rename:",
    "Applying the same change here:",
    "Rewritten:",
)
PROSE_AFTER = (
    "I updated the remaining references to match your recent edit.",
    "The other lines are unchanged.",
    "Let me know if you want the same change elsewhere.",
    "This keeps the code consistent with the edit you just made.",
    "Note: no other changes were needed.",
)

OPEN_SPELLINGS = ("<Rewrite>", "<REWRITE>", "<rewrite >", "< rewrite>", "<rewritten>", "<re-write>")
CLOSE_SPELLINGS = (
    "</Rewrite>",
    "</REWRITE>",
    "</rewrite >",
    "</ rewrite>",
    "</rewritten>",
    "</rewite>",
    "<rewrite/>",
    "<rewrite>",
    "</rewrite",
)
"""Closing tags as models damage them: other case, spaces, a typo, no slash, no bracket."""
