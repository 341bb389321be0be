"""The fill-the-hole prompt: stable first, volatile last, one stop string, budgets per mode."""

from __future__ import annotations

from glm_lsp.inline.extract import HOLE_MARKER, STOP_TAG
from glm_lsp.inline.hole import Hole, Mode
from glm_lsp.inline.prompt import MAX_TOKENS, SYSTEM_PROMPT, build_prompt
from glm_lsp.inline.trigger import analyze

CURSOR = "║"


def at(document: str, language: str = "python", path: str = "pkg/mod.py") -> Hole:
    before, after = document.split(CURSOR)
    lines = (before + after).split("\n")
    column = len(before) - (before.rfind("\n") + 1)
    return analyze(lines, before.count("\n"), column, language=language, path=path)


def user_text(hole: Hole, context: list[tuple[str, str]] | None = None) -> str:
    return build_prompt(hole, context or []).messages[1]["content"]


def test_messages_stop_and_budget() -> None:
    """A static system message, one user message, the closing tag as the one stop string and a
    token budget per mode that the caller can override."""
    single = build_prompt(at("total = ║\n"))
    multi = build_prompt(at("def f(x):║\n"))
    assert [m["role"] for m in single.messages] == ["system", "user"]
    assert single.messages[0]["content"] == SYSTEM_PROMPT == multi.messages[0]["content"]
    assert single.stop == multi.stop == STOP_TAG
    assert single.max_tokens == MAX_TOKENS[Mode.SINGLE_LINE]
    assert multi.max_tokens == MAX_TOKENS[Mode.MULTI_LINE]
    assert build_prompt(at("total = ║\n"), max_tokens=12).max_tokens == 12
    assert 0 < single.temperature <= 0.6


def test_the_file_carries_the_marker_at_the_cursor_with_hints() -> None:
    """The query holds the code with the marker exactly at the cursor, plus path, language,
    mode and indentation hints."""
    text = user_text(at("def f(x):\n    ║\n", path="src/app.py"))
    assert f"def f(x):\n    {HOLE_MARKER}\n" in text
    assert text.count(HOLE_MARKER) == 2
    assert '<QUERY path="src/app.py" language="python" mode="block">' in text
    assert "Indentation: " in text and "(block)" in text
    assert 'mode="single line"' in user_text(at("total = ║\n"))


def test_context_comes_first_in_the_given_order_within_budget() -> None:
    """Context snippets precede the file, in the engine's order; ones that do not fit are
    skipped; empty ones are dropped."""
    hole = at("total = ║\n")
    context = [("b/second.py", "B = 2"), ("a/first.py", "A = 1"), ("empty.py", "  ")]
    text = user_text(hole, context)
    assert text.index("b/second.py") < text.index("a/first.py") < text.index("<QUERY")
    assert "empty.py" not in text
    big = build_prompt(hole, [("big.py", "x" * 9000), ("small.py", "y = 1")], context_chars=8000)
    content = big.messages[1]["content"]
    assert "big.py" not in content and "small.py" in content


def test_same_input_same_prompt() -> None:
    """No timestamps, ids or randomness: the same hole gives byte-identical messages."""
    hole = at("def f(x):\n    ║\n")
    assert build_prompt(hole, [("a.py", "A = 1")]) == build_prompt(hole, [("a.py", "A = 1")])


def test_typing_on_a_line_keeps_the_start_of_the_prompt() -> None:
    """In a long file the prefix window starts on a stepped line: typing on the cursor line does
    not change anything before it, so the provider's prefix cache keeps hitting."""
    lines = [f"value_{n} = compute({n})" for n in range(3000)]
    first = build_prompt(analyze([*lines, "total = "], 3000, 8), prefix_chars=4000)
    second = build_prompt(analyze([*lines, "total = ab"], 3000, 10), prefix_chars=4000)
    a, b = first.messages[1]["content"], second.messages[1]["content"]
    head = a[: a.index("total = ")]
    assert b.startswith(head)
    assert len(head) <= 4000 + 200


def test_a_file_that_contains_the_marker_gets_another_one() -> None:
    """Editing this very kind of prompt: the marker in the file is not mistaken for the hole."""
    prompt = build_prompt(at(f'MARKER = "{HOLE_MARKER}"\nx = ║\n'))
    assert prompt.marker != HOLE_MARKER
    assert prompt.messages[1]["content"].count(prompt.marker) == 2


def test_system_prompt_shows_a_mid_line_hole_with_code_after_it() -> None:
    """Mid-line holes with real code after the cursor get requests: the worked examples show
    that only the text between goes in the answer (`round(apply_discount(|), 2)`)."""
    assert f"round(apply_discount({HOLE_MARKER}), 2)" in SYSTEM_PROMPT
    assert "<COMPLETION>price, rate</COMPLETION>" in SYSTEM_PROMPT
