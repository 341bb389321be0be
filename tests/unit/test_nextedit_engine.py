"""NextEditEngine end to end against the loopback GLM endpoint (a real GlmClient): the request
it sends, the suggestions it returns, cancellation, supersession, prefetch, masking, failures."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import AsyncIterator
from typing import Any

import pytest
from tests.glm_endpoint import GlmEndpoint
from tests.glm_replies import Reply

from glm_lsp.edits.nextedit import (
    NextEditContext,
    NextEditEngine,
    NextEditHooks,
    NextEditQuery,
    Suggestion,
)
from glm_lsp.errors import GlmLspError
from glm_lsp.llm import PRESETS, ClientConfig, GlmClient

KEY = "sk-nextedit-test-0123456789abcdef"
URI = "file:///w/shapes.py"
DOC = [
    "def area(width, height):",
    "    w = width * 2",
    "    h = width * 3",
    "    return w * h",
]
FIXED = [*DOC[:2], "    h = height * 3", DOC[3]]


def answer(lines: list[str]) -> Reply:
    """A streamed answer with the region rewritten, in small pieces."""
    text = "<rewrite>\n" + "\n".join(lines) + "\n</rewrite>"
    return Reply.stream([text[i : i + 7] for i in range(0, len(text), 7)])


@pytest.fixture
async def client(glm_endpoint: GlmEndpoint) -> AsyncIterator[GlmClient]:
    glm = GlmClient(
        ClientConfig(glm_endpoint.url, KEY, PRESETS["zai"], backoff_base=0.001, backoff_max=0.01)
    )
    yield glm
    await glm.aclose()


def make_engine(client: GlmClient | None, **hooks: Any) -> NextEditEngine:
    return NextEditEngine(NextEditHooks(client=lambda: client, **hooks))


def query(doc: list[str] = DOC, version: int = 3, line: int = 1, **kw: Any) -> NextEditQuery:
    kw.setdefault("debounce_ms", 0)
    return NextEditQuery(URI, version, doc, line, 4, "python", "shapes.py", **kw)


async def test_suggest_sends_one_fast_request_and_returns_the_minimal_edit(
    client: GlmClient, glm_endpoint: GlmEndpoint
) -> None:
    """Ensure one request goes upstream with thinking disabled and the edit history and region
    in the prompt, and the answer comes back as the one-word edit with what the glue needs to
    check staleness (version, region lines and text)."""
    glm_endpoint.default = answer(FIXED)
    engine = make_engine(client)
    engine.history.record(URI, 2, 1, 8, "width", "height", 0.0)
    doc = [DOC[0], "    w = height * 2", *DOC[2:]]
    out = await engine.suggest(query(doc, 3))
    body = glm_endpoint.requests[0].body
    assert body["thinking"] == {"type": "disabled"} and body["stream"] is True
    prompt = body["messages"][1]["content"]
    assert "-    w = width * 2\n+    w = height * 2" in prompt and "<|region_start|>" in prompt
    assert len(out) == 1
    edit = out[0]
    assert isinstance(edit, Suggestion) and edit.version == 3
    assert (edit.start_line, edit.start_char, edit.end_line, edit.end_char) == (2, 8, 2, 13)
    assert edit.text == "height" and edit.origin == "model"
    assert (edit.region_start, edit.region_end) == (0, 4) and edit.region_text.startswith("def")
    stats = engine.stats()
    assert stats["requests"] == stats["upstream"] == 1 and stats["suggested"] == 1
    assert engine.accepted(edit.id) and not engine.accepted(edit.id)
    assert engine.stats()["accepted"] == 1


async def test_nothing_to_suggest_gives_an_empty_list(
    client: GlmClient, glm_endpoint: GlmEndpoint
) -> None:
    """Ensure an unchanged region, or no client at all, gives [] (and no request without one)."""
    glm_endpoint.default = answer(DOC)
    engine = make_engine(client)
    assert await engine.suggest(query()) == []
    assert engine.stats()["empty"] == 1
    assert await make_engine(None).suggest(query()) == []
    assert len(glm_endpoint.requests) == 1


async def test_cancelling_the_caller_closes_the_upstream_stream(
    client: GlmClient, glm_endpoint: GlmEndpoint
) -> None:
    """Ensure $/cancelRequest (the caller's task cancelled) closes the HTTP stream at once."""
    glm_endpoint.default = Reply.stream(["<rewrite>\n"], first_delay=30)
    engine = make_engine(client)
    waiter = asyncio.ensure_future(engine.suggest(query()))
    await glm_endpoint.until(lambda e: len(e.requests) == 1, 10)
    waiter.cancel()
    with pytest.raises(asyncio.CancelledError):
        await waiter
    await glm_endpoint.until(lambda e: e.requests[0].gone is not None, 10)
    assert engine.stats()["cancelled"] == 1


async def test_a_newer_request_supersedes_the_older_one(
    client: GlmClient, glm_endpoint: GlmEndpoint
) -> None:
    """Ensure a second request for the same document answers the first with [] and closes its
    stream, while the second gets the suggestion."""
    glm_endpoint.enqueue(Reply.stream(["<rewrite>\n"], first_delay=30), answer(FIXED))
    engine = make_engine(client)
    first = asyncio.ensure_future(engine.suggest(query(version=3)))
    await glm_endpoint.until(lambda e: len(e.requests) == 1, 10)
    second = await engine.suggest(query(version=4))
    assert await first == []
    assert [s.version for s in second] == [4]
    await glm_endpoint.until(lambda e: e.requests[0].gone is not None, 10)
    assert engine.stats()["superseded"] == 1


async def test_prefetch_answers_the_next_request_for_that_version(
    client: GlmClient, glm_endpoint: GlmEndpoint
) -> None:
    """Ensure a prefetched suggestion is what the next request for the same version gets,
    without a second upstream request; a request for another version does not use it."""
    glm_endpoint.default = answer(FIXED)
    engine = make_engine(client)
    engine.prefetch(query(version=7))
    await glm_endpoint.until(lambda e: len(e.requests) == 1, 10)
    out = await engine.suggest(query(version=7))
    assert [s.origin for s in out] == ["prefetch"] and len(glm_endpoint.requests) == 1
    stats = engine.stats()
    assert stats["prefetched"] == 1 and stats["prefetch_hits"] == 1
    engine.prefetch(query(version=8))
    assert [s.origin for s in await engine.suggest(query(version=9))] == ["model"]
    assert engine.stats()["prefetch_hits"] == 1


async def test_a_speculation_that_comes_true_answers_the_next_request(
    client: GlmClient, glm_endpoint: GlmEndpoint
) -> None:
    """Ensure speculate starts the follow-up request on the document with the shown edit
    applied (that edit the last hunk of the prompt's history), a change that makes the
    document read exactly that adopts it for the new version, and the next request for that
    version is answered from it without another upstream request."""
    glm_endpoint.default = answer(FIXED)
    engine = make_engine(client)
    engine.history.record(URI, 2, 1, 8, "width", "height", 0.0)
    doc = [DOC[0], "    w = height * 2", *DOC[2:]]
    (shown,) = await engine.suggest(query(doc, 3))
    after = [DOC[0], "    w = height * 2", *FIXED[2:]]
    glm_endpoint.default = answer([*after[:3], "    return w * h * 2"])
    engine.speculate(query(doc, 3), shown)
    await glm_endpoint.until(lambda e: len(e.requests) == 2, 10)
    prompt = glm_endpoint.requests[1].body["messages"][1]["content"]
    assert "-    h = width * 3\n+    h = height * 3" in prompt
    engine.changed(URI, 4, lambda: "\n".join(after))
    (out,) = await engine.suggest(query(after, 4, line=2))
    assert (out.origin, out.version, out.start_line) == ("prefetch", 4, 3)
    assert len(glm_endpoint.requests) == 2
    stats = engine.stats()
    assert stats["speculated"] == stats["speculation_hits"] == stats["prefetch_hits"] == 1


async def test_a_different_change_closes_the_speculation(
    client: GlmClient, glm_endpoint: GlmEndpoint
) -> None:
    """Ensure a change that does not make the document read as the shown edit would closes
    the speculative stream (the endpoint sees the connection go) and is counted as missed."""
    glm_endpoint.default = answer(FIXED)
    engine = make_engine(client)
    (shown,) = await engine.suggest(query())
    glm_endpoint.default = Reply.stream(["never"], first_delay=30.0)
    engine.speculate(query(), shown)
    await glm_endpoint.until(lambda e: len(e.requests) == 2, 10)
    engine.changed(URI, 4, lambda: "\n".join([*DOC, "# typed"]))
    await glm_endpoint.until(lambda e: e.requests[1].gone is not None, 10)
    assert engine.stats()["speculation_missed"] == 1


def test_changes_feed_the_debounce_and_a_request_waits_what_is_left_of_the_pause() -> None:
    """Ensure the adaptive wait comes from the rhythm of changes (not of requests) and is
    counted from the last change: a request right after a change waits the rest of the
    pause, one after a long pause does not wait."""
    now = [0.0]
    engine = NextEditEngine(NextEditHooks(client=lambda: None), clock=lambda: now[0])
    adaptive = query(debounce_ms=None)
    assert engine.delay(adaptive) == pytest.approx(0.1)  # no change seen: the default pause
    for step in range(5):
        now[0] = step * 0.1
        engine.changed(URI, step, lambda: "")
    now[0] = 0.45
    assert engine.delay(adaptive) == pytest.approx(0.1)  # 1.5 x 0.1 s, 0.05 s of it gone
    now[0] = 2.0
    assert engine.delay(adaptive) == 0.0


async def test_the_context_port_can_refuse_and_adds_related_code(
    client: GlmClient, glm_endpoint: GlmEndpoint
) -> None:
    """Ensure a context port answering None (excluded file) sends nothing, and its snippets and
    display path otherwise reach the prompt."""
    glm_endpoint.default = answer(FIXED)
    refused: list[NextEditQuery] = []

    async def excluded(q: NextEditQuery) -> NextEditContext | None:
        refused.append(q)
        return None

    assert await make_engine(client, context=excluded).suggest(query()) == []
    assert refused and glm_endpoint.requests == []

    async def related(_q: NextEditQuery) -> NextEditContext:
        return NextEditContext([("pkg/units.py", "SCALE = 3")], "pkg/shapes.py")

    await make_engine(client, context=related).suggest(query())
    prompt = glm_endpoint.requests[0].body["messages"][1]["content"]
    assert "SCALE = 3" in prompt and "The file pkg/shapes.py (python)" in prompt


async def test_masked_lines_are_never_sent_nor_edited(
    client: GlmClient, glm_endpoint: GlmEndpoint
) -> None:
    """Ensure the redaction port's mask is what the model sees, and an answer that rewrites a
    masked line (echoing the mask) gives no edit there, while other edits survive."""
    secret = "sk-live-0123456789abcdef0123"
    doc = [*DOC[:3], f'    token = "{secret}"', DOC[3]]
    fixed = [*FIXED[:3], '    token = "***"', FIXED[3]]
    glm_endpoint.default = answer(fixed)

    def redact(_uri: str, _first: int, text: str) -> str:
        return text.replace(secret, "***")

    engine = make_engine(client, redact=redact)
    out = await engine.suggest(query(doc))
    assert secret not in str(glm_endpoint.requests[0].body)
    assert [(s.start_line, s.text) for s in out] == [(2, "height")]
    assert engine.stats()["dropped"] == 1


async def test_a_failing_host_gives_nothing_and_tells_the_hooks(
    client: GlmClient, glm_endpoint: GlmEndpoint
) -> None:
    """Ensure a host error is reported through upstream_failed and the request answers []."""
    glm_endpoint.default = Reply.error(401, "1000", "bad key")
    failures: list[GlmLspError] = []
    engine = make_engine(client, upstream_failed=failures.append)
    assert await engine.suggest(query()) == []
    assert len(failures) == 1 and engine.stats()["failed"] == 1


async def test_a_cut_off_answer_suggests_nothing(
    client: GlmClient, glm_endpoint: GlmEndpoint
) -> None:
    """Ensure an answer stopped by max_tokens before its closing tag gives no edit (a half
    region would read as deleting the rest)."""
    glm_endpoint.default = Reply.stream(["<rewrite>\n", FIXED[0] + "\n"], finish_reason="length")
    assert await make_engine(client).suggest(query()) == []


async def test_forget_and_close_cancel_work_in_flight(
    client: GlmClient, glm_endpoint: GlmEndpoint
) -> None:
    """Ensure forget (document closed) cancels a prefetch and drops the history, and close
    (shutdown) ends a request in flight with []."""
    glm_endpoint.default = Reply.stream(["<rewrite>\n"], first_delay=30)
    engine = make_engine(client)
    engine.history.record(URI, 1, 0, 0, "", "x", 0.0)
    engine.prefetch(query())
    await glm_endpoint.until(lambda e: len(e.requests) == 1, 10)
    engine.forget(URI)
    assert engine.history.hunks(URI) == []
    await glm_endpoint.until(lambda e: e.requests[0].gone is not None, 10)
    waiter = asyncio.ensure_future(engine.suggest(query()))
    await glm_endpoint.until(lambda e: len(e.requests) == 2, 10)
    engine.close()
    assert await waiter == []


async def test_reading_stops_at_the_closing_tag_and_goes_on_without_tags(
    client: GlmClient, glm_endpoint: GlmEndpoint
) -> None:
    """Ensure the stream is closed once the closing tag arrived (the prose after it is never
    waited for), and that an untagged answer whose first fenced block echoes the region is
    read to its end, so the second block's edit is suggested."""
    slow_tail = Reply.stream(["<rewrite>\n" + "\n".join(FIXED) + "\n</rew", "rite>", "\nDone."])
    slow_tail.steps[2] = dataclasses.replace(slow_tail.steps[2], delay=3600)
    glm_endpoint.enqueue(slow_tail)
    engine = make_engine(client)
    first = asyncio.ensure_future(engine.suggest(query()))
    await glm_endpoint.until(lambda e: len(e.requests) == 1, 10)
    await glm_endpoint.until(lambda e: e.requests[0].gone is not None, 20)
    assert [s.text for s in await first] == ["height"]
    echo = "Original:\n```\n" + "\n".join(DOC) + "\n```\nUpdated:\n"
    glm_endpoint.enqueue(Reply.stream([echo, "```python\n" + "\n".join(FIXED) + "\n```\n"]))
    assert [s.text for s in await engine.suggest(query(version=4))] == ["height"]
