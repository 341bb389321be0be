"""InlineSession with a real GlmClient and ContextEngine against the loopback endpoint: reuse of
a running stream, abandonment, redaction, exclusion, hooks and counters."""

from __future__ import annotations

import asyncio
import dataclasses
import json
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from tests.glm_endpoint import GlmEndpoint
from tests.glm_replies import Reply

from glm_lsp.context import ContextEngine
from glm_lsp.errors import GlmLspError
from glm_lsp.inline.session import (
    REUSE_GRACE_S,
    InlineHooks,
    InlineOptions,
    InlineQuery,
    InlineSession,
    InlineStats,
)
from glm_lsp.llm import PRESETS, ClientConfig, GlmClient

KEY = "sk-session-test-0123456789abcdef"
ADD = 'def add(a, b):\n    """Return the sum of a and b."""\n    return a\n'
FAST = InlineOptions(model="glm-4.5-air", debounce_ms=0)


class Recorder:
    """The server side of the hooks: status changes and failures, in order."""

    def __init__(self) -> None:
        self.events: list[str] = []

    @contextmanager
    def busy(self) -> Iterator[None]:
        self.events.append("busy")
        try:
            yield
        finally:
            self.events.append("ready")

    def failed(self, error: GlmLspError) -> None:
        self.events.append(f"failed:{type(error).__name__}")

    def ok(self) -> None:
        self.events.append("ok")


@pytest.fixture
async def client(glm_endpoint: GlmEndpoint) -> AsyncIterator[GlmClient]:
    glm = GlmClient(
        ClientConfig(glm_endpoint.url, KEY, PRESETS["zai"], backoff_base=0.001, backoff_max=0.01)
    )
    yield glm
    await glm.aclose()


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[ContextEngine]:
    context = ContextEngine(workspace_roots=[tmp_path.as_uri()])
    yield context
    context.close()


def make_session(
    engine: ContextEngine, client: GlmClient | None, recorder: Recorder
) -> InlineSession:
    return InlineSession(
        engine,
        InlineHooks(
            client=lambda: client,
            busy=recorder.busy,
            upstream_failed=recorder.failed,
            upstream_ok=recorder.ok,
        ),
    )


def open_doc(engine: ContextEngine, path: Path, text: str, language: str = "python") -> str:
    path.write_text(text)
    uri = path.as_uri()
    engine.open_document(uri, text, language, 1)
    return uri


def query(uri: str, text: str, line: int, character: int | None = None) -> InlineQuery:
    lines = text.split("\n")
    column = len(lines[line]) if character is None else character
    return InlineQuery(uri, lines, line, column, language="python")


def typed(text: str, line: int, extra: str) -> str:
    lines = text.split("\n")
    lines[line] += extra
    return "\n".join(lines)


async def test_a_running_stream_serves_a_keystroke_that_types_its_start(
    engine: ContextEngine, client: GlmClient, glm_endpoint: GlmEndpoint, tmp_path: Path
) -> None:
    """Ensure a keystroke that types what the running stream already produced waits for that
    stream (no second request) and gets the rest of its answer."""
    glm_endpoint.default = Reply.stream(
        ["<COMPLETION>", " + b", " * 2", "</COMPLETION>"], delay=0.4
    )
    session = make_session(engine, client, Recorder())
    uri = open_doc(engine, tmp_path / "add.py", ADD)
    first = asyncio.ensure_future(session.complete(query(uri, ADD, 2), FAST))
    await glm_endpoint.until(lambda e: len(e.requests) == 1, 10)
    while "+ b" not in session._flights[uri].text:  # noqa: SLF001 - wait for streamed text
        await asyncio.sleep(0.01)
    now = typed(ADD, 2, " +")
    second = await session.complete(query(uri, now, 2), FAST)
    assert second is not None and (second.text, second.origin) == (" b * 2", "reuse")
    done = await first
    assert done is not None and done.text == " + b * 2"
    assert len(glm_endpoint.requests) == 1
    assert session.stats.reused == 1


async def test_an_abandoned_stream_with_text_waits_for_reuse_then_closes(
    engine: ContextEngine, client: GlmClient, glm_endpoint: GlmEndpoint, tmp_path: Path
) -> None:
    """Ensure a cancelled request whose stream already produced text keeps it for a short
    grace period: a follow-up request reuses it; left alone, it is closed upstream."""
    steps = ["<COMPLETION>", " + b", *[" + b"] * 40, "</COMPLETION>"]
    glm_endpoint.default = Reply.stream(steps, delay=0.3)
    session = make_session(engine, client, Recorder())
    uri = open_doc(engine, tmp_path / "add.py", ADD)
    waiter = asyncio.ensure_future(session.complete(query(uri, ADD, 2), FAST))
    while not session._flights.get(uri) or not session._flights[uri].text:  # noqa: SLF001
        await asyncio.sleep(0.01)
    waiter.cancel()
    with pytest.raises(asyncio.CancelledError):
        await waiter
    assert session.in_flight(uri)
    record = glm_endpoint.requests[0]
    await asyncio.sleep(REUSE_GRACE_S * 2)
    assert not session.in_flight(uri)
    await glm_endpoint.until(lambda _: record.gone is not None, 10)
    assert session.stats.abandoned == 1


async def test_an_abandoned_stream_without_text_closes_at_once(
    engine: ContextEngine, client: GlmClient, glm_endpoint: GlmEndpoint, tmp_path: Path
) -> None:
    """Ensure cancelling the only request of a stream that has produced nothing closes it."""
    glm_endpoint.default = Reply.stream(["<COMPLETION>x</COMPLETION>"], first_delay=30)
    session = make_session(engine, client, Recorder())
    uri = open_doc(engine, tmp_path / "add.py", ADD)
    waiter = asyncio.ensure_future(session.complete(query(uri, ADD, 2), FAST))
    await glm_endpoint.until(lambda e: len(e.requests) == 1, 10)
    waiter.cancel()
    with pytest.raises(asyncio.CancelledError):
        await waiter
    assert session.stats.abandoned == 1
    await glm_endpoint.until(lambda e: e.requests[0].gone is not None, 10)
    assert not session.in_flight(uri)


async def test_secrets_in_the_current_file_are_redacted_and_excluded_files_never_sent(
    engine: ContextEngine, client: GlmClient, glm_endpoint: GlmEndpoint, tmp_path: Path
) -> None:
    """Ensure a key written in the current file is redacted from the prompt, and that nothing
    at all goes upstream for a cursor in a .env file."""
    secret = "AKIAIOSFODNN7EXAMPLE"
    glm_endpoint.default = Reply.stream(["<COMPLETION>region)</COMPLETION>"])
    session = make_session(engine, client, Recorder())
    text = f'ACCESS_KEY = "{secret}"\n\n\nclient = connect(ACCESS_KEY, \n'
    uri = open_doc(engine, tmp_path / "aws.py", text)
    found = await session.complete(query(uri, text, 3), FAST)
    assert found is not None and found.text == "region)"
    (record,) = glm_endpoint.requests
    assert secret not in json.dumps(record.body)
    assert "client = connect(ACCESS_KEY, {{FILL_HERE}}" in json.dumps(record.body)
    env_text = f"AWS_ACCESS_KEY_ID={secret}\nREGION=\n"
    env_uri = open_doc(engine, tmp_path / ".env", env_text, "dotenv")
    assert await session.complete(query(env_uri, env_text, 1), FAST) is None
    assert len(glm_endpoint.requests) == 1


async def test_hooks_see_busy_around_the_request_and_failures(
    engine: ContextEngine, client: GlmClient, glm_endpoint: GlmEndpoint, tmp_path: Path
) -> None:
    """Ensure the busy hook wraps each upstream request, success calls upstream_ok (and the
    answer is given before the status goes back to ready), and a host error calls
    upstream_failed and answers None (not cached: the next keystroke asks again)."""
    glm_endpoint.enqueue(Reply.error(401, "1002"), Reply.stream(["<COMPLETION> + b</COMPLETION>"]))
    recorder = Recorder()
    session = make_session(engine, client, recorder)
    uri = open_doc(engine, tmp_path / "add.py", ADD)
    assert await session.complete(query(uri, ADD, 2), FAST) is None
    found = await session.complete(query(uri, ADD, 2), FAST)
    assert found is not None and found.text == " + b"
    while len(recorder.events) < 6:  # the status goes back to ready after the answer
        await asyncio.sleep(0.01)
    assert recorder.events == ["busy", "ready", "failed:AuthError", "busy", "ok", "ready"]
    assert session.stats.failed == 1 and session.stats.upstream == 2


async def test_no_client_means_no_request_and_no_context_work(
    engine: ContextEngine, glm_endpoint: GlmEndpoint, tmp_path: Path
) -> None:
    """Ensure that without a model client (no key) the answer is None and nothing is sent."""
    session = make_session(engine, None, Recorder())
    uri = open_doc(engine, tmp_path / "add.py", ADD)
    assert await session.complete(query(uri, ADD, 2), FAST) is None
    assert not session.in_flight(uri)
    assert glm_endpoint.requests == []


async def test_accepted_counts_known_ids_and_their_length(
    engine: ContextEngine, client: GlmClient, glm_endpoint: GlmEndpoint, tmp_path: Path
) -> None:
    """Ensure accepting a shown suggestion counts it with its length; an unknown id counts as an
    acceptance without characters."""
    glm_endpoint.default = Reply.stream(["<COMPLETION> + b</COMPLETION>"])
    session = make_session(engine, client, Recorder())
    uri = open_doc(engine, tmp_path / "add.py", ADD)
    found = await session.complete(query(uri, ADD, 2), FAST)
    assert found is not None
    assert session.accepted(found.id) is True
    assert session.accepted("unknown") is False
    assert (session.stats.accepted, session.stats.accepted_chars) == (2, len(" + b"))
    assert session.stats.to_json()["acceptedChars"] == 4


async def test_forget_drops_the_cache_of_a_closed_document(
    engine: ContextEngine, client: GlmClient, glm_endpoint: GlmEndpoint, tmp_path: Path
) -> None:
    """Ensure a document no longer open loses its cached suggestions (retain), so reopening it
    asks the model again."""
    glm_endpoint.default = Reply.stream(["<COMPLETION> + b</COMPLETION>"])
    session = make_session(engine, client, Recorder())
    uri = open_doc(engine, tmp_path / "add.py", ADD)
    assert await session.complete(query(uri, ADD, 2), FAST) is not None
    assert await session.complete(query(uri, ADD, 2), FAST) is not None
    assert len(glm_endpoint.requests) == 1
    session.retain(lambda _uri: False)
    assert len(session.cache) == 0
    assert await session.complete(query(uri, ADD, 2), FAST) is not None
    assert len(glm_endpoint.requests) == 2


def test_stats_report_uses_camel_case_keys() -> None:
    """Ensure the counters are reported with camelCase keys, as glm.status uses."""
    stats = InlineStats(cache_hits=3)
    report: dict[str, Any] = stats.to_json()
    assert report["cacheHits"] == 3 and "cache_hits" not in report


async def test_nothing_fits_is_remembered_but_an_explicit_trigger_asks_again(
    engine: ContextEngine, client: GlmClient, glm_endpoint: GlmEndpoint, tmp_path: Path
) -> None:
    """Ensure an empty answer is cached (the same cursor asks nothing again automatically) while
    an explicit trigger at that cursor asks the model again."""
    glm_endpoint.enqueue(
        Reply.stream(["<COMPLETION></COMPLETION>"]), Reply.stream(["<COMPLETION> + b</COMPLETION>"])
    )
    session = make_session(engine, client, Recorder())
    uri = open_doc(engine, tmp_path / "add.py", ADD)
    assert await session.complete(query(uri, ADD, 2), FAST) is None
    assert await session.complete(query(uri, ADD, 2), FAST) is None
    assert len(glm_endpoint.requests) == 1
    explicit = dataclasses.replace(query(uri, ADD, 2), invoked=True)
    found = await session.complete(explicit, FAST)
    assert found is not None and found.text == " + b"
    assert len(glm_endpoint.requests) == 2


async def test_a_secret_section_opened_above_the_window_stays_hidden(
    engine: ContextEngine, client: GlmClient, glm_endpoint: GlmEndpoint, tmp_path: Path
) -> None:
    """The prompt's window is 240 lines above the cursor; the values of a `credentials:`
    section whose header lies above it are hidden as in the whole document (redacting the
    window alone sent them), and lines outside the section are sent as they are."""
    glm_endpoint.default = Reply.stream(["<COMPLETION>x</COMPLETION>"])
    session = make_session(engine, client, Recorder())
    values = [f"Zq8vT{i:03d}xWp3Lm" for i in range(300)]
    lines = ["credentials:", *[f"  svc_{i}: {v}" for i, v in enumerate(values)], "plain: 1"]
    lines[290] = "  "
    text = "\n".join(lines)
    uri = open_doc(engine, tmp_path / "deploy.yaml", text, "yaml")
    await session.complete(InlineQuery(uri, lines, 290, 2, language="yaml"), FAST)
    (record,) = glm_endpoint.requests
    body = json.dumps(record.body)
    assert "svc_280" in body and "plain: 1" in body
    assert not [v for v in values if v in body]
