"""What a turn sends: the message with its context blocks, after the history that still fits.

``prepare_turn`` gathers the context blocks (a failure becomes a notice, the question is still
asked), reads the chat's earlier turns and drops the oldest that no longer fit the model's
window; a block already sent in a turn that is still in the window becomes a short marker.
"""

from __future__ import annotations

import logging
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
from glm_lsp.chat.records import StoredMessage, TurnRecord
from glm_lsp.chat.saver import StoreCall
from glm_lsp.chat.store import ChatStore, encode
from glm_lsp.chat.tool_schema import TOOLS
from glm_lsp.chat.turn import TurnInput
from glm_lsp.chat.workspace import ChatWorkspace
from glm_lsp.keyguard import mask_secrets
from glm_lsp.llm import GlmClient

__all__ = ["SYSTEM_MESSAGE", "SendRequest", "TurnIds", "TurnSetup", "prepare_turn"]

log = logging.getLogger(__name__)

SYSTEM_MESSAGE: dict[str, Any] = {"role": "system", "content": SYSTEM_PROMPT}
FIXED_TOKENS = estimate(SYSTEM_MESSAGE) + estimate(TOOLS)
FIT_ROUNDS = 3


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
