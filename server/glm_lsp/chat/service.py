"""The chat service: turns started, streamed, cancelled, stored and listed.

``send`` answers at once with ``{chatId, turnId}`` and runs the turn as a background task,
registered per chat so ``cancel`` can stop it (which closes the upstream HTTP stream). Each
turn emits coalesced deltas and exactly one done, whatever happens: an answer, a cancel, an
upstream failure, an unusable store or a bug. The service knows nothing of LSP: the feature
glue gives it ``delta`` and ``done`` ports and the per-turn setup (client, plan, workspace, engine).
"""

from __future__ import annotations

import asyncio
import logging
import os
import uuid
from collections.abc import Awaitable, Callable, Coroutine
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import Any

import attrs

from glm_lsp.chat.archive import ChatArchive
from glm_lsp.chat.coalesce import DEFAULT_RATE, DeltaCoalescer
from glm_lsp.chat.conversation import ContextOverflow
from glm_lsp.chat.history import history_entries
from glm_lsp.chat.proposal_store import ProposalBook
from glm_lsp.chat.proposals import Draft, Proposal, mark_history
from glm_lsp.chat.records import StoredMessage, TurnRecord, title_from
from glm_lsp.chat.saver import ProgressSaver
from glm_lsp.chat.store import ChatStore, StoreError, default_db_path, encode
from glm_lsp.chat.tools import Toolbox
from glm_lsp.chat.turn import TurnOutcome, run_turn
from glm_lsp.chat.turn_input import SendRequest, TurnIds, TurnSetup, prepare_turn
from glm_lsp.chat.workspace import ChatWorkspace
from glm_lsp.chat.write_tools import WriteTools
from glm_lsp.errors import UpstreamError
from glm_lsp.keyguard import mask_secrets

__all__ = ["ChatService", "Hooks"]

log = logging.getLogger(__name__)

MAX_MESSAGE_CHARS = 200_000


@attrs.frozen
class Hooks:
    """What the service needs from the server."""

    delta: Callable[[dict[str, Any]], None]
    """Sends one coalesced piece of a turn's answer to the editor."""
    done: Callable[[dict[str, Any]], None]
    """Sends a turn's one final message to the editor."""
    spawn: Callable[[Coroutine[Any, Any, Any]], asyncio.Task[Any]] = asyncio.ensure_future
    problem: Callable[[str], None] = lambda message: log.warning("%s", message)
    upstream_failed: Callable[[UpstreamError], None] = lambda _err: None
    upstream_ok: Callable[[], None] = lambda: None
    busy: Callable[[], AbstractContextManager[Any]] = nullcontext
    version_of: Callable[[str], int | None] = lambda _path: None
    """The editor's version of an open document, by path (None: not open)."""
    proposed: Callable[[Proposal], Awaitable[None]] | None = None
    """Sends a turn's proposal (and applies it when the user asked for that), before done."""
    toolbox: Callable[[ChatWorkspace, WriteTools], Toolbox] = lambda ws, writer: Toolbox(
        ws, writer=writer
    )
    """Builds a turn's toolbox (the ACP face writes allowed changes through its own)."""


@attrs.define
class _Running:
    turn_id: str
    task: asyncio.Task[Any]


class ChatService:
    """Chats for one server."""

    def __init__(
        self, hooks: Hooks, *, db_path: Path | None = None, rate: float = DEFAULT_RATE
    ) -> None:
        self.hooks = hooks
        self.db_path = db_path
        self.rate = rate
        self.running: dict[str, _Running] = {}
        """chatId -> the turn running in it."""
        self._archive: ChatArchive | None = None
        self.proposals = ProposalBook(self._store_call)
        """Proposed changes waiting for the user, and checkpoints of applied ones (stored)."""
        self._opening: asyncio.Lock | None = None

    # -- store ---------------------------------------------------------------------------------

    async def archive(self) -> ChatArchive:
        """The store, opened on first use (a problem is reported once)."""
        if self._archive is not None:
            return self._archive
        if self._opening is None:
            self._opening = asyncio.Lock()
        async with self._opening:
            if self._archive is None:
                path = self.db_path if self.db_path is not None else default_db_path()
                self._archive = await ChatArchive.open(path)
                if self._archive.problem:
                    self.hooks.problem(f"glm-lsp: {self._archive.problem}")
        return self._archive

    async def _store_call(self, fn: Callable[[ChatStore], Any], what: str) -> Any:
        """Run a store call; a failure is reported (once per kind) and yields None."""
        try:
            archive = await self.archive()
            return await archive.run(fn, what)
        except StoreError as exc:
            self.hooks.problem(f"glm-lsp: {exc}")
            return None

    # -- commands ------------------------------------------------------------------------------

    def send(self, request: SendRequest, setup: TurnSetup) -> dict[str, str]:
        """Start a turn; returns ``{chatId, turnId}`` before the model is asked anything.

        Not a coroutine on purpose: the command handler that calls it can stay synchronous,
        which pygls 2.1.1 runs without keeping a task per call.
        """
        message = request.message
        if not message.strip():
            raise ValueError("message must be a non-empty string")
        if len(message) > MAX_MESSAGE_CHARS:
            raise ValueError(f"message is longer than {MAX_MESSAGE_CHARS:,} characters")
        chat_id = request.chat_id or uuid.uuid4().hex
        turn_id = uuid.uuid4().hex
        display = request.display if request.display is not None else message
        if chat_id in self.running:
            self.hooks.spawn(self._refuse(chat_id, turn_id))
            return {"chatId": chat_id, "turnId": turn_id}
        task = self.hooks.spawn(self._run(chat_id, turn_id, display, request, setup))
        self.running[chat_id] = _Running(turn_id, task)
        task.add_done_callback(lambda _t: self._forget(chat_id, turn_id))
        return {"chatId": chat_id, "turnId": turn_id}

    async def cancel(
        self, chat_id: str | None = None, turn_id: str | None = None, wait: float = 5.0
    ) -> bool:
        """Stop the running turn of ``chat_id`` (or the turn ``turn_id``); True if one ran."""
        running = self.running.get(chat_id) if chat_id else None
        if running is None and turn_id:
            running = next((r for r in self.running.values() if r.turn_id == turn_id), None)
        if running is None or (turn_id and running.turn_id != turn_id):
            return False
        running.task.cancel()
        await asyncio.wait({running.task}, timeout=wait)
        return True

    async def list_chats(self) -> list[dict[str, Any]]:
        chats = await self._store_call(lambda s: s.list_chats(), "list chats")
        return [c.to_json() for c in chats or []]

    async def history(self, chat_id: str) -> list[dict[str, Any]] | None:
        """The chat's messages for display, or None when there is no such chat."""

        def read(
            store: ChatStore,
        ) -> tuple[list[TurnRecord], list[StoredMessage], dict[str, str]] | None:
            if not store.has_chat(chat_id):
                return None
            return store.turns(chat_id), store.messages(chat_id), store.turn_proposals(chat_id)

        found = await self._store_call(read, "read the chat")
        if found is None:
            return None
        entries = history_entries(found[0], found[1])
        mark_history(entries, found[2])
        return entries

    async def delete(self, chat_id: str) -> bool:
        await self.cancel(chat_id)
        deleted = await self._store_call(lambda s: s.delete_chat(chat_id), "delete the chat")
        return bool(deleted)

    async def aclose(self) -> None:
        for running in list(self.running.values()):
            running.task.cancel()
        tasks = {r.task for r in self.running.values()}
        if tasks:
            await asyncio.wait(tasks, timeout=5.0)
        if self._archive is not None:
            await self._archive.aclose()
            self._archive = None

    # -- the turn ------------------------------------------------------------------------------

    def _forget(self, chat_id: str, turn_id: str) -> None:
        running = self.running.get(chat_id)
        if running is not None and running.turn_id == turn_id:
            del self.running[chat_id]

    async def _refuse(self, chat_id: str, turn_id: str) -> None:
        for _ in range(3):
            await asyncio.sleep(0)
        self.hooks.done(
            {
                "chatId": chat_id,
                "turnId": turn_id,
                "finishReason": "error",
                "error": "a turn is already running in this chat: wait for it or cancel it",
            },
        )

    def _emitter(self, chat_id: str, turn_id: str) -> Callable[[dict[str, Any]], None]:
        delta = self.hooks.delta

        def emit(payload: dict[str, Any]) -> None:
            delta({"chatId": chat_id, "turnId": turn_id, **payload})

        return emit

    async def _run(
        self, chat_id: str, turn_id: str, display: str, request: SendRequest, setup: TurnSetup
    ) -> None:
        out = DeltaCoalescer(self._emitter(chat_id, turn_id), rate=self.rate)
        saver = ProgressSaver(self._store_call, turn_id)
        early = TurnRecord(chat_id, turn_id, display=display)
        user = StoredMessage(turn_id, "user", encode({"role": "user", "content": display}))
        title = request.title or title_from(display)
        draft = Draft()
        pid = os.getpid()

        def begin(store: ChatStore) -> None:
            if not store.has_chat(chat_id):
                store.create_chat(chat_id, title)
            store.begin_turn(chat_id, turn_id, display, pid)

        with self.hooks.busy():
            try:
                # The store write also lets the command's answer go out before any notification.
                await self._store_call(begin, "start the turn")
                for _ in range(3):
                    await asyncio.sleep(0)
                ids = TurnIds(chat_id, turn_id, display)
                spec = await prepare_turn(ids, request, setup, out, self._store_call)
                user = spec.user
                early = attrs.evolve(early, attached=spec.attached)
                if setup.client is None:
                    outcome = _ended(early, user, "error", setup.key_error or "no API key")
                else:
                    toolbox = None
                    if setup.workspace.roots:
                        writer = WriteTools(setup.workspace, draft, self.hooks.version_of)
                        toolbox = self.hooks.toolbox(setup.workspace, writer)
                    outcome = await run_turn(spec, setup.client, toolbox, out, saver)
            except asyncio.CancelledError:
                outcome = _ended(early, user, "cancelled", None)
            except ContextOverflow as exc:
                outcome = _ended(early, user, "error", str(exc))
            except Exception as exc:  # noqa: BLE001 - one done per turn, whatever happened
                log.exception("chat turn %s could not start", turn_id)
                error = mask_secrets(f"internal error ({exc}); see the log")
                outcome = _ended(early, user, "error", error)
            out.close()
            if outcome.record.state == "done" and draft:
                await self._propose(outcome, draft)
            await self._finish(outcome, saver)

    async def _propose(self, outcome: TurnOutcome, draft: Draft) -> None:
        """Offer the turn's changes (a cancelled or failed turn's are dropped: nothing was
        written). Done names the proposal."""
        record = outcome.record
        adding = asyncio.ensure_future(self.proposals.add(record.chat_id, record.turn_id, draft))
        try:
            proposal = await asyncio.shield(adding)
        except asyncio.CancelledError:
            return
        except Exception:  # noqa: BLE001 - the turn still ends with its done
            log.exception("the proposal of turn %s could not be stored", record.turn_id)
            return
        if proposal is None or self.hooks.proposed is None:
            return
        outcome.done["proposalId"] = proposal.proposal_id
        try:
            await asyncio.shield(self.hooks.proposed(proposal))
        except asyncio.CancelledError:
            pass
        except Exception:  # noqa: BLE001 - the turn still ends with its done
            log.exception("the proposal of turn %s could not be sent", record.turn_id)

    async def _finish(self, outcome: TurnOutcome, saver: ProgressSaver) -> None:
        record = outcome.record
        try:
            await self._save(outcome, saver)
        finally:
            # The turn is over once done goes out (exactly once, whatever the store did): a
            # next message sent on seeing done must not find this turn registered as running.
            self._forget(record.chat_id, record.turn_id)
            self.hooks.done(outcome.done)
        if outcome.upstream_error is not None:
            self.hooks.upstream_failed(outcome.upstream_error)
        elif record.state == "done":
            self.hooks.upstream_ok()

    async def _save(self, outcome: TurnOutcome, saver: ProgressSaver) -> None:
        """Store the finished turn; a failure is logged and reported, never raised."""
        record = outcome.record
        try:
            try:
                await asyncio.shield(saver.settle())
            except asyncio.CancelledError:
                pass
            write = asyncio.ensure_future(
                self._store_call(lambda s: s.finish_turn(record, outcome.messages), "save the turn")
            )
            try:
                await asyncio.shield(write)
            except asyncio.CancelledError:
                pass
        except Exception as exc:  # noqa: BLE001 - the turn still ends with its done
            log.exception("chat turn %s could not be saved", record.turn_id)
            self.hooks.problem(mask_secrets(f"glm-lsp: the chat turn could not be saved ({exc})"))


def _ended(record: TurnRecord, user: StoredMessage, state: str, error: str | None) -> TurnOutcome:
    """The outcome of a turn that ended before the model was asked."""
    finish = "cancelled" if state == "cancelled" else "error"
    done: dict[str, Any] = {
        "chatId": record.chat_id,
        "turnId": record.turn_id,
        "finishReason": finish,
        "steps": 0,
    }
    if error is not None:
        done["error"] = error
    final = attrs.evolve(record, state=state, finish_reason=finish, error=error)
    return TurnOutcome(final, [user], done)
