"""Chat proposals in real headless Neovim: the block under the turn, :GlmDiff, :GlmApply,
:GlmUndo, :GlmDiscard and a conflicting user edit, against glm-lsp and the loopback GLM endpoint
whose model edits sample.py and creates new.py with the write tools."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.glm_endpoint import GlmEndpoint
from tests.glm_replies import Reply
from tests.nvim.harness import run_nvim

SAMPLE = ["def add(a, b):", "    return a + b"]
EDITED = ["def add(a, b):", "    return a + b  # checked"]


def edit_then_create(body: Any) -> Reply | None:
    """The model's first step calls edit_file then create_file; after the tool results it
    answers in words."""
    if any(m.get("role") == "tool" for m in body.get("messages", [])):
        return Reply.stream(["Changed sample.py and added new.py."])
    edit = {"search": "return a + b", "replace": "return a + b  # checked"}
    calls = [
        ("c1", "edit_file", json.dumps({"path": "sample.py", "edits": [edit]})),
        ("c2", "create_file", json.dumps({"path": "new.py", "content": "NEW = 1\n"})),
    ]
    return Reply.tool_calls(calls)


def run(tmp_path: Path, endpoint: GlmEndpoint, mode: str) -> dict[str, Any]:
    endpoint.handler = edit_then_create
    return run_nvim("chat_proposals.lua", tmp_path, base_url=endpoint.url, MODE=mode)


def block_of(chat: list[str]) -> list[str]:
    """The proposal block's lines (from its heading to the hint or last file line)."""
    start = chat.index("### Proposed changes")
    end = start + 1
    while end < len(chat) and chat[end].startswith(("- ", ":Glm")):
        end += 1
    return chat[start:end]


def check_block_and_diff(data: dict[str, Any]) -> None:
    """What every mode shares: the proposal, its block, the diff tab."""
    proposal = data["proposal"]
    assert data["done"]["proposalId"] == proposal["proposalId"]
    assert [(f["path"], f["change"]) for f in proposal["files"]] == [
        ("sample.py", "edit"),
        ("new.py", "create"),
    ]
    assert block_of(data["chat"]) == [
        "### Proposed changes",
        "- edit `sample.py` +1 −1",
        "- create `new.py` +1 −0",
        ":GlmApply  :GlmDiscard  :GlmDiff {file}",
    ]
    assert data["chat"][-2:] == ["## You", ""]
    assert data["glm_diagnostics_advertised"] is True

    first, second = data["diff1"], data["diff2"]
    assert first["tabs"] == 2 and first["left_diff"] and first["right_diff"]
    assert first["left_name"] == str(Path(data["workspace"]) / "sample.py")
    assert first["left_lines"] == SAMPLE
    assert first["right_lines"] == EDITED
    assert not first["right_modifiable"] and first["right_readonly"]
    assert first["right_filetype"] == "python"
    assert "1/2" in first["winbar"] and "sample.py" in first["winbar"]
    assert first["current_is_right"]
    assert second["left_buftype"] == "nofile" and second["left_lines"] == [""]
    assert second["right_lines"] == ["NEW = 1"] and second["left_diff"] and second["right_diff"]
    assert "2/2" in second["winbar"] and "new.py" in second["winbar"]
    assert data["review_after_q"] is False
    assert data["q_map_after"] is False


@pytest.mark.nvim
def test_apply_then_undo(tmp_path: Path, glm_endpoint: GlmEndpoint) -> None:
    """Ensure a turn whose model edits sample.py and creates new.py shows a block listing both
    files (kind, path, +added/−removed) and the hint; :GlmDiff opens a tab diffing the buffer
    against a read-only scratch buffer of the proposed text (]f steps to the created file,
    diffed against an empty buffer; q closes the tab and leaves no mapping behind); :GlmApply
    changes the buffer and creates new.py, reported in one message and in the block; :GlmUndo
    restores sample.py and removes new.py."""
    data = run(tmp_path, glm_endpoint, "apply")
    check_block_and_diff(data)

    assert data["sample_after_apply"] == EDITED
    assert data["new_after_apply"] == ["NEW = 1"]
    assert data["new_on_disk_after_apply"] is not False
    (message,) = data["apply_messages"]
    assert message["msg"].startswith("glm: applied sample.py, new.py"), message
    assert block_of(data["chat_after_apply"]) == [
        "### Proposed changes",
        "- edit `sample.py` +1 −1 · applied",
        "- create `new.py` +1 −0 · applied",
        ":GlmUndo  :GlmDiff {file}",
    ]

    assert data["undo"]["result"]["refused"] == [], data["undo"]
    assert data["sample_after_undo"] == SAMPLE
    assert data["new_on_disk_after_undo"] is False
    (message,) = data["undo_messages"]
    assert message["msg"].startswith("glm: restored"), message
    assert block_of(data["chat_after_undo"])[1:3] == [
        "- edit `sample.py` +1 −1 · undone",
        "- create `new.py` +1 −0 · undone",
    ]


@pytest.mark.nvim
def test_user_edit_during_review_is_refused(tmp_path: Path, glm_endpoint: GlmEndpoint) -> None:
    """Ensure that when the user types in sample.py after the proposal and then runs :GlmApply
    from the chat buffer, sample.py is refused with the server's reason (shown in one message
    and in the block) and keeps the user's text, while new.py is created."""
    data = run(tmp_path, glm_endpoint, "conflict")
    check_block_and_diff(data)

    result = data["apply"]["result"]
    (refused,) = result["refused"]
    assert refused["uri"].endswith("/sample.py")
    assert "sample.py was changed since the proposal" in refused["reason"]
    assert [u.rsplit("/", 1)[-1] for u in result["applied"]] == ["new.py"]
    assert data["sample_after_apply"] == ["# mine", *SAMPLE]
    assert data["new_after_apply"] == ["NEW = 1"]
    (message,) = data["apply_messages"]
    assert message["msg"].startswith("glm: applied new.py; refused sample.py: ")
    assert refused["reason"] in message["msg"] and message["level"] == 3  # WARN
    block = block_of(data["chat_after_apply"])
    assert block[1] == "- edit `sample.py` +1 −1 · refused: " + refused["reason"]
    assert block[2] == "- create `new.py` +1 −0 · applied"
    assert block[3] == ":GlmApply  :GlmDiscard  :GlmDiff {file}"


@pytest.mark.nvim
def test_discard_leaves_files_untouched(tmp_path: Path, glm_endpoint: GlmEndpoint) -> None:
    """Ensure :GlmDiscard drops the proposal on the server (a later glm.chat.apply of it is an
    error) and writes nothing: sample.py keeps its text, new.py is not created; the block says
    discarded and a later :GlmApply says there is no pending proposal."""
    data = run(tmp_path, glm_endpoint, "discard")
    check_block_and_diff(data)

    assert data["sample_after_discard"] == SAMPLE
    assert data["new_on_disk_after_discard"] is False
    (message,) = data["discard_messages"]
    assert message["msg"] == "glm: discarded the proposed changes to sample.py, new.py"
    assert block_of(data["chat_after_discard"]) == [
        "### Proposed changes",
        "- edit `sample.py` +1 −1 · discarded",
        "- create `new.py` +1 −0 · discarded",
    ]
    (message,) = data["apply_after_discard_messages"]
    assert message["msg"].startswith("glm: no pending proposal"), message
    assert "no pending proposal" in data["server_apply_after_discard"]
    assert (Path(data["workspace"]) / "sample.py").read_text() == "\n".join(SAMPLE) + "\n"


@pytest.mark.nvim
def test_pending_proposal_applies_after_a_restart(
    tmp_path: Path, glm_endpoint: GlmEndpoint
) -> None:
    """Ensure a proposal left pending when Neovim and the server quit can be applied later:
    in a new Neovim, the chat reopened with :GlmChatList and :GlmApply sample.py there asks the
    server for the chat's pending proposal (glm.chat.proposals), shows its block in the chat
    above the message being typed (the reopened answer shows its tool calls as one-line
    summaries under one heading), and applies just that file."""
    first = run(tmp_path, glm_endpoint, "propose")
    proposal_id = first["proposal"]["proposalId"]
    data = run_nvim("chat_proposals_reopen.lua", tmp_path, base_url=glm_endpoint.url)

    assert data["known_before"] == 0
    assert data["apply"]["proposalId"] == proposal_id
    result = data["apply"]["result"]
    assert [u.rsplit("/", 1)[-1] for u in result["applied"]] == ["sample.py"]
    assert result["refused"] == []
    assert data["sample"] == EDITED
    assert not (Path(data["workspace"]) / "new.py").exists()
    assert block_of(data["chat"]) == [
        "### Proposed changes",
        "- edit `sample.py` +1 −1 · applied",
        "- create `new.py` +1 −0",
        ":GlmApply  :GlmDiscard  :GlmDiff {file}",
    ]
    # the answer's tool results read as one-line summaries under one heading
    glm = data["chat"].index("## GLM")
    assert data["chat"].count("## GLM") == 1
    assert data["chat"][glm + 1].startswith("> edit_file: ")
    assert data["chat"][glm + 2].startswith("> create_file: ")
    # the block sits above the last "## You", never in the message being typed
    assert data["chat"][-2:] == ["## You", ""]
    assert data["chat"].index("### Proposed changes") > data["chat"].index("## GLM")


def diagnostics_then_answer(body: Any) -> Reply | None:
    """The model's first step asks for the diagnostics of sample.py (open, with a warning) and
    other.py (not open); after the tool result it answers."""
    if any(m.get("role") == "tool" for m in body.get("messages", [])):
        return Reply.stream(["One warning."])
    paths = {"paths": ["sample.py", "other.py"]}
    return Reply.tool_calls([("d1", "get_diagnostics", json.dumps(paths))])


@pytest.mark.nvim
def test_progress_and_diagnostics_from_neovim(tmp_path: Path, glm_endpoint: GlmEndpoint) -> None:
    """Ensure the server gets the editor's diagnostics from Neovim (glm/diagnostics answered
    with vim.diagnostic.get: a linter's warning on the open sample.py, with its source and code,
    reaches the model; the answer has the 0-based range in the client's position encoding
    (a byte column after 'é' converted), other.py, not loaded, has none), and glm/chat/progress
    shows as "step n/8 · tokens/200k tokens" after the running turn's heading and in the
    statusline, and is gone after done."""
    glm_endpoint.handler = diagnostics_then_answer
    files = {"sample.py": "def add(a, b):\n    return 'é' + b\n", "other.py": "X = 1\n"}
    data = run_nvim("chat_agent.lua", tmp_path, files=files, base_url=glm_endpoint.url)

    assert data["done"]["finishReason"] == "stop"
    (second,) = [
        r for r in glm_endpoint.requests if any(m["role"] == "tool" for m in r.body["messages"])
    ]
    (tool,) = [m for m in second.body["messages"] if m["role"] == "tool"]
    result = tool["content"]
    assert "line 2: warning: a + b may overflow [testlint/W42]" in result, result
    assert "(none)" in result[result.index("other.py") :], result

    sample, other = data["answer"]["items"]
    assert sample["uri"].endswith("/sample.py") and other["uri"].endswith("/other.py")
    assert other["diagnostics"] == []
    (diagnostic,) = sample["diagnostics"]
    column = {"utf-8": 18, "utf-16": 17, "utf-32": 17}[data["encoding"]]
    assert diagnostic == {
        "range": {
            "start": {"line": 1, "character": column},
            "end": {"line": 1, "character": column + 1},
        },
        "severity": 2,
        "message": "a + b may overflow",
        "source": "testlint",
        "code": "W42",
    }

    progress = data["progress"]
    assert progress, "no glm/chat/progress reached the chat"
    for seen in progress:
        params = seen["params"]
        assert params["maxSteps"] == 8 and params["tokenBudget"] == 200000
        expected = f"step {params['step']}/8 · "
        assert seen["shown"].startswith(expected), seen
        assert "/200k tokens" in seen["shown"]
        assert expected in seen["statusline"], seen
    assert any(s["params"].get("activity") for s in progress)
    assert data["shown_after_done"] == ""
    assert "step" not in data["statusline_after_done"]


@pytest.mark.nvim
def test_auto_apply_shows_the_files_applied(tmp_path: Path, glm_endpoint: GlmEndpoint) -> None:
    """Ensure that with chat.autoApply the turn's changes are in the buffers when it ends and
    the block, after asking the server for the proposal's states (glm.chat.proposals), marks
    the files applied and offers :GlmUndo instead of :GlmApply."""
    glm_endpoint.handler = edit_then_create
    data = run_nvim("chat_proposals.lua", tmp_path, base_url=glm_endpoint.url, MODE="auto")

    assert data["sample_auto"] == EDITED
    assert data["new_auto"] == ["NEW = 1"]
    assert block_of(data["chat_auto"]) == [
        "### Proposed changes",
        "- edit `sample.py` +1 −1 · applied",
        "- create `new.py` +1 −0 · applied",
        ":GlmUndo  :GlmDiff {file}",
    ]


def rename_and_delete(body: Any) -> Reply | None:
    """The model renames old.py to renamed.py, edits it there, and deletes gone.py."""
    if any(m.get("role") == "tool" for m in body.get("messages", [])):
        return Reply.stream(["Renamed and removed."])
    edit = {"search": "OLD = 0", "replace": "OLD = 1"}
    calls = [
        ("r1", "rename_file", json.dumps({"path": "old.py", "new_path": "renamed.py"})),
        ("r2", "edit_file", json.dumps({"path": "renamed.py", "edits": [edit]})),
        ("r3", "delete_file", json.dumps({"path": "gone.py"})),
    ]
    return Reply.tool_calls(calls)


@pytest.mark.nvim
def test_rename_and_delete_apply_and_undo(tmp_path: Path, glm_endpoint: GlmEndpoint) -> None:
    """Ensure a proposal renaming (and editing) a closed file and deleting another is listed
    with both names, completes its file names for :GlmApply/:GlmDiff, diffs the delete against
    an empty buffer and the rename under its new name; :GlmApply! renames and deletes on disk
    through Neovim's own workspace edit and writes the renamed file's new text; :GlmUndo puts
    both files back."""
    glm_endpoint.handler = rename_and_delete
    files = {"sample.py": "X = 1\n", "old.py": "OLD = 0\n", "gone.py": "GONE = 1\n"}
    data = run_nvim("chat_proposals_rename.lua", tmp_path, files=files, base_url=glm_endpoint.url)

    assert block_of(data["chat"]) == [
        "### Proposed changes",
        "- rename `old.py → renamed.py` +1 −1",
        "- delete `gone.py` +0 −1",
        ":GlmApply  :GlmDiscard  :GlmDiff {file}",
    ]
    assert sorted(data["completion"]) == ["gone.py", "old.py", "renamed.py"]
    assert data["completion_g"] == ["gone.py"]
    assert data["delete_left"] == ["GONE = 1"] and data["delete_right"] == [""]
    assert data["rename_right_name"].endswith("/renamed.py")
    assert data["rename_right"] == ["OLD = 1"]

    assert data["apply"]["result"]["refused"] == [], data["apply"]
    assert data["disk_after_apply"] == {"old.py": False, "renamed.py": "OLD = 1", "gone.py": False}
    assert data["renamed_buffer"] == ["OLD = 1"]

    assert data["undo"]["result"]["refused"] == [], data["undo"]
    assert data["old_buffer_after_undo"] == ["OLD = 0"]
    assert data["gone_buffer_after_undo"] == ["GONE = 1"]
    assert data["disk_after_undo"]["renamed.py"] is False
    assert block_of(data["chat_after_undo"])[1:3] == [
        "- rename `old.py → renamed.py` +1 −1 · undone",
        "- delete `gone.py` +0 −1 · undone",
    ]
