"""Git facts from real repositories: roots, corner cases, diffs, status and commits."""

from __future__ import annotations

from pathlib import Path

import pytest
from ctx_helpers import git, make_repo, write

from glm_lsp.context.exclusions import Exclusions
from glm_lsp.context.git import (
    MAX_FILE_DIFF_CHARS,
    TRUNCATED,
    GitReader,
    GitSnapshot,
    collect_diffs,
    find_root,
)
from glm_lsp.context.secrets import Redactor


@pytest.fixture(scope="module")
def reader() -> GitReader:
    return GitReader(Redactor())


def snap(reader: GitReader, path: Path) -> GitSnapshot:
    found = find_root(str(path))
    assert found is not None
    ex = Exclusions()
    return reader.snapshot(found[0], found[1], lambda p: ex.static_reason(p, found[0]))


def test_plain_folder_has_no_repository(tmp_path: Path) -> None:
    """A folder outside any repository yields no root."""
    (tmp_path / "plain").mkdir()
    assert find_root(str(tmp_path / "plain")) is None


def test_bare_repository_is_not_a_working_tree(tmp_path: Path) -> None:
    """Inside a bare repository there is no working tree, so no root."""
    git(tmp_path, "init", "-q", "--bare", "store.git")
    assert find_root(str(tmp_path / "store.git")) is None


def test_nested_repository_wins_for_its_files(tmp_path: Path) -> None:
    """A repository inside another owns its own files; the outer owns the rest."""
    outer = make_repo(tmp_path / "outer", {"a.py": "a = 1\n"})
    inner = make_repo(outer / "vendor" / "inner", {"b.py": "b = 1\n"})
    (inner / "pkg").mkdir()
    assert find_root(str(inner / "pkg")) == (str(inner), str(inner / ".git"))
    assert find_root(str(outer)) == (str(outer), str(outer / ".git"))


def test_submodule_is_its_own_repository(tmp_path: Path, reader: GitReader) -> None:
    """A submodule resolves to its own root (gitdir inside the parent's .git) and has diffs."""
    lib = make_repo(tmp_path / "lib", {"lib.py": "def helper():\n    return 1\n"}, "lib commit")
    app = make_repo(tmp_path / "app", {"app.py": "x = 1\n"})
    git(app, "submodule", "add", "-q", str(lib), "libs/lib")
    git(app, "commit", "-q", "-m", "add submodule")
    sub = app / "libs" / "lib"
    root, git_dir = find_root(str(sub)) or ("", "")
    assert root == str(sub)
    assert git_dir.startswith(str(app / ".git" / "modules"))
    write(sub, "lib.py", "def helper():\n    return 2\n")
    s = snap(reader, sub)
    assert s.is_submodule
    assert s.head is not None and s.head_subject == "lib commit"
    assert "lib.py" in s.diffs and "+    return 2" in s.diffs["lib.py"].unstaged


def test_detached_head_reports_no_branch(tmp_path: Path, reader: GitReader) -> None:
    """After `checkout --detach` the snapshot has HEAD but no branch."""
    repo = make_repo(tmp_path / "r", {"a.py": "a = 1\n"}, "first")
    git(repo, "checkout", "-q", "--detach", "HEAD")
    s = snap(reader, repo)
    assert s.branch is None
    assert s.head_subject == "first"


def test_empty_repository_lists_untracked_and_unborn_branch(
    tmp_path: Path, reader: GitReader
) -> None:
    """A repository without commits still has a branch name and untracked files."""
    repo = make_repo(tmp_path / "r", {})
    write(repo, "new.py", "x = 1\n")
    s = snap(reader, repo)
    assert s.branch == "main"
    assert s.head is None and s.recent_commits == ()
    assert s.untracked == ("new.py",)


def test_staged_unstaged_binary_untracked_and_commits(tmp_path: Path, reader: GitReader) -> None:
    """Per-file staged and unstaged diffs, binary named only, untracked and recent subjects."""
    repo = make_repo(tmp_path / "r", {"a.py": "a = 1\n", "img.bin": "\x00\x01\x02"}, "one")
    write(repo, "b.py", "b = 1\n")
    git(repo, "add", "b.py")
    git(repo, "commit", "-q", "-m", "two")
    write(repo, "a.py", "a = 2\n")
    git(repo, "add", "a.py")
    write(repo, "a.py", "a = 3\n")
    (repo / "img.bin").write_bytes(b"\x00\x09\x08\x07")
    write(repo, "fresh.py", "f = 1\n")
    s = snap(reader, repo)
    assert s.branch == "main"
    assert [c.split(" ", 1)[1] for c in s.recent_commits] == ["two", "one"]
    a = s.diffs["a.py"]
    assert "+a = 2" in a.staged and "-a = 1" in a.staged
    assert "+a = 3" in a.unstaged and "-a = 2" in a.unstaged
    assert s.diffs["img.bin"].binary and s.diffs["img.bin"].unstaged == ""
    assert s.untracked == ("fresh.py",)
    assert ("MM", "a.py") in s.status


def test_excluded_tracked_file_diff_is_named_not_read(tmp_path: Path, reader: GitReader) -> None:
    """A tracked .env that changed appears by name only; its content never enters the snapshot."""
    repo = make_repo(tmp_path / "r", {".env": "TOKEN=old\n", "a.py": "a = 1\n"})
    write(repo, ".env", "TOKEN=brand-new-secret-value\n")
    s = snap(reader, repo)
    env = s.diffs[".env"]
    assert env.excluded is not None
    assert env.staged == "" and env.unstaged == ""
    assert "brand-new-secret-value" not in repr(s)


def test_secrets_in_diffs_are_redacted_and_big_diffs_capped(
    tmp_path: Path, reader: GitReader
) -> None:
    """Diff text is redacted, and a huge per-file diff is truncated with a marker."""
    repo = make_repo(tmp_path / "r", {"conf.py": "x = 1\n", "big.py": "y = 0\n"})
    write(repo, "conf.py", 'x = 1\napi_key = "ghp_1234567890abcdefghijklmnopqrstuvwxyzAB"\n')
    write(repo, "big.py", "".join(f"value_{i} = {i}\n" for i in range(5000)))
    s = snap(reader, repo)
    assert "ghp_1234567890" not in s.diffs["conf.py"].unstaged
    assert "[REDACTED]" in s.diffs["conf.py"].unstaged
    big = s.diffs["big.py"]
    assert big.truncated and len(big.unstaged) < MAX_FILE_DIFF_CHARS + 200
    assert big.unstaged.endswith("(diff truncated)")


def test_snapshot_does_not_touch_the_index_lock(tmp_path: Path, reader: GitReader) -> None:
    """Reading status runs without optional locks, so the index file is not rewritten."""
    repo = make_repo(tmp_path / "r", {"a.py": "a = 1\n"})
    write(repo, "a.py", "a = 2\n")
    before = (repo / ".git" / "index").stat().st_mtime_ns
    snap(reader, repo)
    assert (repo / ".git" / "index").stat().st_mtime_ns == before


def test_snapshot_and_chat_diffs_share_one_cap_and_one_rename_rule(
    tmp_path: Path, reader: GitReader
) -> None:
    """The engine's snapshot and the chat's per-file diffs name a renamed file by its new
    name and cut an oversized file's diff at the same size with the same marker."""
    body = "".join(f"line_{i} = {i}\n" for i in range(40))
    repo = make_repo(tmp_path / "r", {"old.py": body, "big.py": "y = 0\n"})
    git(repo, "mv", "old.py", "new.py")
    write(repo, "new.py", body + "extra = 1\n")
    git(repo, "add", "new.py")
    write(repo, "big.py", "".join(f"value_{i} = {i}\n" for i in range(5000)))
    s = snap(reader, repo)
    chat = {d.shown: d for d in collect_diffs([str(repo)], "both")}
    assert "new.py" in s.diffs and "old.py" not in s.diffs
    assert "new.py" in chat and "old.py" not in chat
    assert "+extra = 1" in s.diffs["new.py"].staged and "+extra = 1" in chat["new.py"].text
    snap_big = s.diffs["big.py"].unstaged
    chat_big = chat["big.py"].text.removeprefix("# working tree\n")
    assert snap_big.endswith(TRUNCATED) and chat_big.endswith(TRUNCATED)
    assert len(chat_big) == len(snap_big) <= MAX_FILE_DIFF_CHARS + len(TRUNCATED)
