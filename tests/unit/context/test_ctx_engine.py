"""ContextEngine end to end on real repositories: sources, exclusions, order, deadlines."""

from __future__ import annotations

import asyncio
import json
import os
from pathlib import Path

import pytest
from ctx_helpers import git, make_repo, open_file, uri, write

from glm_lsp.context import ContextEngine, ContextResult, render_pieces
from glm_lsp.lsp.positions import code_point_column

GEOMETRY = (
    "".join(f"def filler_{i}(value):\n    return value + {i}\n\n" for i in range(30))
    + "def reticulate_splines(spline_count, reticulation_depth):\n"
    + "    return spline_count * reticulation_depth * SPLINE_FACTOR\n"
    + "".join(f"def more_filler_{i}(value):\n    return value - {i}\n\n" for i in range(30))
)
MAIN = (
    "from .shapes import Circle\n\n\n"
    "def run(spline_count, reticulation_depth):\n"
    "    circle = Circle(2)\n"
    "    total = reticulate_splines(spline_count, reticulation_depth)\n"
    "    return total + circle.area()\n"
)
SHAPES = "class Circle:\n    def __init__(self, r):\n        self.r = r\n\n    def area(self):\n"
SHAPES += "        return 3.14159 * self.r * self.r\n"
ENV_SECRET = "sk-proj-Zq9Xw8Vu7Ts6Rq5Po4Nm3Lk2Ji1Hg0FeDcBaZyXwVuTsRq"
PRIVATE_SECRET = "AKIAQWERTYUIOPASDFGH"
IGNORED_TOKEN = "generated_reticulate_spline_table"
CURSOR = (5, len("    total = reticulate_splines("))


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = make_repo(
        tmp_path / "proj",
        {
            "pkg/__init__.py": "",
            "pkg/geometry.py": GEOMETRY,
            "pkg/shapes.py": SHAPES,
            "pkg/main.py": MAIN,
            "pkg/other.py": "def unrelated():\n    return 42\n",
            ".gitignore": "build/\n",
        },
    )
    write(root, ".env", f"OPENAI_API_KEY={ENV_SECRET}\n")
    write(root, "private/conf.py", f'AWS_KEY = "{PRIVATE_SECRET}"  # reticulate_splines\n')
    write(root, "build/gen.py", f"{IGNORED_TOKEN} = reticulate_splines(1, 2)\n")
    return root


def make_engine(root: Path, **kw: object) -> ContextEngine:
    return ContextEngine(workspace_roots=[str(root)], exclude=["private/**"], **kw)  # type: ignore[arg-type]


def texts(result: ContextResult) -> str:
    return json.dumps(result.to_json())


async def test_related_snippet_from_other_open_file(project: Path) -> None:
    """A distinctive function in another open file is picked near a call to it."""
    eng = make_engine(project)
    open_file(eng, project / "pkg/geometry.py")
    open_file(eng, project / "pkg/other.py")
    main = open_file(eng, project / "pkg/main.py")
    await eng.wait_idle()
    result = await eng.build(main, *CURSOR, "inline")
    related = result.by_source("related")
    assert related and related[0].path == "pkg/geometry.py"
    assert "def reticulate_splines(spline_count, reticulation_depth):" in related[0].text
    assert all("def filler_0(" not in p.text for p in related)


async def test_imported_workspace_file_outline_inline_full_in_chat(project: Path) -> None:
    """A file the current file imports is included: outline for inline, whole file for chat."""
    eng = make_engine(project)
    main = open_file(eng, project / "pkg/main.py")
    await eng.wait_idle()
    inline = await eng.build(main, *CURSOR, "inline")
    [imp] = inline.by_source("import")
    assert imp.path == "pkg/shapes.py" and "class Circle:" in imp.text
    assert "3.14159" not in imp.text
    await eng.wait_idle()
    chat = await eng.build(main, *CURSOR, "chat")
    [full] = chat.by_source("import")
    assert "3.14159" in full.text and full.complete


async def test_recent_edits_of_other_files_and_far_edits_of_current(project: Path) -> None:
    """Recently edited ranges appear, except those already inside the cursor window."""
    eng = make_engine(project)
    geo = open_file(eng, project / "pkg/geometry.py")
    main = open_file(eng, project / "pkg/main.py")
    text = GEOMETRY.replace("return value + 3\n", "return value + 3 + edited_marker\n")
    eng.change_document(geo, text, 2, [(10, 10)])
    eng.change_document(main, MAIN + "\n", 2, [(5, 5)])
    await eng.wait_idle()
    result = await eng.build(main, *CURSOR, "inline")
    edits = result.by_source("recent-edit")
    assert [(p.path, "edited_marker" in p.text) for p in edits] == [("pkg/geometry.py", True)]


async def test_chat_has_git_status_and_diff_hunks(project: Path) -> None:
    """Chat context holds branch/HEAD and the diff hunk of a modified tracked file."""
    write(project, "pkg/other.py", "def unrelated():\n    return 43  # changed answer\n")
    eng = make_engine(project)
    main = open_file(eng, project / "pkg/main.py")
    await eng.wait_idle()
    result = await eng.build(main, *CURSOR, "chat")
    [status] = result.by_source("git-status")
    assert "branch: main" in status.text and "initial commit" in status.text
    assert " M pkg/other.py" in status.text and ".env" in status.text
    diffs = {p.path: p.text for p in result.by_source("git-diff")}
    assert "+    return 43  # changed answer" in diffs["pkg/other.py"]
    inline = await eng.build(main, *CURSOR, "inline")
    assert inline.by_source("git-diff") == [] and inline.by_source("git-status") == []


async def test_git_cache_follows_saves_and_index_changes(project: Path) -> None:
    """A saved edit shows up after document_saved; a commit is noticed from the index."""
    eng = make_engine(project, git_check_interval=0.0)
    main = open_file(eng, project / "pkg/main.py")
    await eng.wait_idle()
    first = await eng.build(main, *CURSOR, "chat")
    assert first.by_source("git-diff") == []
    write(project, "pkg/main.py", MAIN + "# saved change\n")
    eng.document_saved(main)
    saved = await eng.build(main, *CURSOR, "chat")
    assert "+# saved change" in saved.by_source("git-diff")[0].text
    git(project, "commit", "-q", "-am", "second commit")
    await eng.build(main, *CURSOR, "chat")  # serves the cache, checks the index stamp
    await eng.wait_idle()
    after = await eng.build(main, *CURSOR, "chat")
    assert after.by_source("git-diff") == []
    assert "HEAD:" in after.by_source("git-status")[0].text
    assert "second commit" in after.by_source("git-status")[0].text


async def test_env_excluded_and_ignored_files_never_appear(project: Path) -> None:
    """Secrets in an open .env, an `exclude`d file and a .gitignored file reach no piece."""
    eng = make_engine(project)
    env = open_file(eng, project / ".env", "dotenv")
    open_file(eng, project / "private/conf.py")
    open_file(eng, project / "build/gen.py")
    main = open_file(eng, project / "pkg/main.py")
    eng.change_document(env, f"OPENAI_API_KEY={ENV_SECRET}\nMORE=1\n", 2, [(1, 1)])
    await eng.wait_idle()
    for feature in ("inline", "edit", "chat"):
        result = await eng.build(main, *CURSOR, feature)  # type: ignore[arg-type]
        dump = texts(result)
        assert ENV_SECRET not in dump and PRIVATE_SECRET not in dump
        assert IGNORED_TOKEN not in dump
        reasons = {(d.path, d.reason.split(":")[0]) for d in result.dropped}
        assert (".env", "excluded") in reasons
        assert ("private/conf.py", "excluded") in reasons
        assert ("build/gen.py", "excluded") in reasons
    own = await eng.build(env, 0, 5, "chat")
    assert own.pieces == [] and own.dropped[0].reason.startswith("excluded")


async def test_secret_in_current_file_redacted_at_cursor(project: Path) -> None:
    """The cursor window is redacted, even when the cursor sits inside the secret."""
    token = "ghp_1234567890abcdefghijklmnopqrstuvwxyzAB"
    path = write(project, "pkg/conf.py", f'TOKEN = "{token}"\nnext_line = 1\n')
    eng = make_engine(project)
    u = open_file(eng, path)
    await eng.wait_idle()
    result = await eng.build(u, 0, 20, "inline")
    assert result.cursor is not None
    assert token[:10] not in texts(result) and token[-10:] not in texts(result)
    assert result.cursor.redactions >= 1
    assert result.cursor.prefix.startswith("TOKEN = ")
    assert result.cursor.suffix.endswith("next_line = 1\n")


async def test_cursor_prefix_suffix_split_and_utf16(project: Path) -> None:
    """prefix/suffix split at the cursor, the UTF-16 column of a non-ASCII line converted by
    lsp.positions (the engine counts code points)."""
    path = write(project, "pkg/emoji.py", 'msg = "😀 hi"\nafter = 2\n')
    eng = make_engine(project)
    u = open_file(eng, path)
    await eng.wait_idle()
    column = code_point_column('msg = "😀 hi"', len('msg = "😀 ') + 1, "utf-16")
    result = await eng.build(u, 0, column, "inline")
    assert result.cursor is not None
    assert result.cursor.prefix == 'msg = "😀 '
    assert result.cursor.suffix == 'hi"\nafter = 2\n'
    assert result.pieces[-1].source == "cursor"


async def test_selection_window_for_edit(project: Path) -> None:
    """With a selection, the window splits into prefix, selection and suffix."""
    eng = make_engine(project)
    main = open_file(eng, project / "pkg/main.py")
    await eng.wait_idle()
    result = await eng.build(main, 4, 0, "edit", selection=(4, 0, 6, 0))
    assert result.cursor is not None
    assert result.cursor.selection == (
        "    circle = Circle(2)\n    total = reticulate_splines(spline_count, reticulation_depth)\n"
    )
    assert result.cursor.prefix.endswith("reticulation_depth):\n")
    assert result.cursor.suffix.startswith("    return total")


async def test_large_file_window_respects_cursor_budget(project: Path) -> None:
    """In a long file the window is cut around the cursor and marked truncated."""
    path = write(project, "pkg/long.py", "".join(f"line_{i} = {i}\n" for i in range(3000)))
    eng = make_engine(project)
    u = open_file(eng, path)
    await eng.wait_idle()
    result = await eng.build(u, 1500, 0, "inline")
    cw = result.cursor
    assert cw is not None and cw.truncated_prefix and cw.truncated_suffix
    assert cw.prefix.endswith("line_1499 = 1499\n") and cw.suffix.startswith("line_1500 = 1500")
    assert result.pieces[-1].tokens <= eng.budget("inline").cursor_tokens


async def test_small_budget_drops_with_reason_and_keeps_cursor(project: Path) -> None:
    """When the budget is tiny, lower-priority pieces are dropped as `budget`."""
    write(project, "pkg/other.py", "def unrelated():\n    return 43\n")
    eng = make_engine(project)
    open_file(eng, project / "pkg/geometry.py")
    main = open_file(eng, project / "pkg/main.py")
    await eng.wait_idle()
    result = await eng.build(main, *CURSOR, "chat", budget_tokens=200)
    assert [p.source for p in result.pieces][-1] == "cursor"
    assert any(d.reason == "budget" for d in result.dropped)
    assert result.used_tokens <= 200


async def test_slow_git_is_dropped_as_timeout_not_awaited(project: Path, tmp_path: Path) -> None:
    """A git that hangs (its excludes file is a FIFO nobody writes yet) is reported as timeout;
    the rest is served, and once git finishes the next build has the git facts."""
    fifo = tmp_path / "excludes.fifo"
    os.mkfifo(fifo)
    git(project, "config", "core.excludesFile", str(fifo))
    eng = make_engine(project)
    main = open_file(eng, project / "pkg/main.py")
    assert await eng.is_excluded(main) is None  # settles the cursor file's own check
    result = await eng.build(main, *CURSOR, "inline")
    assert ("git-diff", "timeout") in {(d.source, d.reason) for d in result.dropped}
    assert result.pieces[-1].source == "cursor"
    releasing = asyncio.create_task(keep_releasing_readers(fifo))
    await eng.wait_idle()
    releasing.cancel()
    later = await eng.build(main, *CURSOR, "inline")
    assert "timeout" not in {d.reason for d in later.dropped if d.source == "git-diff"}


async def keep_releasing_readers(fifo: Path) -> None:
    """Whenever git has the FIFO open for reading, open it for writing and close it (EOF)."""
    while True:
        try:
            os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        except OSError:  # no reader right now
            pass
        await asyncio.sleep(0.01)


async def test_order_is_deterministic_and_stable_first(project: Path) -> None:
    """Same state, same bytes: regardless of open order; stable pieces precede volatile."""
    write(project, "pkg/other.py", "def unrelated():\n    return 43\n")
    names = ["pkg/geometry.py", "pkg/other.py", "pkg/shapes.py", "pkg/main.py"]
    outputs = []
    for order in (names, list(reversed(names[:-1])) + names[-1:]):
        eng = make_engine(project)
        for name in order:
            open_file(eng, project / name)
        await eng.wait_idle()
        main = uri(project / "pkg/main.py")
        result = await eng.build(main, *CURSOR, "chat")
        again = await eng.build(main, *CURSOR, "chat")
        assert render_pieces(result.pieces) == render_pieces(again.pieces)
        flags = [p.stable for p in result.pieces]
        assert flags == sorted(flags, reverse=True)
        assert result.pieces[-1].source == "cursor"
        stable_paths = [p.path or "" for p in result.pieces if p.source == "open-file"]
        assert stable_paths == sorted(stable_paths)
        data = result.to_json()
        data.pop("elapsedMs")
        outputs.append(json.dumps(data))
    assert outputs[0] == outputs[1]


async def test_settings_turn_off_git_diff_and_open_files(project: Path) -> None:
    """context.gitDiff and context.openFiles off remove those sources."""
    write(project, "pkg/other.py", "def unrelated():\n    return 43\n")
    eng = make_engine(project, git_diff=False, open_files=False)
    open_file(eng, project / "pkg/geometry.py")
    main = open_file(eng, project / "pkg/main.py")
    await eng.wait_idle()
    result = await eng.build(main, *CURSOR, "chat")
    sources = {p.source for p in result.pieces}
    assert "git-diff" not in sources and "open-file" not in sources and "related" not in sources
    assert "git-status" in sources


async def test_minified_and_binary_neighbours_are_skipped(project: Path) -> None:
    """Minified open files are named as skipped, never used as snippets."""
    mini = write(project, "pkg/bundle.min.js", "var reticulate_splines=1;" * 400)
    eng = make_engine(project)
    open_file(eng, mini, "javascript")
    main = open_file(eng, project / "pkg/main.py")
    await eng.wait_idle()
    result = await eng.build(main, *CURSOR, "inline")
    assert ("pkg/bundle.min.js", "minified") in {(d.path, d.reason) for d in result.dropped}
    assert all(p.path != "pkg/bundle.min.js" for p in result.pieces)


async def test_closed_file_is_read_from_disk(project: Path) -> None:
    """Inspecting a file that is not open reads it from disk in a thread."""
    eng = make_engine(project)
    result = await eng.build(uri(project / "pkg/shapes.py"), 5, 0, "chat")
    assert result.cursor is not None and "class Circle:" in result.cursor.prefix


async def test_is_excluded_and_redact_for_other_features(project: Path) -> None:
    """The helpers chat tools use: exclusion reasons by path or URI, and redact()."""
    eng = make_engine(project)
    assert (await eng.is_excluded(str(project / ".env"))) is not None
    assert (await eng.is_excluded(uri(project / "build/gen.py"))) == "ignored by .gitignore"
    assert (await eng.is_excluded(str(project / "private/conf.py"))) is not None
    assert (await eng.is_excluded(str(project / "pkg/main.py"))) is None
    assert ENV_SECRET not in eng.redact(f"key={ENV_SECRET}")


async def test_new_gitignore_rule_takes_effect_after_files_changed(project: Path) -> None:
    """An open file that becomes .gitignored stops being used once the change is reported."""
    eng = make_engine(project)
    open_file(eng, project / "pkg/geometry.py")
    main = open_file(eng, project / "pkg/main.py")
    await eng.wait_idle()
    before = await eng.build(main, *CURSOR, "chat")
    assert any(p.path == "pkg/geometry.py" for p in before.pieces)
    write(project, ".gitignore", "build/\npkg/geometry.py\n")
    eng.files_changed([str(project / ".gitignore")])
    after = await eng.build(main, *CURSOR, "chat")
    assert all(p.path != "pkg/geometry.py" for p in after.pieces)
    assert ("pkg/geometry.py", "excluded: ignored by .gitignore") in {
        (d.path, d.reason) for d in after.dropped
    }


async def test_chat_includes_other_open_files_most_recent_first_capped(project: Path) -> None:
    """Other open documents are whole-file pieces in chat; binary ones are named, not read."""
    eng = make_engine(project)
    other = open_file(eng, project / "pkg/other.py")
    eng.open_document(uri(project / "pkg/blob.py"), "abc\x00def", "python", 1)
    main = open_file(eng, project / "pkg/main.py")
    eng.focus_document(other)
    await eng.wait_idle()
    result = await eng.build(main, *CURSOR, "chat")
    [piece] = [p for p in result.by_source("open-file") if p.path == "pkg/other.py"]
    assert piece.complete and "return 42" in piece.text
    assert ("pkg/blob.py", "binary") in {(d.path, d.reason) for d in result.dropped}
    assert "def\x00" not in texts(result) and "abc\\u0000def" not in texts(result)
