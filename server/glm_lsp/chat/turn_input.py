"""What a turn sends: the message with its context blocks, after the history that still fits.

``prepare_turn`` gathers the context blocks (a failure becomes a notice, the question is still
asked), reads the chat's earlier turns and drops the oldest that no longer fit the model's
window; a block already sent in a turn that is still in the window becomes a short marker.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

import attrs

from glm_lsp.chat.attach import ContextBuilder, TurnContext, attach
from glm_lsp.chat.blocks import Block, compose
from glm_lsp.chat.coalesce import DeltaCoalescer
from glm_lsp.chat.conversation import (
    SYSTEM_PROMPT,
    ModelPlan,
    complete_turns,
    estimate,
    fit_window,
    replay,
)
from glm_lsp.chat.diagnostics_tool import EditorPort
from glm_lsp.chat.records import StoredMessage, TurnRecord
from glm_lsp.chat.saver import StoreCall
from glm_lsp.chat.store import ChatStore, encode
from glm_lsp.chat.tool_schema import TOOLS
from glm_lsp.chat.workspace import ChatWorkspace
from glm_lsp.keyguard import mask_secrets
from glm_lsp.llm import GlmClient

__all__ = [
    "SYSTEM_MESSAGE",
    "AgentPorts",
    "SendRequest",
    "TurnIds",
    "TurnInput",
    "TurnSetup",
    "activity",
    "prepare_turn",
]

log = logging.getLogger(__name__)

SYSTEM_MESSAGE: dict[str, Any] = {"role": "system", "content": SYSTEM_PROMPT}
FIXED_TOKENS = estimate(SYSTEM_MESSAGE) + estimate(TOOLS)
FIT_ROUNDS = 3


TOKENS_EXHAUSTED = "not run: the token budget of this answer ({} tokens) is spent"
WRITE_TOOLS = frozenset({"edit_file", "create_file", "delete_file", "rename_file"})
ACTIVITY = {
    "read_file": "reading {path}",
    "list_files": "listing {path}",
    "search_text": "searching for {query}",
    "git_diff": "reading the uncommitted changes",
    "get_diagnostics": "checking diagnostics of {paths}",
    "edit_file": "editing {path}",
    "create_file": "creating {path}",
    "delete_file": "deleting {path}",
    "rename_file": "renaming {path}",
}


@attrs.frozen
class AgentPorts:
    """What the agent loop needs from the editor (all optional: a turn runs without them)."""

    progress: Callable[[dict[str, Any]], None] | None = None
    """Sends one ``glm/chat/progress`` payload."""
    diagnostics: EditorPort | None = None
    """Asks the editor for diagnostics (``get_diagnostics``); None: it cannot be asked."""
    apply_step: Callable[[str, Any], Awaitable[list[str]]] | None = None
    """``chat.autoApply``: writes what the turn's draft gained since the last call (turn id,
    draft); returns a notice per file it could not write. None: changes wait for review."""
    rollback: Callable[[str], Awaitable[list[str]]] | None = None
    """Puts back what ``apply_step`` wrote for the turn (cancelled); returns a notice per file
    left as it is (the user changed it since)."""


def activity(name: str, arguments: str) -> str:
    """Short text for ``glm/chat/progress``: what a tool call does (model input, shortened)."""
    try:
        args = json.loads(arguments or "{}")
    except ValueError:
        args = {}
    if not isinstance(args, dict):
        args = {}
    paths = args.get("paths")
    fields = {
        "path": args.get("path") or ".",
        "query": args.get("query") or "",
        "paths": ", ".join(str(p) for p in paths) if isinstance(paths, list) else "",
    }
    shown = {k: " ".join(str(v).split())[:80] for k, v in fields.items()}
    return ACTIVITY.get(name, "running {name}").format(name=name[:40], **shown)


@attrs.frozen
class TurnInput:
    """Everything a turn needs that the conversation decided."""

    chat_id: str
    turn_id: str
    display: str
    """What the user typed (shown in history)."""
    user: StoredMessage
    """The user message as sent (context blocks and text)."""
    prefix: list[dict[str, Any]]
    """System prompt and replayed history, as sent."""
    plan: ModelPlan
    attached: tuple[str, ...] = ()
    trimmed_turns: int = 0
    agent: AgentPorts = AgentPorts()


@attrs.frozen
class SendRequest:
    """A message to send; ``display``/``title`` default to the message."""

    message: str
    chat_id: str | None = None
    context: TurnContext = TurnContext()
    display: str | None = None
    title: str | None = None


@attrs.frozen
class TurnSetup:
    """The per-turn dependencies, taken from the settings in force when the turn starts."""

    plan: ModelPlan
    client: GlmClient | None
    """None when no key is set; ``key_error`` says so."""
    workspace: ChatWorkspace
    engine: ContextBuilder | None = None
    key_error: str | None = None
    agent: AgentPorts = AgentPorts()
    """The editor's side of the agent loop (progress, diagnostics, autoApply per step)."""


@attrs.frozen
class TurnIds:
    """Which turn of which chat, and what the user typed (shown in history)."""

    chat_id: str
    turn_id: str
    display: str


async def prepare_turn(
    ids: TurnIds,
    request: SendRequest,
    setup: TurnSetup,
    out: DeltaCoalescer,
    store_call: StoreCall,
) -> TurnInput:
    """The turn's input: system prompt, the history that fits, the user message with context."""
    blocks = await _blocks(request.context, setup, ids.turn_id, out)

    def load(store: ChatStore) -> tuple[list[TurnRecord], list[StoredMessage]]:
        return store.turns(ids.chat_id), store.messages(ids.chat_id)

    loaded = await store_call(load, "read the chat")
    records, stored = loaded if loaded is not None else ([], [])
    turns = complete_turns(m for m in stored if m.turn_id != ids.turn_id)
    user, kept, dropped = _fit(ids, blocks, request.message, records, turns, setup.plan)
    if dropped:
        out.extra(
            notice=f"the {dropped} oldest turn(s) of this chat no longer fit the "
            "model's context window and were left out of this request"
        )
    return TurnInput(
        chat_id=ids.chat_id,
        turn_id=ids.turn_id,
        display=ids.display,
        user=user,
        prefix=[SYSTEM_MESSAGE, *replay(kept, setup.plan)],
        plan=setup.plan,
        attached=tuple(b.fingerprint for b in blocks if b.text),
        trimmed_turns=dropped,
        agent=setup.agent,
    )


async def _blocks(
    ctx: TurnContext, setup: TurnSetup, turn_id: str, out: DeltaCoalescer
) -> list[Block]:
    """The context blocks (listed in the stream); a failure is a notice, not an error."""
    try:
        blocks: list[Block] = await attach(ctx, setup.workspace, setup.engine)
    except Exception as exc:  # noqa: BLE001 - the question still deserves an answer
        log.exception("chat context for turn %s failed", turn_id)
        blocks = []
        out.extra(notice=mask_secrets(f"the workspace context could not be gathered ({exc})"))
    if blocks:
        out.extra(context=[b.listing() for b in blocks])
    return blocks


def _fit(
    ids: TurnIds,
    blocks: list[Block],
    message: str,
    records: list[TurnRecord],
    turns: list[list[StoredMessage]],
    plan: ModelPlan,
) -> tuple[StoredMessage, list[list[StoredMessage]], int]:
    """The user message and the turns kept; repeats of blocks still in the window are markers.

    Trimming may drop the turn that carried a block, so the message is composed again until
    every block it marks as seen is still in the window (at most ``FIT_ROUNDS`` times).
    """
    prints = {r.turn_id: r.attached for r in records}

    def seen_in(kept: list[list[StoredMessage]]) -> set[str]:
        return {fp for group in kept for fp in prints.get(group[0].turn_id, ())}

    kept, dropped = turns, 0
    for _ in range(FIT_ROUNDS):
        seen = seen_in(kept)
        content = compose(blocks, message, seen)
        user = StoredMessage(
            ids.turn_id, "user", encode({"role": "user", "content": content}), "", ids.display
        )
        kept, dropped = fit_window(turns, [user.data()], plan, FIXED_TOKENS)
        if not dropped or seen <= seen_in(kept):
            break
    return user, kept, dropped
