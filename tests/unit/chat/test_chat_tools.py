"""The read-only tools on a real workspace: paths, exclusions, caps, git, bad calls."""

from __future__ import annotations

import json
import os
from pathlib import Path

from glm_lsp.chat.tools import TOOLS, Limits, Toolbox
from glm_lsp.chat.workspace import ChatWorkspace
from glm_lsp.context import ContextEngine
from glm_lsp.llm import canonical


async def call(ws: ChatWorkspace, name: str, **args: object) -> tuple[str, str, bool]:
    result = await Toolbox(ws).call(name, json.dumps(args))
    return result.text, result.summary, result.ok


async def test_read_file_numbers_lines_and_pages(ws: ChatWorkspace) -> None:
    """Ensure read_file returns numbered lines of the asked range and says how to get more."""
    text, summary, ok = await call(ws, "read_file", path="src/app.py", start_line=4)
    assert ok and summary == "src/app.py lines 4-6 of 6"
    assert "4  def main():" in text and "import os" not in text
    small = Toolbox(ws, Limits(read_lines=2))
    paged = await small.call("read_file", '{"path": "src/app.py"}')
    assert "lines 1-2 of 6" in paged.text and "ask for more" in paged.text


async def test_excluded_and_outside_paths_are_refused(ws: ChatWorkspace, repo: Path) -> None:
    """Ensure .env, gitignored files, ../ escapes, absolute paths elsewhere and symlinks out of
    the workspace are refused by name, their content never returned."""
    for path in (".env", "build/out.txt", "../outside.txt", "/etc/passwd", "link/passwd"):
        if path == "link/passwd":
            os.symlink("/etc", repo / "link")
        text, _, ok = await call(ws, "read_file", path=path)
        assert not ok and text.startswith("error:")
        assert "SECRET" not in text and "root:" not in text
    text, _, _ = await call(ws, "read_file", path=".env")
    assert "excluded" in text


async def test_list_files_hides_excluded_and_globs_recursively(ws: ChatWorkspace) -> None:
    """Ensure list_files lists a folder (dirs with /), hides excluded files, and globs below."""
    text, _, ok = await call(ws, "list_files")
    assert ok
    lines = text.splitlines()
    assert "src/" in lines and ".gitignore" in lines
    assert ".env" not in text and "debug.log" not in text and ".git/" not in lines
    assert "excluded file(s) not shown" in text
    found, summary, _ = await call(ws, "list_files", glob="**/*.py")
    assert found.splitlines() == ["src/app.py", "src/util.py"]
    assert summary == "2 entries in ."


async def test_search_text_finds_lines_outside_excluded_files(ws: ChatWorkspace) -> None:
    """Ensure search_text reports path:line matches and never searches ignored or secret files."""
    text, summary, ok = await call(ws, "search_text", query="HELPER")
    assert ok and text.splitlines() == ["src/util.py:1: def helper():"]
    assert summary.startswith("1 matches in 1 files")
    regex, _, _ = await call(ws, "search_text", query=r"return \d+", regex=True)
    assert regex.splitlines() == ["src/util.py:2: return 42"]
    secret, _, _ = await call(ws, "search_text", query="SECRETSECRET")
    assert secret == "(no matches)"
    bad, _, ok = await call(ws, "search_text", query="(", regex=True)
    assert not ok and "regular expression" in bad


async def test_git_diff_shows_the_modified_file(ws: ChatWorkspace) -> None:
    """Ensure git_diff returns the working-tree hunk of a modified tracked file."""
    text, summary, ok = await call(ws, "git_diff")
    assert ok and "-    return 'one'" in text and "+    return 'two'" in text
    assert summary.startswith("diff of")
    staged, _, _ = await call(ws, "git_diff", staged=True)
    assert staged == "(no uncommitted changes)"


async def test_git_diff_names_excluded_files_without_their_content(
    ws: ChatWorkspace, repo: Path
) -> None:
    """Ensure a changed file that is excluded is named in the diff but its changes not shown."""
    (repo / "secret").mkdir()
    (repo / "secret" / "plan.txt").write_text("launch code 0000\n")
    text, _, _ = await call(ws, "git_diff")
    assert "secret/plan.txt" in text and "excluded" in text
    assert "launch code" not in text


async def test_bad_calls_become_errors_for_the_model(ws: ChatWorkspace) -> None:
    """Ensure unknown tools, invalid JSON and wrong argument types are answered, not raised."""
    box = Toolbox(ws)
    assert (await box.call("write_file", "{}")).text.startswith("error: there is no tool")
    assert "not valid JSON" in (await box.call("read_file", "{oops")).text
    assert "path must be" in (await box.call("read_file", '{"path": 3}')).text
    bad_line = await box.call("read_file", '{"path": "src/app.py", "start_line": []}')
    assert "integers" in bad_line.text


async def test_outputs_are_capped(ws: ChatWorkspace, repo: Path) -> None:
    """Ensure a long result is cut at the cap with a note."""
    (repo / "src" / "long.py").write_text("\n".join(f"x{i} = {'y' * 80}" for i in range(300)))
    box = Toolbox(ws, Limits(result_chars=2_000))
    result = await box.call("read_file", '{"path": "src/long.py"}')
    assert len(result.text) < 2_200 and result.text.endswith("(output truncated)")


def test_tool_list_is_canonical_and_stable() -> None:
    """Ensure the tool definitions serialize to the same bytes every time (cached prefix)."""
    first = json.dumps(canonical(TOOLS), separators=(",", ":"))
    assert first == json.dumps(canonical(TOOLS), separators=(",", ":"))
    assert [t["function"]["name"] for t in TOOLS] == [
        "read_file",
        "list_files",
        "search_text",
        "git_diff",
        "get_diagnostics",
        "edit_file",
        "create_file",
        "delete_file",
        "rename_file",
    ]


async def test_search_reads_an_open_text_holding_a_lone_surrogate(
    repo: Path, engine: ContextEngine
) -> None:
    """Ensure search_text still searches an editor's unsaved text that holds a lone surrogate
    (RE2 takes UTF-8), and the other files too."""
    odd = str(repo / "src" / "app.py")
    ws = ChatWorkspace(
        [repo.as_uri()],
        excluded=engine.is_excluded,
        redact=lambda text, path: engine.redact(text, path),
        open_texts=lambda: {odd: "def helper_odd():\n    return '\ud800'\n"},
    )
    text, _, ok = await call(ws, "search_text", query="def helper")
    assert ok
    assert text.splitlines() == ["src/app.py:1: def helper_odd():", "src/util.py:1: def helper():"]
