"""Chat in real headless Neovim against glm-lsp and the loopback GLM endpoint."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.glm_endpoint import GlmEndpoint
from tests.glm_replies import Reply
from tests.nvim.harness import run_nvim

ANSWER = ["It returns ", "the sum ", "of a and b.\n\n", "```python\nadd(1, 2)  # 3\n```"]
THOUGHT = ["The user asks ", "about add."]


@pytest.mark.nvim
def test_glm_chat_streams_the_answer_into_the_buffer(
    tmp_path: Path, glm_endpoint: GlmEndpoint
) -> None:
    """Ensure :GlmChat opens a markdown chat buffer beside the file in insert mode on the line
    under "## You" (keys typed at once land in the message), <C-s> sends the message typed
    there, the answer appears piece by piece (several buffer states before
    glm/chat/done) and ends exactly as the model sent it, the reasoning sits in a closed fold,
    and a new "## You" waits for the next message."""
    glm_endpoint.default = Reply.stream(ANSWER, reasoning=THOUGHT, delay=0.12)
    data = run_nvim("chat_stream.lua", tmp_path, base_url=glm_endpoint.url)

    assert data["filetype"] == "markdown"
    assert data["chat_name"].startswith("glm://chat/")
    assert data["windows"] == 2
    assert data["initial"] == ["## You", ""]
    assert data["cursor_initial"] == [2, 0]
    assert data["mode_initial"] == "i"

    (request,) = [r for r in glm_endpoint.requests if "What does add do?" in json.dumps(r.body)]
    assert request.body["stream"] is True

    final: list[str] = data["final"]
    assert final == [
        "## You",
        "What does add do?",
        "",
        "## GLM",
        "### Reasoning",
        "> The user asks about add.",
        "",
        "It returns the sum of a and b.",
        "",
        "```python",
        "add(1, 2)  # 3",
        "```",
        "",
        "## You",
        "",
    ]
    assert data["reasoning_folded"] is True
    done: dict[str, Any] = data["done"]
    assert done["finishReason"] == "stop"
    assert "error" not in done or done["error"] in (None, {})
    partial = [s for s in data["states"] if "## GLM" in s and s != "\n".join(final)]
    assert len(partial) >= 3, partial
    assert data["cursor_final"] == [len(final), 0]


@pytest.mark.nvim
def test_explain_cancel_and_reopen_a_stored_chat(tmp_path: Path, glm_endpoint: GlmEndpoint) -> None:
    """Ensure :1,2GlmExplain sends the file's lines 1-2 and streams the explanation into a new
    chat, :GlmCancel stops a running answer (the upstream stream is closed, the partial answer
    stays, marked stopped), and :GlmChatList offers the stored chat and reopens it from the
    server's history after its buffer was wiped."""

    def handler(body: Any) -> Reply | None:
        text = json.dumps(body)
        if "Tell me more" in text:
            return Reply.stream(["Partial answer", " that never ends"], delay=20.0)
        if "Explain the selected code" in text:
            return Reply.stream(["`add` returns ", "a + b."])
        return None

    glm_endpoint.handler = handler
    data = run_nvim("chat_more.lua", tmp_path, base_url=glm_endpoint.url)

    assert data["explain_opened"] == [
        "## You",
        "Explain lines 1-2 of `sample.py`.",
        "",
        "## GLM",
        "",
    ]
    explain = glm_endpoint.requests[0]
    assert "return a + b" in json.dumps(explain.body)
    question = ["## You", "Explain lines 1-2 of `sample.py`.", ""]
    answer = ["## GLM", "`add` returns a + b.", ""]
    assert data["explained"] == [*question, *answer, "## You", ""]

    assert data["cancel_done"]["finishReason"] == "cancelled"
    assert data["cancelled"] == [
        *question,
        *answer,
        "## You",
        "Tell me more",
        "",
        "## GLM",
        "Partial answer",
        "",
        "_(stopped)_",
        "",
        "## You",
        "",
    ]
    (slow,) = [r for r in glm_endpoint.requests if "Tell me more" in json.dumps(r.body)]
    assert glm_endpoint.wait_for(lambda _: slow.gone is not None, 5)

    (offered,) = data["offered"]
    assert offered.startswith("Explain sample.py lines 1-2")
    reopened = data["reopened"]
    assert reopened[1].startswith("Explain")  # the question as the server stored it
    assert reopened[:1] + reopened[2:] == [
        "## You",
        "",
        *answer,
        "## You",
        "Tell me more",
        "",
        "## GLM",
        "Partial answer",
        "",
        "## You",
        "",
    ]
