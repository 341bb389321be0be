"""Where the edit sequences come from: commits of git repositories, read only through `git`.

A corpus is a git directory: this repository's own `.git` (a clean clone has it, so the CI
slice always runs) and, when present, the snapshots of public repositories under
`/work/.mirror/<owner>+<name>/repo` (the full run says which it found). Commits are listed
without merges, sampled with a seeded generator, and shown with `-U0` patches; a file change is
kept when the file is a source file of a known language, was modified in place (no rename, no
binary, no missing final line break, no carriage return), is not huge or minified, and has
between 2 and `MAX_HUNKS` hunks. The file before the commit comes from `git cat-file --batch`.

Git runs read-only and untouched by the machine's configuration: no fsmonitor, no hooks, no
pager, no external diff, no rename detection, and `GIT_CONFIG_NOSYSTEM`/`GIT_CONFIG_GLOBAL`
pointing nowhere.
"""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

MIRRORS = Path(os.environ.get("GLM_EVAL_MIRRORS", "/work/.mirror"))
OWN = Path(__file__).resolve().parents[2] / ".git"
MAX_HUNKS = 24
MAX_LINES = 3000
MAX_LINE_CHARS = 300

LANGUAGES = {
    ".py": "python",
    ".js": "javascript",
    ".mjs": "javascript",
    ".cjs": "javascript",
    ".ts": "typescript",
    ".tsx": "typescriptreact",
    ".jsx": "javascriptreact",
    ".go": "go",
    ".rs": "rust",
    ".lua": "lua",
    ".c": "c",
    ".h": "c",
    ".cc": "cpp",
    ".cpp": "cpp",
    ".hpp": "cpp",
    ".java": "java",
    ".rb": "ruby",
    ".sh": "shellscript",
    ".el": "emacs-lisp",
    ".vim": "vim",
}
"""Extension -> LSP language id; other files (docs, data, lock files) are not edit sequences."""

_GIT = (
    "git",
    "-c",
    "core.fsmonitor=",
    "-c",
    "core.hooksPath=/dev/null",
    "-c",
    "core.pager=cat",
    "-c",
    "diff.external=",
    "-c",
    "diff.noprefix=false",
    "-c",
    "core.quotePath=false",
)
_HEADER = re.compile(r"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")


@dataclass(frozen=True)
class Corpus:
    """One git directory and the name the report gives it."""

    name: str
    git_dir: Path


@dataclass(frozen=True)
class Hunk:
    """One `-U0` hunk in the coordinates of the file before the commit: lines
    `[old_start, old_start + len(old))` (0-based) become `new`."""

    old_start: int
    old: tuple[str, ...]
    new: tuple[str, ...]


@dataclass(frozen=True)
class FileChange:
    """A commit's change to one file: the file before it (lines without breaks) and the hunks."""

    corpus: str
    commit: str
    path: str
    language: str
    before: tuple[str, ...]
    hunks: tuple[Hunk, ...]


def corpora(include_mirrors: bool = True) -> list[Corpus]:
    """This repository's history, then every mirror snapshot found (sorted by name)."""
    found = [Corpus("glm-lsp", OWN)] if OWN.is_dir() else []
    if include_mirrors and MIRRORS.is_dir():
        for entry in sorted(MIRRORS.iterdir()):
            if (entry / "repo" / "HEAD").is_file():
                found.append(Corpus(entry.name.replace("+", "/"), entry / "repo"))
    return found


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        GIT_CONFIG_NOSYSTEM="1",
        GIT_CONFIG_GLOBAL=os.devnull,
        GIT_TERMINAL_PROMPT="0",
        GIT_OPTIONAL_LOCKS="0",
        LC_ALL="C",
    )
    env.pop("GIT_DIR", None)
    env.pop("GIT_WORK_TREE", None)
    return env


def git(corpus: Corpus, *args: str, data: bytes | None = None) -> bytes:
    """The output of a read-only git command on `corpus` (raises on failure, naming it)."""
    command = [*_GIT, f"--git-dir={corpus.git_dir}", *args]
    done = subprocess.run(command, input=data, capture_output=True, env=_env(), check=False)
    if done.returncode != 0:
        message = done.stderr.decode(errors="replace").strip()
        raise RuntimeError(f"git failed on {corpus.name}: {' '.join(args[:3])}: {message}")
    return done.stdout


def commits(corpus: Corpus) -> list[str]:
    """Every non-merge commit with a parent, oldest first."""
    out = git(corpus, "rev-list", "--no-merges", "--min-parents=1", "--reverse", "HEAD")
    return out.decode().split()


def language_of(path: str) -> str | None:
    return LANGUAGES.get(os.path.splitext(path)[1].lower())


class _PatchReader:
    """Reads `git show -U0` output line by line into (commit, path, hunks, usable) per file;
    `usable` is False for binary files, missing final line breaks and anything that is not a
    plain in-place modification."""

    def __init__(self) -> None:
        self.commit = ""
        self.path = ""
        self.usable = False
        self.hunks: list[Hunk] = []
        self.start: int | None = None
        self.old: list[str] = []
        self.new: list[str] = []
        self.done: list[tuple[str, str, list[Hunk], bool]] = []

    def _close_hunk(self) -> None:
        if self.start is not None:
            self.hunks.append(Hunk(self.start, tuple(self.old), tuple(self.new)))
            self.start = None

    def close_file(self) -> None:
        self._close_hunk()
        if self.path:
            self.done.append((self.commit, self.path, self.hunks, self.usable))
        self.path, self.hunks, self.usable = "", [], False

    def _header(self, line: str) -> None:
        self._close_hunk()
        match = _HEADER.match(line)
        if match is None:
            self.usable = False
            return
        start, count = int(match.group(1)), int(match.group(2) or "1")
        self.start = start if count == 0 else start - 1
        self.old, self.new = [], []

    def feed(self, line: str) -> None:
        if line.startswith("\x00commit "):
            self.close_file()
            self.commit = line.split()[1]
        elif line.startswith("diff --git "):
            self.close_file()
            self.path, self.usable = line.rsplit(" b/", 1)[-1], True
        elif line.startswith(_UNUSABLE):
            self.usable = False
        elif line.startswith("@@"):
            self._header(line)
        elif self.start is not None and line.startswith("-"):
            self.old.append(line[1:])
        elif self.start is not None and line.startswith("+"):
            self.new.append(line[1:])


_UNUSABLE = ("new file", "deleted file", "rename ", "copy ", "Binary files", "\\ ")


def _parse_patch(text: str) -> list[tuple[str, str, list[Hunk], bool]]:
    """(commit, path, hunks, usable) per file of `git show -U0` output."""
    reader = _PatchReader()
    for line in text.split("\n"):
        reader.feed(line)
    reader.close_file()
    return reader.done


def _blobs(corpus: Corpus, names: list[str]) -> list[bytes | None]:
    """The contents of `rev:path` names through one `git cat-file --batch`."""
    out = git(corpus, "cat-file", "--batch", data="".join(f"{n}\n" for n in names).encode())
    blobs: list[bytes | None] = []
    at = 0
    for _ in names:
        end = out.index(b"\n", at)
        header = out[at:end].split()
        at = end + 1
        if len(header) < 3 or header[1] != b"blob":
            blobs.append(None)
            continue
        size = int(header[2])
        blobs.append(out[at : at + size])
        at += size + 1
    return blobs


def _lines(blob: bytes | None) -> tuple[str, ...] | None:
    """The file's lines, or None when it is not a plain source file worth replaying."""
    if blob is None or b"\r" in blob or b"\x00" in blob or not blob.endswith(b"\n"):
        return None
    try:
        text = blob.decode("utf-8")
    except UnicodeDecodeError:
        return None
    lines = tuple(text[:-1].split("\n"))
    if len(lines) > MAX_LINES or max(len(ln) for ln in lines) > MAX_LINE_CHARS:
        return None
    return lines


def changes(corpus: Corpus, picked: list[str]) -> list[FileChange]:
    """The usable file changes of the commits `picked` (one `git show` for them all)."""
    if not picked:
        return []
    out = git(
        corpus,
        "show",
        "--no-renames",
        "--no-color",
        "--no-ext-diff",
        "--diff-filter=M",
        "-U0",
        "--format=%x00commit %H",
        *picked,
    ).decode("utf-8", errors="replace")
    found: list[tuple[str, str, str, list[Hunk]]] = []
    for commit, path, hunks, usable in _parse_patch(out):
        language = language_of(path)
        if usable and language and 2 <= len(hunks) <= MAX_HUNKS:
            found.append((commit, path, language, hunks))
    befores = _blobs(corpus, [f"{commit}^:{path}" for commit, path, _, _ in found])
    result: list[FileChange] = []
    for (commit, path, language, hunks), blob in zip(found, befores, strict=True):
        lines = _lines(blob)
        if lines is not None and _fits(lines, hunks):
            result.append(FileChange(corpus.name, commit, path, language, lines, tuple(hunks)))
    return result


def _fits(lines: tuple[str, ...], hunks: list[Hunk]) -> bool:
    """The hunks are in order, do not overlap, and their old lines are the file's lines."""
    end = 0
    for hunk in hunks:
        if hunk.old_start < end or lines[hunk.old_start : hunk.old_start + len(hunk.old)] != (
            hunk.old
        ):
            return False
        end = hunk.old_start + len(hunk.old)
    return True


def sample(corpus: Corpus, count: int, seed: int, part: str) -> list[FileChange]:
    """Up to `count` file changes from commits of the corpus's `part` ("dev": commits whose hash
    starts with 0-3, "heldout": the others, "all"), taken in the order of a seeded hash of the
    commit id: a new commit joins the order without reshuffling it, so the CI slice of this
    repository's growing history stays mostly the same."""
    pool = [c for c in commits(corpus) if _part_of(c) == part or part == "all"]
    pool.sort(key=lambda commit: hashlib.sha256(f"{seed}:{commit}".encode()).digest())
    picked: list[FileChange] = []
    batch = 40
    for at in range(0, len(pool), batch):
        picked += changes(corpus, pool[at : at + batch])
        if len(picked) >= count:
            break
    return picked[:count]


def _part_of(commit: str) -> str:
    return "dev" if commit[0] in "0123" else "heldout"
