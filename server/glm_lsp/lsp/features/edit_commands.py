"""``glm.edit``, ``glm.refactor``, ``glm.fix``, ``glm.docstring`` and ``glm.tests``.

Glue: read the argument (``lsp.arguments``) and the document, convert the range to offsets,
let ``edits.preparation`` build the prompt's parts (and refuse), then hand the model's stream
to ``edits.StreamingEdit`` through the editor adapter, or append ``edits.tests_answer``'s code
to the test file. Each command answers when it is done: ``{applied, reason?}`` or ``{uri}``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
from typing import Any

from pygls import uris

from glm_lsp.context.tokens import language_for_path
from glm_lsp.edits import prompts
from glm_lsp.edits.active import RangeBusy
from glm_lsp.edits.preparation import (
    Refusal,
    check_inside,
    display_path,
    prompt_parts,
    tests_range,
)
from glm_lsp.edits.prompts import Action, EditTask
from glm_lsp.edits.stream import Outcome, StreamingEdit
from glm_lsp.edits.testfile import locate_test_file
from glm_lsp.edits.tests_answer import read_tests, separator_before
from glm_lsp.edits.text import position_of
from glm_lsp.edits.tracker import DocTracker
from glm_lsp.errors import GlmLspError
from glm_lsp.lsp.arguments import (
    RangeArgs,
    diagnostic_notes,
    parse_diagnostics,
    parse_range_args,
)
from glm_lsp.lsp.command_table import EDIT_COMMANDS as STREAMED
from glm_lsp.lsp.command_table import TESTS
from glm_lsp.lsp.editor import (
    LspEditor,
    Progress,
    append_to_file,
    file_state,
    load_document,
    warm_up,
    workspace_root,
)
from glm_lsp.lsp.positions import encoding_of, to_offset
from glm_lsp.lsp.server import GlmLanguageServer

__all__ = ["EDIT_COMMANDS", "register", "run_edit", "run_tests"]

log = logging.getLogger(__name__)

EDIT_COMMANDS: dict[str, Action] = {
    command.name: command.action for command in STREAMED if command.action is not None
}
TITLES: dict[Action, str] = {
    command.action: command.title for command in STREAMED if command.action is not None
}


def _display(ls: GlmLanguageServer, path: str | None, uri: str) -> str:
    return display_path(path, workspace_root(ls, path) if path else None, uri)


def _language(ls: GlmLanguageServer, uri: str, path: str | None) -> str:
    doc = ls.workspace.text_documents.get(uri)
    if doc is not None and doc.language_id:
        return str(doc.language_id)
    return language_for_path(path or uri)


def _fix_notes(ls: GlmLanguageServer, args: RangeArgs) -> tuple[prompts.DiagnosticNote, ...]:
    diagnostics = args.diagnostics or parse_diagnostics(
        ls.diagnostics.touching(args.uri, args.start[0], args.end[0])
    )
    notes = diagnostic_notes(diagnostics)
    if not notes:
        raise Refusal("GLM: Fix needs diagnostics in the range; there are none")
    return notes


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
            raise Refusal(str(ls.report_missing_key()))
        loaded = await load_document(ls, args.uri)
        if loaded is None:
            raise Refusal(f"cannot read {args.uri}")
        version, text = loaded
        check_inside(text, args.start[0])
        encoding = encoding_of(ls.workspace)
        start = to_offset(text, *args.start, encoding)
        end = to_offset(text, *args.end, encoding)
        tracker = DocTracker(text, version, start, end)
        claim.enter_context(ls.active_edits.claim(args.uri, tracker))
        notes = _fix_notes(ls, args) if action == "fix" else ()
        path = uris.to_fs_path(args.uri)
        prefix, suffix, context = await prompt_parts(ls.context, args.uri, path, text, start, end)
    except (ValueError, Refusal, RangeBusy) as exc:
        return Outcome(False, str(exc)).to_json()
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


async def run_tests(ls: GlmLanguageServer, raw: Any) -> dict[str, Any]:
    """``glm.tests``: write tests for the range into its conventional test file."""
    args = parse_range_args(raw)
    try:
        if ls.key_missing():
            raise Refusal(str(ls.report_missing_key()))
        path = uris.to_fs_path(args.uri)
        loaded = await load_document(ls, args.uri)
        if path is None or loaded is None:
            raise Refusal(f"cannot read {args.uri}")
        _, text = loaded
        check_inside(text, args.start[0])
        encoding = encoding_of(ls.workspace)
        start, end = tests_range(
            text,
            to_offset(text, *args.start, encoding),
            to_offset(text, *args.end, encoding),
            language=_language(ls, args.uri, path),
            path=path,
        )
        _, _, context = await prompt_parts(ls.context, args.uri, path, text, start, end)
        target = await asyncio.to_thread(
            locate_test_file, path, workspace_root(ls, path), os.path.lexists
        )
        refused = await ls.context.is_excluded(target.path)
        if refused is not None:
            shown = _display(ls, target.path, target.path)
            raise Refusal(f"the test file {shown} cannot be used: {refused}")
        version, existing = await file_state(ls, target.path, target.exists)
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
        code = await _ask_for_tests(ls, task)
        test_uri = await append_to_file(
            ls,
            target.path,
            version,
            existing,
            separator_before(existing) + code,
            label=TESTS.title,
            what="the tests",
        )
    except (ValueError, Refusal) as exc:
        return {"uri": None, "reason": str(exc)}
    return {"uri": test_uri}


async def _ask_for_tests(ls: GlmLanguageServer, task: prompts.TestsTask) -> str:
    """The model's test code for ``task``, with progress; an upstream failure is a refusal."""
    settings = ls.settings
    request = prompts.tests_request(task, model=settings.model, thinking=settings.chat_thinking())
    progress = await Progress.start(ls, TESTS.title, "asking the model…")
    try:
        with ls.status.busy(TESTS.title):
            async with ls.glm.stream(request) as events:
                code = await read_tests(events, progress.report)
    except GlmLspError as exc:
        ls.upstream_failed(exc)
        raise Refusal(str(exc)) from exc
    finally:
        progress.end("done")
    ls.upstream_ok()
    return code


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
