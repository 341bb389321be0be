"""Prompts for the code actions: the model returns the replacement only, inside tags.

One static system message per kind of answer (so the host's prefix cache reuses it), then one
user message: repository context first (diff, related code), then the file around the range,
the range itself in ``<SELECTION>``, diagnostics for ``fix``, and the instruction last. Tags
follow Tabby's edit prompt (anchors.md §2.3); the answer tag doubles as the stop word.
"""

from __future__ import annotations

from typing import Literal

import attrs

from glm_lsp.llm import ChatRequest

__all__ = [
    "ACTIONS",
    "ANSWER_TAG",
    "TESTS_TAG",
    "Action",
    "DiagnosticNote",
    "EditTask",
    "TestsTask",
    "edit_request",
    "tests_request",
]

Action = Literal["edit", "refactor", "fix", "docstring"]

ANSWER_TAG = "REPLACEMENT"
TESTS_TAG = "TESTS"

ACTIONS: dict[Action, str] = {
    "edit": "Rewrite the selection as the instruction says.",
    "refactor": (
        "Refactor the selection: make it clearer and simpler (naming, structure, duplication, "
        "idioms of the language) without changing what it does. Keep its public names and "
        "signatures."
    ),
    "fix": (
        "Fix the problems in the selection that the diagnostics below report. Change only what "
        "the fix needs."
    ),
    "docstring": (
        "Add documentation to the function, class or code in the selection, in the convention "
        "of the language (Python docstring, JSDoc, Go doc comment, Rust ///, Javadoc, ...). "
        "Describe what it does, its parameters and its result. Change no code."
    ),
}

EDIT_SYSTEM = f"""\
You are an expert programmer editing code inside the user's editor. The user message shows \
part of a file with the code to change between <SELECTION> and </SELECTION>, and says what to \
do in <INSTRUCTION>.

Reply with the complete new text for the selection only, between <{ANSWER_TAG}> and \
</{ANSWER_TAG}>. Rules:
- Only the replacement goes inside the tags: no markdown fences, no line numbers, no \
explanation before or after.
- The replacement takes the place of the selection exactly: do not repeat code from before or \
after it.
- Keep the selection's indentation and line-break style; leave lines you do not need to change \
exactly as they are.
- If nothing should change, repeat the selection unchanged.
"""

TESTS_SYSTEM = f"""\
You are an expert programmer writing unit tests. The user message shows code from a file \
between <SELECTION> and </SELECTION>, where the tests go, and the test file's current content \
if it exists.

Reply with test code only, between <{TESTS_TAG}> and </{TESTS_TAG}>: no markdown fences, no \
explanation. Use the test framework and style of the existing test file, or the language's \
usual one. Cover normal cases, edge cases and errors. Tests must be deterministic.
"""


@attrs.frozen
class DiagnosticNote:
    """A diagnostic in the range, as the prompt shows it (``line`` is 0-based)."""

    line: int
    message: str
    severity: str = "error"
    source: str | None = None
    code: str | None = None

    def render(self) -> str:
        """One line: ``line 12: error: message (source code)``."""
        origin = " ".join(part for part in (self.source, self.code) if part)
        suffix = f" ({origin})" if origin else ""
        return f"line {self.line + 1}: {self.severity}: {self.message}{suffix}"


@attrs.frozen
class EditTask:
    """Everything the edit prompt shows; ``prefix``/``suffix`` are the file around the range."""

    action: Action
    path: str
    language_id: str
    prefix: str
    selection: str
    suffix: str
    first_line: int
    """Document line (0-based) where ``selection`` begins."""
    instruction: str | None = None
    diagnostics: tuple[DiagnosticNote, ...] = ()
    context: str = ""
    """Rendered repository context (``<context ...>`` blocks) or empty."""


@attrs.frozen
class TestsTask:
    """What the tests prompt shows."""

    path: str
    language_id: str
    selection: str
    test_path: str
    test_exists: bool
    test_content: str = ""
    import_hint: str | None = None
    context: str = ""


def _file_block(path: str, language_id: str, prefix: str, selection: str, suffix: str) -> str:
    return (
        f'<FILE path="{path}" language="{language_id}">\n'
        f"{prefix}<SELECTION>{selection}</SELECTION>{suffix}\n"
        "</FILE>\n"
    )


def _max_tokens(text: str, thinking: bool | None) -> int:
    estimate = len(text) // 3 + 1
    room = 2048 + estimate * 3 + (0 if thinking is False else 8192)
    return min(room, 32768)


def edit_messages(task: EditTask) -> list[dict[str, str]]:
    """The system and user messages for one edit."""
    parts: list[str] = []
    if task.context:
        parts.append(f"Context from the repository:\n{task.context}")
    parts.append(_file_block(task.path, task.language_id, task.prefix, task.selection, task.suffix))
    if task.diagnostics:
        notes = "\n".join(note.render() for note in task.diagnostics)
        parts.append(f"<DIAGNOSTICS>\n{notes}\n</DIAGNOSTICS>\n")
    instruction = ACTIONS[task.action]
    if task.instruction:
        instruction = f"{instruction}\nInstruction: {task.instruction.strip()}"
    lines = task.selection.count("\n") + 1
    parts.append(
        f"<INSTRUCTION>\n{instruction}\n</INSTRUCTION>\n"
        f"The selection starts at line {task.first_line + 1} and spans {lines} line(s). "
        f"Answer with <{ANSWER_TAG}>the new selection</{ANSWER_TAG}>."
    )
    return [
        {"role": "system", "content": EDIT_SYSTEM},
        {"role": "user", "content": "\n".join(parts)},
    ]


def edit_request(task: EditTask, *, model: str, thinking: bool | None) -> ChatRequest:
    """The chat request for one edit (thinking as ``chat.thinking`` says)."""
    return ChatRequest(
        messages=edit_messages(task),
        model=model,
        thinking=thinking,
        max_tokens=_max_tokens(task.selection, thinking),
        stop=[f"</{ANSWER_TAG}>"],
    )


def tests_messages(task: TestsTask) -> list[dict[str, str]]:
    """The system and user messages for writing tests."""
    parts: list[str] = []
    if task.context:
        parts.append(f"Context from the repository:\n{task.context}")
    parts.append(
        f'<FILE path="{task.path}" language="{task.language_id}">\n'
        f"<SELECTION>{task.selection}</SELECTION>\n</FILE>\n"
    )
    if task.import_hint:
        parts.append(f"Import it in the tests as: {task.import_hint}\n")
    if task.test_exists:
        parts.append(
            f'<TESTFILE path="{task.test_path}">\n{task.test_content}</TESTFILE>\n'
            "Write only the new tests to append at the end of this file (add any import they "
            "need that the file lacks at the top of your answer)."
        )
    else:
        parts.append(
            f"The test file {task.test_path} does not exist yet. Write its complete content."
        )
    return [
        {"role": "system", "content": TESTS_SYSTEM},
        {"role": "user", "content": "\n".join(parts)},
    ]


def tests_request(task: TestsTask, *, model: str, thinking: bool | None) -> ChatRequest:
    """The chat request for writing tests."""
    return ChatRequest(
        messages=tests_messages(task),
        model=model,
        thinking=thinking,
        max_tokens=_max_tokens(task.selection + task.selection, thinking),
        stop=[f"</{TESTS_TAG}>"],
    )
