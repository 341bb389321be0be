"""Message assembly: what reasoning is resent where, complete turns, trimming to the window."""

from __future__ import annotations

import pytest

from glm_lsp.chat.conversation import (
    ContextOverflow,
    assistant_message,
    complete_turns,
    fit_window,
    plan_for,
    replay,
    request_extra,
)
from glm_lsp.chat.records import StoredMessage
from glm_lsp.chat.store import encode
from glm_lsp.settings import structure_settings


def plan(**raw: object):  # type: ignore[no-untyped-def]
    return plan_for(structure_settings(raw))


def user(turn: str, text: str) -> StoredMessage:
    return StoredMessage(turn, "user", encode({"role": "user", "content": text}))


def tool_turn(turn: str) -> list[StoredMessage]:
    call = {"id": "c1", "type": "function", "function": {"name": "read_file", "arguments": "{}"}}
    return [
        user(turn, "q"),
        assistant_message(turn, "", "look first", [call]),
        StoredMessage(turn, "tool", encode({"role": "tool", "tool_call_id": "c1", "content": "x"})),
        assistant_message(turn, "answer", "final thought"),
    ]


def test_coding_plan_glm47_preserves_thinking() -> None:
    """Ensure zai-coding with GLM-4.7 sends clear_thinking false and resends all reasoning."""
    p = plan(provider="zai-coding", model="glm-4.7")
    assert p.preserved_thinking and p.interleaved_reasoning
    assert request_extra(p) == {"thinking": {"type": "enabled", "clear_thinking": False}}
    sent = replay([tool_turn("t")], p)
    assert sent[1]["reasoning_content"] == "look first"
    final = {"role": "assistant", "content": "answer", "reasoning_content": "final thought"}
    assert sent[3] == final


def test_zai_resends_reasoning_only_with_tool_calls() -> None:
    """Ensure the standard Z.ai endpoint (which drops earlier reasoning) gets reasoning back
    only on the assistant messages that called tools (interleaved thinking)."""
    p = plan(provider="zai", model="glm-4.7")
    assert not p.preserved_thinking and request_extra(p) == {}
    sent = replay([tool_turn("t")], p)
    assert sent[1]["reasoning_content"] == "look first"
    assert sent[3] == {"role": "assistant", "content": "answer"}


@pytest.mark.parametrize("provider", ["openrouter", "together", "deepinfra"])
def test_other_hosts_never_get_reasoning_back(provider: str) -> None:
    """Ensure hosts with their own reasoning fields are never sent reasoning_content."""
    p = plan(provider=provider, model="glm-4.7")
    assert "reasoning_content" not in encode(replay([tool_turn("t")], p))


def test_thinking_off_turns_preservation_off() -> None:
    """Ensure chat.thinking off disables thinking and preserved thinking alike."""
    p = plan(provider="zai-coding", model="glm-4.7", chat={"thinking": "off"})
    assert p.thinking is False and not p.preserved_thinking and request_extra(p) == {}
    assert plan(chat={"thinking": "on"}).thinking is True
    assert plan().thinking is None


def test_only_turns_that_reached_an_answer_are_replayed() -> None:
    """Ensure a turn without a final answer (failed before output, cut mid tool call) is left
    out, while complete turns keep their order."""
    call = {"id": "c", "type": "function", "function": {"name": "x", "arguments": "{}"}}
    messages = [
        *tool_turn("a"),
        user("b", "failed"),
        user("c", "cut"),
        assistant_message("c", "", "", [call]),
        user("d", "fine"),
        assistant_message("d", "done", ""),
    ]
    assert [g[0].turn_id for g in complete_turns(messages)] == ["a", "d"]


def test_replay_is_byte_stable() -> None:
    """Ensure replaying the same stored turns twice gives identical bytes."""
    p = plan(provider="zai-coding", model="glm-4.7")
    turns = [tool_turn("a"), tool_turn("b")]
    assert encode(replay(turns, p)) == encode(replay(turns, p))


def test_oldest_turns_are_dropped_first_to_fit() -> None:
    """Ensure trimming drops whole turns from the oldest and keeps the newest that fit."""
    p = plan(model="glm-4.6")
    big = "x" * 60_000
    turns = [[user(t, big), assistant_message(t, big, "")] for t in "abcdefghijkl"]
    kept, dropped = fit_window(turns, [{"role": "user", "content": "now"}], p, 2_000)
    assert dropped > 0
    assert [g[0].turn_id for g in kept] == list("abcdefghijkl")[dropped:]
    again, more = fit_window(kept, [{"role": "user", "content": "now"}], p, 2_000)
    assert more == 0 and again == kept


def test_a_message_too_big_for_the_window_is_refused_clearly() -> None:
    """Ensure a new turn larger than the window raises ContextOverflow with sizes and a remedy."""
    p = plan(model="glm-4.6")
    with pytest.raises(ContextOverflow) as info:
        fit_window([], [{"role": "user", "content": "y" * 800_000}], p, 2_000)
    assert "tokens" in str(info.value) and "new chat" in str(info.value)
