"""Ghost text in real headless Neovim against glm-lsp and the loopback GLM endpoint."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.glm_endpoint import GlmEndpoint
from tests.glm_replies import Reply
from tests.nvim.harness import run_nvim

ADD = 'def add(a, b):\n    """Return the sum of a and b."""\n    return\n'
FIB = "def fib(n):\n"
FIB_BODY = "if n < 2:\n        return n\n    return fib(n - 1) + fib(n - 2)"


def _is_inline(body: Any) -> bool:
    return "<COMPLETION>" in json.dumps(body)


def _answer(endpoint: GlmEndpoint, text: str) -> None:
    """Answer every inline-completion request with ``text`` (as GLM would: in the tags)."""

    def handler(body: Any) -> Reply | None:
        if _is_inline(body):
            return Reply.stream(["<COMPLETION>", text, "</COMPLETION>"])
        return None

    endpoint.handler = handler


def _inline_requests(endpoint: GlmEndpoint) -> int:
    return sum(1 for r in endpoint.requests if _is_inline(r.body))


@pytest.mark.nvim
def test_ghost_text_shows_and_tab_inserts_exactly_the_suggestion(
    tmp_path: Path, glm_endpoint: GlmEndpoint
) -> None:
    """Ensure typing at the end of `return` asks glm-lsp, the answer shows as an inline
    extmark right after the cursor (buffer unchanged), <C-]> hides it, the trigger key
    brings it back, and <Tab> inserts exactly " + b", leaves the cursor after it in insert
    mode and sends glm.inline.accepted with the item's id."""
    _answer(glm_endpoint, " + b")
    data = run_nvim(
        "ghost_single.lua", tmp_path, files={"ghost.py": ADD}, base_url=glm_endpoint.url
    )
    assert data["ghost"] == [{"row": 2, "col": 12, "inline": " + b", "pos": "inline", "lines": []}]
    assert data["lines_with_ghost"][2] == "    return a"
    assert data["inline_requests"] >= 1
    assert data["mode_after_dismiss"] == "i"
    assert data["lines_after_accept"] == [
        "def add(a, b):",
        '    """Return the sum of a and b."""',
        "    return a + b",
    ]
    assert data["cursor_after_accept"] == [3, 16]
    assert data["mode_after_accept"] == "i"
    (argument,) = data["accepted_arguments"]
    assert isinstance(argument["id"], str) and argument["id"]
    assert data["ghost_after_esc"] == []
    assert data["inline_requests_after_trigger"] > data["inline_requests"]
    assert data["last_trigger_kind"] == 1  # Invoked
    assert _inline_requests(glm_endpoint) >= 1


@pytest.mark.nvim
def test_multi_line_ghost_text_accepted_by_word_line_and_tab(
    tmp_path: Path, glm_endpoint: GlmEndpoint
) -> None:
    """Ensure a block suggestion on the new line of an empty function shows its first line
    inline and the others as virtual lines, <Esc> hides it and re-entering insert mode asks
    again, typing its first character consumes it, and accept word / word / line / line /
    <Tab> build exactly the suggested body in the buffer."""
    _answer(glm_endpoint, FIB_BODY)
    data = run_nvim("ghost_multi.lua", tmp_path, files={"fib.py": FIB}, base_url=glm_endpoint.url)
    rest = ["        return n", "    return fib(n - 1) + fib(n - 2)"]
    assert data["ghost"] == [
        {"row": 1, "col": 4, "inline": "if n < 2:", "pos": "inline", "lines": rest}
    ]
    assert data["ghost_after_typing"] == [
        {"row": 1, "col": 5, "inline": "f n < 2:", "pos": "inline", "lines": rest}
    ]
    pieces = data["pieces"]
    assert [p["lines"][1:] for p in pieces] == [
        ["    if"],
        ["    if n"],
        ["    if n < 2:"],
        ["    if n < 2:", "        return n"],
    ]
    assert pieces[-1]["ghost"][0]["lines"] == ["    return fib(n - 1) + fib(n - 2)"]
    assert pieces[-1]["cursor"] == [3, 16]
    assert data["lines_after_accept"] == [
        "def fib(n):",
        "    if n < 2:",
        "        return n",
        "    return fib(n - 1) + fib(n - 2)",
    ]
    assert data["cursor_after_accept"] == [4, 34]


@pytest.mark.nvim
def test_typing_cancels_the_stale_request_upstream(
    tmp_path: Path, glm_endpoint: GlmEndpoint
) -> None:
    """Ensure a keystroke made while a suggestion is being computed makes the plugin send
    $/cancelRequest for it, the server drops that upstream stream (the endpoint sees the
    client go away), and the suggestion for the new text is the one shown."""
    mark = tmp_path / "first-request"

    def handler(body: Any) -> Reply | None:
        if not _is_inline(body):
            return None
        if not mark.exists():
            mark.write_text("arrived")
            return Reply.stream(["<COMPLETION>", "never", "</COMPLETION>"], first_delay=30.0)
        return Reply.stream(["<COMPLETION>", " + b", "</COMPLETION>"])

    glm_endpoint.handler = handler
    data = run_nvim(
        "ghost_cancel.lua",
        tmp_path,
        files={"ghost.py": ADD},
        base_url=glm_endpoint.url,
        MARK=str(mark),
    )
    assert data["ghost_while_stalled"] == []
    assert data["cancels"] >= 1
    assert data["ghost"] == [{"row": 2, "col": 12, "inline": " + b", "pos": "inline", "lines": []}]
    first = next(r for r in glm_endpoint.requests if _is_inline(r.body))
    assert glm_endpoint.wait_for(lambda _: first.gone is not None, 10)


@pytest.mark.nvim
def test_typing_through_a_suggestion_is_answered_by_the_server(
    tmp_path: Path, glm_endpoint: GlmEndpoint
) -> None:
    """Ensure typing the first characters of a shown suggestion makes the plugin ask glm-lsp
    again at each keystroke (it keeps no typing-through logic of its own), each answer is the
    rest of the same suggestion drawn after the cursor, and the model is asked only once: the
    server reuses its answer. The removed option `inline.debounce_ms` is accepted, dropped and
    noted once."""
    _answer(glm_endpoint, " + b")
    data = run_nvim(
        "ghost_through.lua", tmp_path, files={"ghost.py": ADD}, base_url=glm_endpoint.url
    )
    assert [g[0]["inline"] for g in data["ghosts"]] == [" + b", "+ b", " b", "b"]
    assert [g[0]["col"] for g in data["ghosts"]] == [12, 13, 14, 15]
    asked = data["asked"]
    assert all(later > earlier for earlier, later in zip(asked, asked[1:], strict=False))
    assert data["line"] == "    return a + "
    assert _inline_requests(glm_endpoint) == 1
    assert data["options_inline_has_debounce"] is False
    notes = [m["msg"] for m in data["messages"] if "debounce_ms" in m["msg"]]
    assert len(notes) == 1
