"""Helpers for the inline completion tests: an editor's requests and the endpoint's answers."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

from lsprotocol import types
from pytest_lsp import LanguageClient

from tests.e2e.harness import StartServer, wait_until
from tests.glm_endpoint import GlmEndpoint, Recorded
from tests.glm_replies import Reply

KEY = "sk-inline-test-0123456789abcdef"


def is_inline(body: Any) -> bool:
    """The request is an inline completion (its prompt carries the fill-the-hole query)."""
    return "<QUERY" in json.dumps(body)


def answer(text: str, **kw: Any) -> Reply:
    """A streamed answer in the tags the prompt asks for."""
    return Reply.stream(["<COMPLETION>", text, "</COMPLETION>"], **kw)


def user_prompt(record: Recorded) -> str:
    """The user message of an inline request."""
    return str(record.body["messages"][-1]["content"])


def inline_requests(endpoint: GlmEndpoint) -> list[Recorded]:
    return [r for r in endpoint.requests if is_inline(r.body)]


async def start(
    start_server: StartServer,
    endpoint: GlmEndpoint,
    *,
    key: bool = True,
    debounce_ms: int | None = 0,
    glm: dict[str, Any] | None = None,
    **kw: Any,
) -> LanguageClient:
    """A server on the Z.ai preset pointed at the loopback endpoint, once it applied that."""
    settings: dict[str, Any] = {"provider": "zai", "baseUrl": endpoint.url, **(glm or {})}
    if debounce_ms is not None:
        settings.setdefault("inline", {})["debounceMs"] = debounce_ms
    env = {"GLM_API_KEY": KEY} if key else {}
    client = await start_server(workspace_config={"glm": settings}, env=env, **kw)
    wanted = "ready" if key else "unconfigured"
    await wait_until(lambda: any(s.state == wanted for s in client.statuses))  # type: ignore[attr-defined]
    return client


class Doc:
    """An open document that the test edits as an editor would (incremental changes)."""

    def __init__(self, client: LanguageClient, uri: str, text: str, language: str) -> None:
        self.client, self.uri, self.text, self.version = client, uri, text, 1
        client.text_document_did_open(
            types.DidOpenTextDocumentParams(
                text_document=types.TextDocumentItem(
                    uri=uri, language_id=language, version=1, text=text
                )
            )
        )

    @classmethod
    def at(cls, client: LanguageClient, path: Path, text: str, language: str = "python") -> Doc:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        return cls(client, path.as_uri(), text, language)

    def end_of(self, line: int) -> types.Position:
        """The position at the end of ``line`` (UTF-16, as the default encoding)."""
        text = self.text.split("\n")[line]
        return types.Position(line=line, character=len(text.encode("utf-16-le")) // 2)

    def type(self, position: types.Position, typed: str) -> types.Position:
        """Insert ``typed`` at ``position`` (ASCII only); the position after it."""
        lines = self.text.split("\n")
        row = lines[position.line]
        lines[position.line] = row[: position.character] + typed + row[position.character :]
        self.text = "\n".join(lines)
        self.version += 1
        self.client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(
                    uri=self.uri, version=self.version
                ),
                content_changes=[
                    types.TextDocumentContentChangePartial(
                        range=types.Range(start=position, end=position), text=typed
                    )
                ],
            )
        )
        assert "\n" not in typed
        return types.Position(line=position.line, character=position.character + len(typed))


def inline_params(
    uri: str, position: types.Position, *, invoked: bool = False
) -> types.InlineCompletionParams:
    kind = (
        types.InlineCompletionTriggerKind.Invoked
        if invoked
        else types.InlineCompletionTriggerKind.Automatic
    )
    return types.InlineCompletionParams(
        text_document=types.TextDocumentIdentifier(uri=uri),
        position=position,
        context=types.InlineCompletionContext(trigger_kind=kind),
    )


async def ask(
    client: LanguageClient, uri: str, position: types.Position, *, invoked: bool = False
) -> list[types.InlineCompletionItem]:
    """Send textDocument/inlineCompletion and return its items."""
    result = await client.text_document_inline_completion_async(
        inline_params(uri, position, invoked=invoked)
    )
    if result is None:
        return []
    return list(result.items if isinstance(result, types.InlineCompletionList) else result)


def send(
    client: LanguageClient, uri: str, position: types.Position, msg_id: str | None = None
) -> asyncio.Future[Any]:
    """Send an inline request now (not when awaited); ``msg_id`` lets the test cancel it."""
    return asyncio.ensure_future(
        client.protocol.send_request_async(
            types.TEXT_DOCUMENT_INLINE_COMPLETION, inline_params(uri, position), msg_id=msg_id
        )
    )


def texts(result: Any) -> list[str]:
    """Insert texts of an inline completion result."""
    if result is None:
        return []
    items = result.items if isinstance(result, types.InlineCompletionList) else result
    return [item.insert_text for item in items]
