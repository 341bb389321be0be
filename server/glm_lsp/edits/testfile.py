"""Where the tests for a source file live, by each language's convention.

``locate_test_file`` returns the first conventional test file that exists, or the one to create
(``tests/test_<module>.py``, ``<name>.test.ts``, ``<name>_test.go``, ...). It takes an
``exists`` function so that the caller decides how to touch the disk (in a thread): the server
passes ``os.path.lexists`` (a link counts as there, never silently replaced) and then checks the
chosen path with the context engine's guard (``safepath``) before reading or writing it, so a
test file that links to ``.env``, outside the workspace or to a FIFO is refused.
"""

from __future__ import annotations

import os
from collections.abc import Callable

import attrs

__all__ = ["TestTarget", "locate_test_file", "python_import"]

_JS = {".ts", ".tsx", ".js", ".jsx", ".mjs", ".cjs", ".mts", ".cts"}


@attrs.frozen
class TestTarget:
    """The test file for a source file; ``exists`` tells whether it must be created."""

    path: str
    exists: bool
    import_hint: str | None = None


def python_import(path: str, root: str) -> str | None:
    """``from pkg.module import *``-style module name of ``path`` under ``root`` (src/ layout)."""
    try:
        rel = os.path.relpath(path, root)
    except ValueError:
        return None
    if rel.startswith(".."):
        return None
    parts = rel[: -len(".py")].split(os.sep) if rel.endswith(".py") else rel.split(os.sep)
    if parts and parts[0] in ("src", "lib") and len(parts) > 1:
        parts = parts[1:]
    if parts and parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts) if parts else None


def _candidates(path: str, root: str) -> list[str]:
    folder, name = os.path.split(path)
    stem, ext = os.path.splitext(name)
    j = os.path.join
    if ext == ".py":
        return [
            j(root, "tests", f"test_{stem}.py"),
            j(root, "test", f"test_{stem}.py"),
            j(folder, f"test_{stem}.py"),
            j(folder, "tests", f"test_{stem}.py"),
            j(folder, f"{stem}_test.py"),
        ]
    if ext in _JS:
        return [
            j(folder, f"{stem}.test{ext}"),
            j(folder, f"{stem}.spec{ext}"),
            j(folder, "__tests__", f"{stem}.test{ext}"),
        ]
    if ext == ".go":
        return [j(folder, f"{stem}_test.go")]
    if ext == ".rs":
        return [j(root, "tests", f"{stem}.rs"), j(root, "tests", f"test_{stem}.rs")]
    if ext in (".java", ".kt"):
        marker = os.sep + j("src", "main") + os.sep
        test_name = f"{stem}Test{ext}"
        if marker in path:
            mirrored = path.replace(marker, os.sep + j("src", "test") + os.sep, 1)
            return [j(os.path.dirname(mirrored), test_name)]
        return [j(folder, test_name)]
    if ext == ".rb":
        return [j(root, "spec", f"{stem}_spec.rb"), j(root, "test", f"test_{stem}.rb")]
    if ext == ".cs":
        return [j(folder, f"{stem}Tests.cs")]
    if ext == ".php":
        return [j(root, "tests", f"{stem}Test.php")]
    if ext == ".lua":
        return [j(root, "spec", f"{stem}_spec.lua"), j(root, "tests", f"test_{stem}.lua")]
    if ext in (".ex", ".exs"):
        return [j(root, "test", f"{stem}_test.exs")]
    if ext == ".swift":
        return [j(root, "Tests", f"{stem}Tests.swift")]
    return [j(root, "tests", f"test_{stem}{ext}")]


def locate_test_file(path: str, root: str | None, exists: Callable[[str], bool]) -> TestTarget:
    """The existing conventional test file for ``path``, else the one to create.

    ``root`` is the project root (workspace folder); without one the file's folder is used.
    """
    root = root or os.path.dirname(path)
    candidates = _candidates(path, root)
    hint = python_import(path, root) if path.endswith(".py") else None
    for candidate in candidates:
        if candidate != path and exists(candidate):
            return TestTarget(candidate, True, hint)
    if path.endswith(".rb") and exists(os.path.join(root, "test")):
        return TestTarget(candidates[1], False, hint)
    return TestTarget(candidates[0], False, hint)
