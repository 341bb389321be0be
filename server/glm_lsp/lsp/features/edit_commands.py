"""``glm.edit``, ``glm.refactor``, ``glm.fix``, ``glm.docstring`` and ``glm.tests``.

Thin glue: check the argument, read the document, build the prompt with the context engine,
then hand the model's stream to ``edits.StreamingEdit`` (edits) or write the test file
(tests). Each command answers when it is done: ``{applied, reason?}`` or ``{uri}``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
from typing import Any

from lsprotocol import types
from pygls import uris
from pygls.capabilities import get_capability

from glm_lsp.context import render_pieces
from glm_lsp.context.tokens import language_for_path
from glm_lsp.edits import prompts
from glm_lsp.edits.active import RangeBusy
from glm_lsp.edits.answer import AnswerReader
from glm_lsp.edits.prompts import Action, EditTask
from glm_lsp.edits.request import local_window
from glm_lsp.edits.scope import enclosing_block
from glm_lsp.edits.stream import Outcome, StreamingEdit
from glm_lsp.edits.testfile import locate_test_file
from glm_lsp.edits.text import position_of, split_lines
from glm_lsp.edits.tracker import DocTracker
from glm_lsp.errors import GlmLspError
from glm_lsp.llm import Collector
from glm_lsp.lsp.arguments import (
    RangeArgs,
    diagnostic_notes,
    parse_diagnostics,
    parse_range_args,
)
from glm_lsp.lsp.command_table import EDIT_COMMANDS as STREAMED
from glm_lsp.lsp.command_table import TESTS
from glm_lsp.lsp.editor import LspEditor, Progress, load_document, warm_up, workspace_root
from glm_lsp.lsp.positions import encoding_of, to_client, to_offset
from glm_lsp.lsp.server import GlmLanguageServer

__all__ = ["EDIT_COMMANDS", "register", "run_edit", "run_tests"]

log = logging.getLogger(__name__)

SETTLE_SECONDS = 2.0


EDIT_COMMANDS: dict[str, Action] = {
    command.name: command.action for command in STREAMED if command.action is not None
}
TITLES: dict[Action, str] = {
    command.action: command.title for command in STREAMED if command.action is not None
}
SECRET_REASON = (
    "the range contains text that looks like a secret; glm-lsp does not send it to the model "
    "(and would not write the model's placeholder over it)"
)


class _Refusal(Exception):
    """The command cannot run; the message is the result's ``reason``."""


def _display(ls: GlmLanguageServer, path: str | None, uri: str) -> str:
    if path is None:
        return uri
    root = workspace_root(ls, path)
    return os.path.relpath(path, root) if root else os.path.basename(path)


def _language(ls: GlmLanguageServer, uri: str, path: str | None) -> str:
    doc = ls.workspace.text_documents.get(uri)
    if doc is not None and doc.language_id:
        return str(doc.language_id)
    return language_for_path(path or uri)


async def _prompt_parts(
    ls: GlmLanguageServer, uri: str, text: str, start: int, end: int
) -> tuple[str, str, str]:
    """(prefix, suffix, context) for the range, redacted; refuses excluded files and secrets."""
    engine = ls.context
    why = await engine.is_excluded(uri)
    if why is not None:
        raise _Refusal(f"this file is excluded from prompts ({why})")
    (l0, c0), (l1, c1) = position_of(text, start), position_of(text, end)
    # An edit waits seconds for the model anyway: let git and file reads that are already
    # under way finish (bounded) rather than dropping them at the edit deadline.
    with contextlib.suppress(asyncio.TimeoutError):
        await asyncio.wait_for(engine.wait_idle(), SETTLE_SECONDS)
    result = await engine.build(uri, l0, c0, "edit", selection=(l0, c0, l1, c1))
    log.debug("edit context: %s", [(d.source, d.reason) for d in result.dropped])
    window = result.cursor
    if window is not None and window.selection == text[start:end]:
        context = render_pieces(result.pieces, include_cursor=False)
        return window.prefix, window.suffix, context
    # The engine's copy differs (the selection holds a secret, or the document moved on).
    prefix, suffix = local_window(text, start, end)
    path = uris.to_fs_path(uri)
    if engine.redact(text[start:end], path) != text[start:end]:
        raise _Refusal(SECRET_REASON)
    return engine.redact(prefix, path), engine.redact(suffix, path), ""


def _fix_notes(ls: GlmLanguageServer, args: RangeArgs) -> tuple[prompts.DiagnosticNote, ...]:
    diagnostics = args.diagnostics or parse_diagnostics(
        ls.diagnostics.touching(args.uri, args.start[0], args.end[0])
    )
    notes = diagnostic_notes(diagnostics)
    if not notes:
        raise _Refusal("GLM: Fix needs diagnostics in the range; there are none")
    return notes


def _check_inside(text: str, first_line: int) -> None:
    """Refuse a range that starts below the document's last line."""
    lines = text.count("\n") + 1
    if first_line >= lines:
        raise _Refusal(
            f"the range starts at line {first_line + 1}, after the end of the document "
            f"({lines} lines); select code in the document"
        )


async def run_edit(ls: GlmLanguageServer, action: Action, raw: Any) -> dict[str, Any]:
    """One edit command, from argument to the final ``{applied, reason?}``.

    A malformed argument raises ``ValueError`` (the protocol answers ``InvalidParams``). The
    range is claimed from before the model is asked until the edit ends: a second edit into
    a range still streaming is refused (``ALREADY_STREAMING``).
    """
    with contextlib.ExitStack() as claim:
        return await _run_edit(ls, action, raw, claim)


async def _run_edit(
    ls: GlmLanguageServer, action: Action, raw: Any, claim: contextlib.ExitStack
) -> dict[str, Any]:
    args = parse_range_args(raw, needs_instruction=action == "edit")
    try:
        if ls.key_missing():
            raise _Refusal(str(ls.report_missing_key()))
        loaded = await load_document(ls, args.uri)
        if loaded is None:
            raise _Refusal(f"cannot read {args.uri}")
        version, text = loaded
        _check_inside(text, args.start[0])
        encoding = encoding_of(ls.workspace)
        start = to_offset(text, *args.start, encoding)
        end = to_offset(text, *args.end, encoding)
        tracker = DocTracker(text, version, start, end)
        claim.enter_context(ls.active_edits.claim(args.uri, tracker))
        notes = _fix_notes(ls, args) if action == "fix" else ()
        prefix, suffix, context = await _prompt_parts(ls, args.uri, text, start, end)
    except (ValueError, _Refusal, RangeBusy) as exc:
        return Outcome(False, str(exc)).to_json()
    path = uris.to_fs_path(args.uri)
    task = EditTask(
        action=action,
        path=_display(ls, path, args.uri),
        language_id=_language(ls, args.uri, path),
        prefix=prefix,
        selection=text[start:end],
        suffix=suffix,
        first_line=position_of(text, start)[0],
        instruction=args.instruction,
        diagnostics=notes,
        context=context,
    )
    settings = ls.settings
    request = prompts.edit_request(task, model=settings.model, thinking=settings.chat_thinking())
    title = TITLES[action]
    progress = await Progress.start(ls, title, "asking the model…")
    # After the request is on its way: the model's first line takes far longer than this.
    asyncio.get_running_loop().call_later(0.02, warm_up, ls)
    streaming = StreamingEdit(
        LspEditor(ls, args.uri, title),
        tracker,
        starts_line=start == 0 or text[start - 1] == "\n",
        keep_fences="```" in task.selection,
        progress=progress.report,
    )
    outcome = Outcome(False, "cancelled")
    try:
        with ls.status.busy(title):
            async with ls.glm.stream(request) as events:
                outcome = await streaming.run(events)
    finally:
        progress.end(outcome.reason or "done")
        _log_stats(title, streaming, outcome)
    if streaming.failure is not None:
        ls.upstream_failed(streaming.failure)
    elif outcome.applied:
        ls.upstream_ok()
    return outcome.to_json()


def _log_stats(title: str, streaming: StreamingEdit, outcome: Outcome) -> None:
    stats = streaming.stats

    def ms(later: float | None) -> float | None:
        if later is None or stats.first_line is None:
            return None
        return round((later - stats.first_line) * 1000, 1)

    log.info(
        "%s: applied=%s edits=%d refused=%d first line -> first edit sent %s ms, applied %s ms;"
        " reason=%s",
        title,
        outcome.applied,
        stats.edits_sent,
        stats.edits_refused,
        ms(stats.first_edit_sent),
        ms(stats.first_edit_applied),
        outcome.reason,
    )


async def _collect(ls: GlmLanguageServer, request: Any, progress: Progress) -> str:
    reader = AnswerReader(prompts.TESTS_TAG)

    def read_line(text: str) -> None:
        if reader.feed(text):
            progress.report(f"{len(reader.lines)} lines written")

    answer = Collector(on_content=read_line, on_reasoning=lambda _: progress.report("thinking…"))
    async with ls.glm.stream(request) as events:
        await answer.collect(events)
    reason = answer.finish_reason
    if reason not in (None, "stop"):
        raise _Refusal(f"the model stopped early ({reason}); no tests were written")
    code = reader.final().strip("\n")
    if not code.strip():
        raise _Refusal("the model returned no tests")
    return code + "\n"


async def _test_file_state(
    ls: GlmLanguageServer, path: str, exists: bool
) -> tuple[int | None, str]:
    uri = uris.from_fs_path(path) or path
    doc = ls.workspace.text_documents.get(uri)
    if doc is not None:
        return doc.version, doc.source
    if not exists:
        return None, ""
    loaded = await load_document(ls, uri)
    return loaded if loaded is not None else (None, "")


async def run_tests(ls: GlmLanguageServer, raw: Any) -> dict[str, Any]:
    """``glm.tests``: write tests for the range into its conventional test file."""
    args = parse_range_args(raw)
    try:
        if ls.key_missing():
            raise _Refusal(str(ls.report_missing_key()))
        path = uris.to_fs_path(args.uri)
        loaded = await load_document(ls, args.uri)
        if path is None or loaded is None:
            raise _Refusal(f"cannot read {args.uri}")
        _, text = loaded
        _check_inside(text, args.start[0])
        encoding = encoding_of(ls.workspace)
        start, end = to_offset(text, *args.start, encoding), to_offset(text, *args.end, encoding)
        if start == end:
            block = enclosing_block(split_lines(text), position_of(text, start)[0])
            lines = split_lines(text)
            start, end = (
                (sum(map(len, lines[: block[0]])), sum(map(len, lines[: block[1] + 1])))
                if block
                else (0, len(text))
            )
        _, _, context = await _prompt_parts(ls, args.uri, text, start, end)
        root = workspace_root(ls, path)
        target = await asyncio.to_thread(locate_test_file, path, root, os.path.lexists)
        refused = await ls.context.is_excluded(target.path)
        if refused is not None:
            shown = _display(ls, target.path, target.path)
            raise _Refusal(f"the test file {shown} cannot be used: {refused}")
        version, existing = await _test_file_state(ls, target.path, target.exists)
        task = prompts.TestsTask(
            path=_display(ls, path, args.uri),
            language_id=_language(ls, args.uri, path),
            selection=text[start:end],
            test_path=_display(ls, target.path, target.path),
            test_exists=bool(existing),
            test_content=existing[-20000:],
            import_hint=target.import_hint,
            context=context,
        )
        settings = ls.settings
        request = prompts.tests_request(
            task, model=settings.model, thinking=settings.chat_thinking()
        )
        progress = await Progress.start(ls, TESTS.title, "asking the model…")
        try:
            with ls.status.busy(TESTS.title):
                code = await _collect(ls, request, progress)
        except GlmLspError as exc:
            ls.upstream_failed(exc)
            raise _Refusal(str(exc)) from exc
        finally:
            progress.end("done")
        ls.upstream_ok()
        test_uri = uris.from_fs_path(target.path) or target.path
        await _write_tests(ls, test_uri, target.path, version, existing, code)
    except (ValueError, _Refusal) as exc:
        return {"uri": None, "reason": str(exc)}
    return {"uri": test_uri}


async def _write_tests(
    ls: GlmLanguageServer, uri: str, path: str, version: int | None, existing: str, code: str
) -> None:
    """Insert ``code`` at the end of the test file (creating it), then show it."""
    separator = (
        ""
        if not existing or existing.endswith("\n\n")
        else "\n"
        if existing.endswith("\n")
        else "\n\n"
    )
    encoding = encoding_of(ls.workspace)
    at = to_client(existing, position_of(existing, len(existing)), encoding)
    caps = ls.client_capabilities
    document_changes = get_capability(caps, "workspace.workspace_edit.document_changes", False)
    operations = get_capability(caps, "workspace.workspace_edit.resource_operations", None) or []
    file_exists = await asyncio.to_thread(os.path.exists, path)
    if not file_exists and not (document_changes and "create" in operations):
        await asyncio.to_thread(_write_new_file, path, "")
        file_exists = True
    insert = types.TextEdit(range=types.Range(start=at, end=at), new_text=separator + code)
    if document_changes:
        changes: list[Any] = []
        if not file_exists:
            options = types.CreateFileOptions(ignore_if_exists=True)
            changes.append(types.CreateFile(uri=uri, options=options))
        doc = types.OptionalVersionedTextDocumentIdentifier(uri=uri, version=version)
        changes.append(types.TextDocumentEdit(text_document=doc, edits=[insert]))
        edit = types.WorkspaceEdit(document_changes=changes)
    else:
        edit = types.WorkspaceEdit(changes={uri: [insert]})
    result = await ls.workspace_apply_edit_async(
        types.ApplyWorkspaceEditParams(edit=edit, label=TESTS.title)
    )
    if not result.applied:
        raise _Refusal(f"the editor refused to write the tests ({result.failure_reason})")
    if get_capability(caps, "window.show_document.support", False):
        first = types.Position(line=at.line + separator.count("\n"), character=0)
        await ls.window_show_document_async(
            types.ShowDocumentParams(
                uri=uri, take_focus=True, selection=types.Range(start=first, end=first)
            )
        )


def _write_new_file(path: str, text: str) -> None:
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "x", encoding="utf-8") as handle:
        handle.write(text)


def register(server: GlmLanguageServer) -> None:
    """The edit commands."""

    def edit_command(action: Action) -> Any:
        async def handler(ls: GlmLanguageServer, *args: Any) -> dict[str, Any]:
            return await run_edit(ls, action, args[0] if args else None)

        return handler

    for name, action in EDIT_COMMANDS.items():
        server.command(name)(edit_command(action))

    @server.command(TESTS.name)
    async def glm_tests(ls: GlmLanguageServer, *args: Any) -> dict[str, Any]:
        return await run_tests(ls, args[0] if args else None)
