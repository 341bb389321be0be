"""The ``glm.tests`` answer: the test code read from the model's stream, and how it is
appended to the test file."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

from glm_lsp.edits.answer import AnswerReader
from glm_lsp.edits.preparation import Refusal
from glm_lsp.edits.prompts import TESTS_TAG
from glm_lsp.llm import Collector, StreamEvent

__all__ = ["read_tests", "separator_before"]


async def read_tests(events: AsyncIterator[StreamEvent], report: Callable[[str], None]) -> str:
    """The test code in the model's answer (ending in one newline); refuses a cut-off or
    empty answer. ``report`` hears progress ("12 lines written", "thinking…")."""
    reader = AnswerReader(TESTS_TAG)

    def read_line(text: str) -> None:
        if reader.feed(text):
            report(f"{len(reader.lines)} lines written")

    answer = Collector(on_content=read_line, on_reasoning=lambda _: report("thinking…"))
    await answer.collect(events)
    reason = answer.finish_reason
    if reason not in (None, "stop"):
        raise Refusal(f"the model stopped early ({reason}); no tests were written")
    code = reader.final().strip("\n")
    if not code.strip():
        raise Refusal("the model returned no tests")
    return code + "\n"


def separator_before(existing: str) -> str:
    """What goes between a test file's text and appended tests: one blank line."""
    if not existing or existing.endswith("\n\n"):
        return ""
    return "\n" if existing.endswith("\n") else "\n\n"
