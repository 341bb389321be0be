"""The words of the `fresh5` family: what a chat model writes around a fill-in-the-middle answer.

Written for this family alone (issue 14's third unseen family): sentences, reasoning, fence
spellings, stray tokens, misspelt tags and small made-up functions, each per language where
the language matters. Nothing here is read by the code it grades.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import TypeVar

T = TypeVar("T")


def pick(rng: random.Random, items: Sequence[T]) -> T:
    """One of `items` with exactly one draw of the generator, whatever the length (so that a
    composition marked for `answer_at` consumes the same random numbers as the real one)."""
    return items[min(len(items) - 1, int(rng.random() * len(items)))]


PROSE_BEFORE = (
    "Here's the code that goes at the cursor:",
    "The missing piece is:",
    "Sure - this fills the gap:",
    "Completion:",
    "Insert the following:",
    "Based on the surrounding code, the cursor should get:",
    "OK, here is what fits there:",
    "This is the text to insert at <cursor>:",
    "Filling in the hole:",
    "Answer:",
)
"""Every sentence before the answer ends in a colon: the code visibly starts after it."""

PROSE_AFTER = (
    "This keeps the existing behaviour.",
    "Let me know if you need anything else!",
    "Note: I kept the same naming as the rest of the file.",
    "The rest of the function stays as it is.",
    "Explanation: this completes the statement using the variables already in scope.",
    "Hope this helps.",
    "(Only the inserted text is shown above.)",
    "That should compile without warnings.",
)

REASONING_TAGS = (
    ("<think>", "</think>"),
    ("<thinking>", "</thinking>"),
    ("<reasoning>", "</reasoning>"),
    ("<think>\n", "\n</think>"),
)
PLAIN_REASONING = ("Thinking: ", "Thought process: ", "**Reasoning:** ", "Analysis: ")
"""Reasoning written as a labelled paragraph instead of inside tags."""

THOUGHTS = (
    "The cursor is inside a function body; the next statement should use the names defined above.",
    "Looking at the prefix and the suffix, only one expression fits here.",
    "The user wants me to complete the code. I should output only the missing part.",
    "Let me check the indentation of the surrounding block first. OK.",
    "The suffix already closes the call, so I must not repeat the closing bracket... actually "
    "let me just write the code.",
    "",
)

FENCE_NAMES: dict[str, tuple[str, ...]] = {
    "python": ("python", "py", "Python", "python3"),
    "javascript": ("javascript", "js", "JavaScript", "node"),
    "typescript": ("typescript", "ts", "TypeScript"),
    "lua": ("lua", "Lua"),
    "c": ("c", "C", "h"),
    "cpp": ("cpp", "c++", "C++", "cxx"),
    "java": ("java", "Java"),
    "shellscript": ("bash", "sh", "shell", "zsh"),
    "go": ("go", "golang", "Go"),
    "rust": ("rust", "rs", "Rust"),
    "ruby": ("ruby", "rb", "Ruby"),
}
FENCE_MARKS = ("```", "```", "```", "~~~", "````")
FENCE_SPACE = ("", "", " ")
"""A space between the backticks and the language name, sometimes."""

END_TOKENS = (
    "<|endoftext|>",
    "<|user|>",
    "<|observation|>",
    "<|im_end|>",
    "</s>",
    "<|assistant|>",
    "<|end|>",
    "[/INST]",
    "<eos>",
)
TRAILING_GAPS = ("", "", "\n", "\n\n", " ")

TAG_SPELLINGS = (
    "<completion>",
    "<Completion>",
    "<COMPLETION >",
    "< COMPLETION>",
    "<COMPLETIONS>",
    "<COMPLETON>",
    "<COMPLETION/>",
    "<COMPLETION:>",
)
"""Opening tags that a careful reader takes for the prompt's own."""

CLOSE_SPELLINGS = (
    "</completion>",
    "</Completion>",
    "</COMPLETON>",
    "</ COMPLETION>",
    "<COMPLETION/>",
    "</COMPLETION >",
)
"""Closing tags misspelt, so the host's stop string does not end the stream at them."""

HELPER_NAMES = ("helper", "normalize", "check_bounds", "format_value", "reset_state")

NEW_FUNCTION: dict[str, str] = {
    "python": "def {name}(value):\n    return value",
    "javascript": "function {name}(value) {{\n  return value;\n}}",
    "typescript": "function {name}(value: number): number {{\n  return value;\n}}",
    "lua": "local function {name}(value)\n  return value\nend",
    "c": "static int {name}(int value)\n{{\n\treturn value;\n}}",
    "cpp": "static int {name}(int value) {{\n    return value;\n}}",
    "java": "private static int {name}(int value) {{\n    return value;\n}}",
    "shellscript": '{name}() {{\n  echo "$1"\n}}',
    "go": "func {name}(value int) int {{\n\treturn value\n}}",
    "rust": "fn {name}(value: i32) -> i32 {{\n    value\n}}",
    "ruby": "def {name}(value)\n  value\nend",
}
"""A made-up top-level function a model appends after the answer (the file's language)."""

CLOSERS = frozenset(
    {"}", "};", "})", "});", "},", ")", "]", "end", "fi", "done", "esac", "end)", "end,"}
)
"""Lines that close a block, in the languages of the corpus."""
