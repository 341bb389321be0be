"""Code actions and streamed edits, end to end: the real server, the loopback GLM endpoint and
a client that applies edits like an editor (``editor_sim``)."""

from __future__ import annotations

import asyncio
import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
from lsprotocol import types
from pygls.exceptions import JsonRpcInvalidParams, JsonRpcRequestCancelled
from pytest_lsp import LanguageClient

from tests.e2e.editor_sim import Editor, Mode, StartEditor, start_editor
from tests.e2e.harness import wait_until
from tests.glm_endpoint import GlmEndpoint
from tests.glm_replies import Reply, Reset

__all__ = ["start_editor"]

DOC = """\
import math


def area(r):
    x = r * r
    y = x * 3.14159
    return y


print(area(2))
"""
NEW_AREA = """\
def area(radius):
    \"\"\"Area of a circle of the given radius.\"\"\"
    return math.pi * radius * radius
"""
FUNC_START = DOC.index("def area")
FUNC_END = DOC.index("    return y\n") + len("    return y\n")
EXPECTED = DOC[:FUNC_START] + NEW_AREA + DOC[FUNC_END:]
FUNC_RANGE = {"start": {"line": 3, "character": 0}, "end": {"line": 7, "character": 0}}


def settings(endpoint: GlmEndpoint, **extra: Any) -> dict[str, Any]:
    return {"provider": "custom", "baseUrl": endpoint.url, "chat": {"thinking": "off"}, **extra}


def line_chunks(text: str, wrap: bool = True) -> list[str]:
    """The answer as the model streams it: one chunk per line, inside the answer tags."""
    body = f"<REPLACEMENT>\n{text}</REPLACEMENT>" if wrap else text
    return [line for line in body.splitlines(keepends=True)]


async def run_command(client: LanguageClient, command: str, arg: dict[str, Any]) -> Any:
    return await client.workspace_execute_command_async(
        types.ExecuteCommandParams(command=command, arguments=[arg])
    )


async def open_sample(
    start_editor: StartEditor, endpoint: GlmEndpoint, tmp_path: Path, **kwargs: Any
) -> tuple[LanguageClient, Editor, str]:
    path = tmp_path / "geometry.py"
    path.write_text(DOC)
    client, editor = await start_editor(settings(endpoint), **kwargs)
    uri = path.as_uri()
    editor.open(uri, DOC)
    return client, editor, uri


async def test_refactor_streams_several_edits_and_ends_with_the_exact_answer(
    start_editor: StartEditor, glm_endpoint: GlmEndpoint, tmp_path: Path
) -> None:
    """Ensure GLM: Refactor streams a multi-line rewrite as at least two versioned edits, the
    final document is the model's answer exactly with the rest untouched, and the request
    asked for the answer in tags with thinking as chat.thinking says."""
    glm_endpoint.enqueue(Reply.stream(line_chunks(NEW_AREA), delay=0.15))
    client, editor, uri = await open_sample(start_editor, glm_endpoint, tmp_path)
    result = await run_command(client, "glm.refactor", {"uri": uri, "range": FUNC_RANGE})
    assert result == {"applied": True}
    assert editor.text(uri) == EXPECTED
    applied = [a for a in editor.applied if a.applied]
    assert len(applied) >= 2
    versions = [a.params.edit.document_changes[0].text_document.version for a in applied]
    assert versions == sorted(set(versions))
    body = glm_endpoint.requests[0].body
    assert body["thinking"] == {"type": "disabled"}
    user = body["messages"][-1]["content"]
    assert "<SELECTION>def area(r):\n    x = r * r\n" in user
    assert body["stop"] == ["</REPLACEMENT>"]


async def code_actions(
    client: LanguageClient,
    uri: str,
    start: tuple[int, int],
    end: tuple[int, int],
    diagnostics: list[types.Diagnostic] | None = None,
    only: list[str] | None = None,
) -> list[Any]:
    result = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=types.Range(
                start=types.Position(line=start[0], character=start[1]),
                end=types.Position(line=end[0], character=end[1]),
            ),
            context=types.CodeActionContext(diagnostics=diagnostics or [], only=only),
        )
    )
    return list(result or [])


def command_arg(action: Any) -> dict[str, Any]:
    """The argument of a code action's command, as plain JSON."""
    arg = action.command.arguments[0]
    return arg if isinstance(arg, dict) else arg._asdict()


def as_json(value: Any) -> Any:
    if hasattr(value, "_asdict"):
        return {k: as_json(v) for k, v in value._asdict().items()}
    if isinstance(value, dict):
        return {k: as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_json(v) for v in value]
    return value


UNUSED = types.Diagnostic(
    range=types.Range(
        start=types.Position(line=4, character=4), end=types.Position(line=4, character=5)
    ),
    message="Local variable 'x' is reassigned before use",
    severity=types.DiagnosticSeverity.Warning,
    source="lint",
    code="W0101",
)


async def test_code_actions_target_the_enclosing_function_with_proper_kinds(
    start_editor: StartEditor, glm_endpoint: GlmEndpoint, tmp_path: Path
) -> None:
    """Ensure that with no selection the actions act on the enclosing function (whole lines),
    carry their commands with [{uri, range}], use grouping kinds, offer Fix only with
    diagnostics (passing them on) and honour context.only."""
    client, _editor, uri = await open_sample(start_editor, glm_endpoint, tmp_path)
    actions = await code_actions(client, uri, (5, 6), (5, 6))
    assert [a.title for a in actions] == [
        "GLM: Explain",
        "GLM: Refactor",
        "GLM: Add docstring",
        "GLM: Write tests",
    ]
    assert [a.kind for a in actions] == ["", "refactor.rewrite", "refactor.rewrite", "source"]
    assert [a.command.command for a in actions] == [
        "glm.explain",
        "glm.refactor",
        "glm.docstring",
        "glm.tests",
    ]
    for action in actions:
        assert as_json(command_arg(action)) == {"uri": uri, "range": FUNC_RANGE}

    with_diag = await code_actions(client, uri, (4, 4), (4, 5), [UNUSED])
    fix = with_diag[0]
    assert (fix.title, fix.kind, fix.command.command) == ("GLM: Fix", "quickfix", "glm.fix")
    assert fix.diagnostics[0].message == UNUSED.message
    arg = as_json(command_arg(fix))
    assert arg["range"] == FUNC_RANGE
    assert arg["diagnostics"][0]["message"] == UNUSED.message

    only_fix = await code_actions(client, uri, (4, 4), (4, 5), [UNUSED], only=["quickfix"])
    assert [a.title for a in only_fix] == ["GLM: Fix"]
    assert await code_actions(client, uri, (0, 0), (0, 0)) == []


async def test_selection_is_grown_to_whole_lines(
    start_editor: StartEditor, glm_endpoint: GlmEndpoint, tmp_path: Path
) -> None:
    """Ensure a partial selection acts on the whole lines it touches."""
    client, _editor, uri = await open_sample(start_editor, glm_endpoint, tmp_path)
    actions = await code_actions(client, uri, (4, 6), (5, 3))
    expected = {"start": {"line": 4, "character": 0}, "end": {"line": 6, "character": 0}}
    assert as_json(command_arg(actions[0]))["range"] == expected


async def test_fix_sends_the_diagnostics_and_applies_the_fix(
    start_editor: StartEditor, glm_endpoint: GlmEndpoint, tmp_path: Path
) -> None:
    """Ensure GLM: Fix, run from its code action, puts the diagnostics in the prompt and
    streams the fix into the document."""
    fixed = "def area(r):\n    return r * r * 3.14159\n"
    glm_endpoint.enqueue(Reply.stream(line_chunks(fixed), delay=0.02))
    client, editor, uri = await open_sample(start_editor, glm_endpoint, tmp_path)
    fix = (await code_actions(client, uri, (4, 4), (4, 5), [UNUSED]))[0]
    result = await run_command(client, "glm.fix", as_json(command_arg(fix)))
    assert result == {"applied": True}
    assert editor.text(uri) == DOC[:FUNC_START] + fixed + DOC[FUNC_END:]
    user = glm_endpoint.requests[0].body["messages"][-1]["content"]
    assert "<DIAGNOSTICS>" in user
    assert "line 5: warning: Local variable 'x' is reassigned before use (lint W0101)" in user


async def test_fix_without_diagnostics_is_refused(
    start_editor: StartEditor, glm_endpoint: GlmEndpoint, tmp_path: Path
) -> None:
    """Ensure glm.fix with no diagnostics in range says so and asks nothing of the model."""
    client, editor, uri = await open_sample(start_editor, glm_endpoint, tmp_path)
    result = await run_command(client, "glm.fix", {"uri": uri, "range": FUNC_RANGE})
    assert result["applied"] is False
    assert "diagnostics" in result["reason"]
    assert glm_endpoint.requests == []
    assert editor.text(uri) == DOC


async def test_edit_with_instruction_strips_fences_and_prose(
    start_editor: StartEditor, glm_endpoint: GlmEndpoint, tmp_path: Path
) -> None:
    """Ensure glm.edit sends the instruction, and an answer in a markdown fence surrounded by
    prose (no tags) ends up in the document as the code alone."""
    answer = f"Here is the updated function:\n\n```python\n{NEW_AREA}```\n\nI renamed r.\n"
    glm_endpoint.enqueue(Reply.stream(line_chunks(answer, wrap=False), delay=0.05))
    client, editor, uri = await open_sample(start_editor, glm_endpoint, tmp_path)
    arg = {"uri": uri, "range": FUNC_RANGE, "instruction": "use math.pi and document it"}
    result = await run_command(client, "glm.edit", arg)
    assert result == {"applied": True}
    assert editor.text(uri) == EXPECTED
    for applied in editor.applied:
        for edit in applied.params.edit.document_changes[0].edits:
            assert "```" not in edit.new_text and "Here is" not in edit.new_text
    assert "use math.pi and document it" in glm_endpoint.requests[0].body["messages"][-1]["content"]


async def test_edit_without_instruction_is_refused(
    start_editor: StartEditor, glm_endpoint: GlmEndpoint, tmp_path: Path
) -> None:
    """Ensure glm.edit without an instruction is refused with InvalidParams (-32602) naming
    what is missing, and the model is not asked."""
    client, _editor, uri = await open_sample(start_editor, glm_endpoint, tmp_path)
    with pytest.raises(JsonRpcInvalidParams) as refused:
        await run_command(client, "glm.edit", {"uri": uri, "range": FUNC_RANGE})
    assert refused.value.code == -32602
    assert refused.value.message == (
        "glm.edit: glm.edit needs an instruction saying what to change"
    )
    assert glm_endpoint.requests == []


async def test_docstring_inserts_without_rewriting_unchanged_lines(
    start_editor: StartEditor, glm_endpoint: GlmEndpoint, tmp_path: Path
) -> None:
    """Ensure GLM: Add docstring inserts the docstring and no edit touches the unchanged
    lines around it (minimal diff)."""
    documented = DOC[FUNC_START:FUNC_END].replace(
        "def area(r):\n", 'def area(r):\n    """Area of a circle of radius r."""\n'
    )
    glm_endpoint.enqueue(Reply.stream(line_chunks(documented), delay=0.05))
    client, editor, uri = await open_sample(start_editor, glm_endpoint, tmp_path)
    result = await run_command(client, "glm.docstring", {"uri": uri, "range": FUNC_RANGE})
    assert result == {"applied": True}
    assert editor.text(uri) == DOC[:FUNC_START] + documented + DOC[FUNC_END:]
    edits = [e for a in editor.applied for e in a.params.edit.document_changes[0].edits]
    assert edits
    for edit in edits:
        assert (edit.range.start.line, edit.range.end.line) == (4, 4)
        assert edit.new_text == '    """Area of a circle of radius r."""\n'


async def test_user_edit_outside_the_range_survives_and_the_result_is_exact(
    start_editor: StartEditor, glm_endpoint: GlmEndpoint, tmp_path: Path
) -> None:
    """Ensure a line the user adds above the range while the rewrite streams is kept, the
    following edits move with it, and the range still ends as the model's answer."""
    glm_endpoint.enqueue(Reply.stream(line_chunks(NEW_AREA), delay=0.2))
    client, editor, uri = await open_sample(start_editor, glm_endpoint, tmp_path)
    loop = asyncio.get_running_loop()

    def after_first(ed: Editor, _applied: Any) -> None:
        ed.on_apply = None
        loop.call_later(0.05, ed.user_edit, uri, 0, 0, "# typed by the user\n")

    editor.on_apply = after_first
    result = await run_command(client, "glm.refactor", {"uri": uri, "range": FUNC_RANGE})
    assert result == {"applied": True}
    assert editor.text(uri) == "# typed by the user\n" + EXPECTED


async def test_user_edit_inside_the_range_stops_the_stream_without_loss(
    start_editor: StartEditor, glm_endpoint: GlmEndpoint, tmp_path: Path
) -> None:
    """Ensure typing inside the range mid-stream stops the edit, keeps the user's text, sends
    no further edit and says why."""
    glm_endpoint.enqueue(Reply.stream(line_chunks(NEW_AREA), delay=0.2))
    client, editor, uri = await open_sample(start_editor, glm_endpoint, tmp_path)
    loop = asyncio.get_running_loop()
    typed: dict[str, Any] = {}

    def type_inside(ed: Editor) -> None:
        text = ed.text(uri)
        at = text.index("def area") + len("def area")
        ed.user_edit(uri, at, at, "_of_circle")
        typed["text"] = ed.text(uri)
        typed["edits"] = len(ed.applied)

    def after_first(ed: Editor, _applied: Any) -> None:
        ed.on_apply = None
        loop.call_later(0.05, type_inside, ed)

    editor.on_apply = after_first
    result = await run_command(client, "glm.refactor", {"uri": uri, "range": FUNC_RANGE})
    assert result["applied"] is False
    assert "edited inside the range" in result["reason"]
    assert len(editor.applied) == typed["edits"]
    assert editor.text(uri) == typed["text"]
    assert "def area_of_circle" in editor.text(uri)


def first_applied(editor: Editor) -> bool:
    return any(a.applied for a in editor.applied)


async def test_cancel_request_restores_the_original_and_closes_the_stream(
    start_editor: StartEditor, glm_endpoint: GlmEndpoint, tmp_path: Path
) -> None:
    """Ensure $/cancelRequest mid-stream cancels the command, closes the model's HTTP stream
    and puts the range back to its original text."""
    glm_endpoint.enqueue(Reply.stream(line_chunks(NEW_AREA), delay=0.3))
    client, editor, uri = await open_sample(start_editor, glm_endpoint, tmp_path)
    params = types.ExecuteCommandParams(
        command="glm.refactor", arguments=[{"uri": uri, "range": FUNC_RANGE}]
    )
    request = asyncio.ensure_future(
        client.protocol.send_request_async(types.WORKSPACE_EXECUTE_COMMAND, params, msg_id=4242)
    )
    await wait_until(lambda: first_applied(editor))
    assert editor.text(uri) != DOC
    client.cancel_request(types.CancelParams(id=4242))
    with pytest.raises(JsonRpcRequestCancelled):
        await request
    await wait_until(lambda: editor.text(uri) == DOC)
    await glm_endpoint.until(lambda ep: ep.requests[0].gone is not None)
    assert glm_endpoint.requests[0].finished is None


async def test_progress_cancel_restores_the_original(
    start_editor: StartEditor, glm_endpoint: GlmEndpoint, tmp_path: Path
) -> None:
    """Ensure the progress's cancel button (window/workDoneProgress/cancel) stops the edit,
    restores the range and answers {applied: false, reason}."""
    glm_endpoint.enqueue(Reply.stream(line_chunks(NEW_AREA), delay=0.3))
    client, editor, uri = await open_sample(start_editor, glm_endpoint, tmp_path)
    running = asyncio.ensure_future(
        run_command(client, "glm.refactor", {"uri": uri, "range": FUNC_RANGE})
    )
    await wait_until(lambda: first_applied(editor))
    [token] = list(client.progress_reports)
    begin = client.progress_reports[token][0]
    assert isinstance(begin, types.WorkDoneProgressBegin)
    assert (begin.title, begin.cancellable) == ("GLM: Refactor", True)
    client.window_work_done_progress_cancel(types.WorkDoneProgressCancelParams(token=token))
    result = await running
    assert result["applied"] is False
    assert result["reason"] == "cancelled; the range was restored to its original text"
    assert editor.text(uri) == DOC
    assert isinstance(client.progress_reports[token][-1], types.WorkDoneProgressEnd)


async def test_upstream_failure_mid_stream_restores_the_original(
    start_editor: StartEditor, glm_endpoint: GlmEndpoint, tmp_path: Path
) -> None:
    """Ensure a connection reset after two streamed lines puts the range back and says why."""
    reply = Reply.stream(line_chunks(NEW_AREA), delay=0.15)
    reply.steps = [*reply.steps[:3], Reset(0.2)]
    glm_endpoint.enqueue(reply)
    client, editor, uri = await open_sample(start_editor, glm_endpoint, tmp_path)
    result = await run_command(client, "glm.refactor", {"uri": uri, "range": FUNC_RANGE})
    assert result["applied"] is False
    assert result["reason"].endswith("; the range was restored to its original text")
    assert "connection" in result["reason"]
    assert first_applied(editor)
    assert editor.text(uri) == DOC


async def test_no_key_gives_a_clear_result(start_editor: StartEditor, tmp_path: Path) -> None:
    """Ensure that without an API key the commands answer with the no-key reason, not a crash."""
    path = tmp_path / "geometry.py"
    path.write_text(DOC)
    client, editor = await start_editor({})
    uri = path.as_uri()
    editor.open(uri, DOC)
    result = await run_command(client, "glm.refactor", {"uri": uri, "range": FUNC_RANGE})
    assert result["applied"] is False
    assert "no API key" in result["reason"]
    tests = await run_command(client, "glm.tests", {"uri": uri, "range": FUNC_RANGE})
    assert tests["uri"] is None and "no API key" in tests["reason"]
    assert editor.text(uri) == DOC


async def test_neovim_style_editor_late_merged_didchange(
    start_editor: StartEditor, glm_endpoint: GlmEndpoint, tmp_path: Path
) -> None:
    """Ensure streaming works with an editor that reports changes 150 ms late, merged with
    the user's typing, and drops stale edits silently (Neovim): the user's line survives and
    the range ends exact."""
    glm_endpoint.enqueue(Reply.stream(line_chunks(NEW_AREA), delay=0.2))
    client, editor, uri = await open_sample(start_editor, glm_endpoint, tmp_path, mode="neovim")
    loop = asyncio.get_running_loop()

    def after_first(ed: Editor, _applied: Any) -> None:
        ed.on_apply = None
        loop.call_later(0.02, ed.user_edit, uri, len(ed.text(uri)), len(ed.text(uri)), "# end\n")

    editor.on_apply = after_first
    result = await run_command(client, "glm.refactor", {"uri": uri, "range": FUNC_RANGE})
    assert result == {"applied": True}
    assert editor.text(uri) == EXPECTED + "# end\n"
    assert sum(a.applied for a in editor.applied) >= 2


TESTS_CODE = (
    "from geometry import area\n\n\ndef test_area_of_unit_circle():\n"
    "    assert round(area(1), 2) == 3.14\n"
)


async def test_tests_creates_the_conventional_test_file_and_shows_it(
    start_editor: StartEditor, glm_endpoint: GlmEndpoint, tmp_path: Path
) -> None:
    """Ensure GLM: Write tests creates tests/test_<module>.py through CreateFile plus an edit,
    shows it with window/showDocument, and answers {uri}."""
    glm_endpoint.default = Reply.stream([f"<TESTS>\n{TESTS_CODE}</TESTS>"])
    client, editor, uri = await open_sample(start_editor, glm_endpoint, tmp_path)
    result = await run_command(client, "glm.tests", {"uri": uri, "range": FUNC_RANGE})
    test_uri = (tmp_path / "tests" / "test_geometry.py").as_uri()
    assert result == {"uri": test_uri}
    [applied] = editor.applied
    create, change = applied.params.edit.document_changes
    assert isinstance(create, types.CreateFile) and create.uri == test_uri
    assert change.text_document.version is None
    assert editor.text(test_uri) == TESTS_CODE
    assert [d.uri for d in client.shown_documents] == [test_uri]
    user = glm_endpoint.requests[0].body["messages"][-1]["content"]
    assert "does not exist yet" in user and "Import it in the tests as: geometry" in user
    assert editor.text(uri) == DOC


async def test_tests_append_to_an_existing_test_file(
    start_editor: StartEditor, glm_endpoint: GlmEndpoint, tmp_path: Path
) -> None:
    """Ensure an existing test file is shown to the model and the new tests are appended at its
    end, after a blank line, without CreateFile."""
    existing = "import geometry\n\n\ndef test_old():\n    assert geometry.area(0) == 0\n"
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_geometry.py").write_text(existing)
    glm_endpoint.default = Reply.stream([f"<TESTS>\n{TESTS_CODE}</TESTS>"])
    client, editor, uri = await open_sample(start_editor, glm_endpoint, tmp_path)
    result = await run_command(client, "glm.tests", {"uri": uri, "range": FUNC_RANGE})
    test_uri = (tmp_path / "tests" / "test_geometry.py").as_uri()
    assert result == {"uri": test_uri}
    [change] = editor.applied[0].params.edit.document_changes
    assert isinstance(change, types.TextDocumentEdit)
    [insert] = change.edits
    assert (insert.range.start.line, insert.range.start.character) == (5, 0)
    assert insert.new_text == "\n" + TESTS_CODE
    user = glm_endpoint.requests[0].body["messages"][-1]["content"]
    assert existing in user and "append at the end" in user


SECRET = "sk-live-9f8e7d6c5b4a39281716"


def git(root: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
        cwd=root,
        check=True,
        capture_output=True,
    )


async def test_prompt_has_the_diff_hunk_and_never_the_env_file(
    start_editor: StartEditor, glm_endpoint: GlmEndpoint, tmp_path: Path
) -> None:
    """Ensure the request body carries the uncommitted diff hunk of the (tracked, modified)
    file being edited when git context is on, and never the content of a .env file, even an
    open one."""
    root = tmp_path / "repo"
    root.mkdir()
    (root / "geometry.py").write_text(DOC.replace("3.14159", "3.14"))
    git(root, "init", "-q")
    git(root, "add", "geometry.py")
    git(root, "commit", "-q", "-m", "init")
    (root / "geometry.py").write_text(DOC)
    (root / ".env").write_text(f"OPENAI_API_KEY={SECRET}\nDEBUG=1\n")
    glm_endpoint.enqueue(Reply.stream(line_chunks(NEW_AREA)))
    client, editor = await start_editor(settings(glm_endpoint), root=root)
    uri = (root / "geometry.py").as_uri()
    editor.open((root / ".env").as_uri(), (root / ".env").read_text(), "dotenv")
    editor.open(uri, DOC)
    result = await run_command(client, "glm.refactor", {"uri": uri, "range": FUNC_RANGE})
    assert result == {"applied": True}
    raw = json.dumps(glm_endpoint.requests[0].body)
    assert "-    y = x * 3.14\\n+    y = x * 3.14159" in raw
    assert SECRET not in raw and "OPENAI_API_KEY" not in raw


async def test_excluded_file_is_refused_before_any_request(
    start_editor: StartEditor, glm_endpoint: GlmEndpoint, tmp_path: Path
) -> None:
    """Ensure an action on an excluded file (.env) is refused with the reason and nothing
    reaches the model."""
    env = tmp_path / ".env"
    env.write_text(f"TOKEN={SECRET}\n")
    client, editor = await start_editor(settings(glm_endpoint))
    editor.open(env.as_uri(), env.read_text(), "dotenv")
    whole = {"start": {"line": 0, "character": 0}, "end": {"line": 1, "character": 0}}
    result = await run_command(client, "glm.refactor", {"uri": env.as_uri(), "range": whole})
    assert result["applied"] is False
    assert "excluded" in result["reason"]
    assert glm_endpoint.requests == []


@pytest.mark.parametrize("mode", ["vscode", "neovim"])
async def test_edit_on_a_stale_version_is_planned_again(
    start_editor: StartEditor, glm_endpoint: GlmEndpoint, tmp_path: Path, mode: Mode
) -> None:
    """Ensure that when the user types (outside the range) just before an edit arrives, the
    editor's refusal (VS Code) or silent drop (Neovim) of that stale edit is noticed, the edit
    is planned again on the new text, and the result is exact with the user's text kept."""
    glm_endpoint.enqueue(Reply.stream(line_chunks(NEW_AREA), delay=0.2))
    client, editor, uri = await open_sample(start_editor, glm_endpoint, tmp_path, mode=mode)
    seen: list[int] = []

    def type_first(ed: Editor, _params: Any) -> None:
        seen.append(1)
        if len(seen) == 2:
            ed.user_edit(uri, len(ed.text(uri)), len(ed.text(uri)), "# late typing\n")

    editor.before_apply = type_first
    result = await run_command(client, "glm.refactor", {"uri": uri, "range": FUNC_RANGE})
    assert result == {"applied": True}
    assert editor.text(uri) == EXPECTED + "# late typing\n"
    stale = [a for a in editor.applied if a.version_before is not None][1]
    assert stale.params.edit.document_changes[0].text_document.version != stale.version_before


async def test_crlf_document_stays_crlf(
    start_editor: StartEditor, glm_endpoint: GlmEndpoint, tmp_path: Path
) -> None:
    """Ensure a rewrite in a CRLF document (whose editor converts inserted line breaks) is
    recognised as our own edit and ends exactly, in CRLF."""
    glm_endpoint.enqueue(Reply.stream(line_chunks(NEW_AREA), delay=0.1))
    path = tmp_path / "geometry.py"
    crlf = DOC.replace("\n", "\r\n")
    path.write_bytes(crlf.encode())
    client, editor = await start_editor(settings(glm_endpoint))
    uri = path.as_uri()
    editor.open(uri, crlf)
    result = await run_command(client, "glm.refactor", {"uri": uri, "range": FUNC_RANGE})
    assert result == {"applied": True}
    assert editor.text(uri) == EXPECTED.replace("\n", "\r\n")
