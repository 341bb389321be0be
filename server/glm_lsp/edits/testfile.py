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


# Where each language keeps a file's tests, most conventional first: (base, path template),
# base being the project root or the file's own folder.
_PY_LAYOUT = (
    ("root", "tests/test_{stem}.py"),
    ("root", "test/test_{stem}.py"),
    ("folder", "test_{stem}.py"),
    ("folder", "tests/test_{stem}.py"),
    ("folder", "{stem}_test.py"),
)
_JS_LAYOUT = (
    ("folder", "{stem}.test{ext}"),
    ("folder", "{stem}.spec{ext}"),
    ("folder", "__tests__/{stem}.test{ext}"),
)
_LAYOUTS: dict[str, tuple[tuple[str, str], ...]] = {
    ".py": _PY_LAYOUT,
    **{ext: _JS_LAYOUT for ext in _JS},
    ".go": (("folder", "{stem}_test.go"),),
    ".rs": (("root", "tests/{stem}.rs"), ("root", "tests/test_{stem}.rs")),
    ".rb": (("root", "spec/{stem}_spec.rb"), ("root", "test/test_{stem}.rb")),
    ".cs": (("folder", "{stem}Tests.cs"),),
    ".php": (("root", "tests/{stem}Test.php"),),
    ".lua": (("root", "spec/{stem}_spec.lua"), ("root", "tests/test_{stem}.lua")),
    ".ex": (("root", "test/{stem}_test.exs"),),
    ".exs": (("root", "test/{stem}_test.exs"),),
    ".swift": (("root", "Tests/{stem}Tests.swift"),),
}
_DEFAULT_LAYOUT = (("root", "tests/test_{stem}{ext}"),)


def _candidates(path: str, root: str) -> list[str]:
    folder, name = os.path.split(path)
    stem, ext = os.path.splitext(name)
    if ext in (".java", ".kt"):
        return [_jvm_test(path, folder, stem, ext)]
    bases = {"root": root, "folder": folder}
    return [
        os.path.join(bases[base], *template.format(stem=stem, ext=ext).split("/"))
        for base, template in _LAYOUTS.get(ext, _DEFAULT_LAYOUT)
    ]


def _jvm_test(path: str, folder: str, stem: str, ext: str) -> str:
    """`src/main/.../X.java` -> `src/test/.../XTest.java`; elsewhere next to the file."""
    j = os.path.join
    marker = os.sep + j("src", "main") + os.sep
    test_name = f"{stem}Test{ext}"
    if marker in path:
        mirrored = path.replace(marker, os.sep + j("src", "test") + os.sep, 1)
        return j(os.path.dirname(mirrored), test_name)
    return j(folder, test_name)


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
