"""The guarded reader: links, special files and walks, on a real file system."""

from __future__ import annotations

import os
from pathlib import Path

from glm_lsp.context.exclusions import Exclusions
from glm_lsp.context.safepath import PathGuard, open_regular, read_text, walk_files


def guard_for(root: Path, *patterns: str) -> PathGuard:
    exclusions = Exclusions()
    exclusions.set_roots([str(root)])
    exclusions.set_patterns(list(patterns))
    return PathGuard(exclusions, lambda _path: None)


def test_a_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    """Ensure reading a FIFO (no writer: a plain open would block forever) returns at once
    with the reason, by name and through a link."""
    fifo = tmp_path / "pipe.py"
    os.mkfifo(fifo)
    (tmp_path / "link.py").symlink_to(fifo)
    for path in (fifo, tmp_path / "link.py"):
        found = read_text(str(path))
        assert found.text is None and found.reason == "not a regular file (a FIFO)"


def test_system_trees_are_never_opened(tmp_path: Path) -> None:
    """Ensure /proc, /sys and /dev paths (and links to them) are refused before any open."""
    (tmp_path / "environ").symlink_to("/proc/self/environ")
    (tmp_path / "stdin").symlink_to("/dev/stdin")
    for path in ("/proc/self/environ", "/dev/stdin", "/dev/zero", str(tmp_path / "environ")):
        data, why, _ = open_regular(path)
        assert data is None and why is not None and "system file" in why
    data, why, _ = open_regular(str(tmp_path / "stdin"))
    assert data is None and why is not None


def test_a_link_that_appears_after_the_check_is_not_followed(tmp_path: Path) -> None:
    """Ensure opening a checked real path fails once a directory on it became a link (the
    window between decision and open), instead of reading the new target."""
    (tmp_path / "dir").mkdir()
    (tmp_path / "dir" / "a.txt").write_text("fine\n")
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "a.txt").write_text("SECRET\n")
    real = str(tmp_path / "dir" / "a.txt")
    assert open_regular(real, real=real)[0] == b"fine\n"
    (tmp_path / "dir").rename(tmp_path / "old")
    (tmp_path / "dir").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    data, why, _ = open_regular(real, real=real)
    assert data is None and why == "it changed into a link while being read"


def test_size_cap_is_applied_to_what_is_read(tmp_path: Path) -> None:
    """Ensure a file over the cap is refused as too large, one under it read whole."""
    (tmp_path / "big.txt").write_bytes(b"x" * 2_000)
    assert open_regular(str(tmp_path / "big.txt"), 1_000)[1] == "too large"
    assert open_regular(str(tmp_path / "big.txt"), 2_000)[0] == b"x" * 2_000


def test_guard_applies_exclusions_to_the_link_and_its_target(tmp_path: Path) -> None:
    """Ensure a harmless name linking to .env or to an excluded file is excluded, and so is a
    .env-named link to a harmless file; a plain file passes."""
    root = tmp_path / "ws"
    (root / "private").mkdir(parents=True)
    (root / ".env").write_text("TOKEN=x\n")
    (root / "private" / "notes.txt").write_text("notes\n")
    (root / "app.py").write_text("print(1)\n")
    (root / "config.py").symlink_to(root / ".env")
    (root / "notes_link.txt").symlink_to(root / "private" / "notes.txt")
    (root / "prod.env").symlink_to(root / "app.py")
    guard = guard_for(root, "private/**")
    why = guard.reason(str(root / "config.py"))
    assert why is not None and "links to an excluded file (built-in pattern .env*)" in why
    why = guard.reason(str(root / "notes_link.txt"))
    assert why is not None and "exclude setting private/**" in why
    assert guard.reason(str(root / "prod.env")) == "built-in pattern *.env"
    assert guard.reason(str(root / "app.py")) is None
    assert guard.read(str(root / "config.py")).text is None
    assert guard.read(str(root / "app.py")).text == "print(1)\n"


def test_guard_keeps_reads_inside_the_workspace(tmp_path: Path) -> None:
    """Ensure links (and linked directories) leading out of the workspace are refused, and a
    disk read of a path outside every workspace folder too."""
    root = tmp_path / "ws"
    root.mkdir()
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "data.txt").write_text("outside\n")
    (root / "out.txt").symlink_to(outside / "data.txt")
    (root / "outdir").symlink_to(outside, target_is_directory=True)
    guard = guard_for(root)
    assert guard.reason(str(root / "out.txt")) == "it links outside the workspace"
    assert guard.reason(str(root / "outdir" / "data.txt")) == "it links outside the workspace"
    assert guard.read(str(outside / "data.txt")).reason == "outside the workspace folders"


def test_guard_notices_a_link_retargeted_since_its_decision(tmp_path: Path) -> None:
    """Ensure a read decides afresh: a link allowed before and pointed at .env since is refused."""
    root = tmp_path / "ws"
    root.mkdir()
    (root / ".env").write_text("TOKEN=x\n")
    (root / "a.py").write_text("a = 1\n")
    (root / "link.py").symlink_to(root / "a.py")
    guard = guard_for(root)
    assert guard.reason(str(root / "link.py")) is None
    (root / "link.py").unlink()
    (root / "link.py").symlink_to(root / ".env")
    assert guard.read(str(root / "link.py")).text is None


def test_walk_does_not_follow_linked_directories(tmp_path: Path) -> None:
    """Ensure a walk lists files (links as links) without entering a linked directory, so a
    link to the walk's own root or to the outside neither loops nor escapes."""
    root = tmp_path / "ws"
    (root / "src").mkdir(parents=True)
    (root / "src" / "a.py").write_text("a\n")
    (root / "src" / "self").symlink_to(root, target_is_directory=True)
    (root / "out").symlink_to(tmp_path, target_is_directory=True)
    (root / "link.py").symlink_to(root / "src" / "a.py")
    found = [os.path.relpath(p, root) for p in walk_files(str(root))]
    assert found == ["link.py", os.path.join("src", "a.py")]


def test_a_workspace_opened_through_a_link_is_still_the_workspace(tmp_path: Path) -> None:
    """Ensure a workspace folder that is itself a link (e.g. ~/proj -> /data/proj) keeps its
    files readable and its exclusions (by the workspace-relative `exclude` glob) in force."""
    real = tmp_path / "data" / "proj"
    (real / "src").mkdir(parents=True)
    (real / "src" / "app.py").write_text("app = 1\n")
    (real / "private").mkdir()
    (real / "private" / "notes.txt").write_text("notes\n")
    linked = tmp_path / "proj"
    linked.symlink_to(real, target_is_directory=True)
    (real / "alias.txt").symlink_to(real / "private" / "notes.txt")
    guard = guard_for(linked, "private/**")
    assert guard.read(str(linked / "src" / "app.py")).text == "app = 1\n"
    assert guard.reason(str(linked / "private" / "notes.txt")) == "exclude setting private/**"
    why = guard.reason(str(linked / "alias.txt"))
    assert why is not None and "exclude setting private/**" in why
