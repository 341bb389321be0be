"""Related code (windows + Jaccard) and import discovery/resolution."""

from __future__ import annotations

from pathlib import Path

from ctx_helpers import write

from glm_lsp.context.imports import import_specs, outline, python_roots, resolve
from glm_lsp.context.related import (
    WINDOW_LINES,
    build_index,
    query_tokens,
    tokens_of,
)
from glm_lsp.context.related import (
    best_window as best,
)

FILLER = [f"unrelated_{i} = other_value_{i} + {i}" for i in range(100)]


def test_best_window_finds_the_distinctive_function() -> None:
    """The window holding the query's rare identifiers wins over filler."""
    lines = (
        FILLER[:50]
        + [
            "def reticulate_splines(spline_count, reticulation_depth):",
            "    return spline_count * reticulation_depth",
        ]
        + FILLER[50:]
    )
    index = build_index(lines)
    query = tokens_of(["total = reticulate_splines(spline_count, reticulation_depth)"])
    match = best(index, query)
    assert match is not None and match.score > 0
    assert match.start <= 50 <= match.end
    assert match.end - match.start + 1 <= WINDOW_LINES


def test_no_shared_tokens_means_no_match() -> None:
    """A query sharing nothing with a file yields no window."""
    index = build_index(FILLER)
    assert best(index, frozenset({"zebra_crossing"})) is None


def test_ties_pick_the_earliest_window() -> None:
    """Equal scores resolve to the first window, so results are deterministic."""
    lines = ["alpha_token beta_token"] + FILLER[:40] + ["alpha_token beta_token"] + FILLER[:40]
    index = build_index(lines)
    m1 = best(index, frozenset({"alpha_token", "beta_token"}))
    m2 = best(index, frozenset({"beta_token", "alpha_token"}))
    assert m1 == m2 and m1 is not None and m1.start == 0


def test_query_uses_lines_before_the_cursor_without_keywords() -> None:
    """Query tokens come from the prefix lines, cut at the cursor, minus keywords."""
    lines = ["def first_fn(arg_one):", "    return later_name", "after_cursor_name = 1"]
    q = query_tokens(lines, 1, len("    return "))
    assert q == frozenset({"first_fn", "arg_one"})


def test_python_import_specs() -> None:
    """Absolute, relative, from-imports and multi-name imports are all found."""
    text = (
        "import os, json as j\n"
        "from .util import helper, other as o\n"
        "from ..pkg.mod import thing\n"
        "from . import sibling\n"
        "x = 'import in a string is not at line start'\n"
    )
    specs = import_specs(text, "python")
    for spec in ("os", "json", ".util", ".util.helper", "..pkg.mod", ".sibling"):
        assert spec in specs


def test_js_import_specs_relative_only() -> None:
    """Relative ES imports, re-exports, require and dynamic import; packages are ignored."""
    text = (
        "import React from 'react';\n"
        "import { a } from './a';\n"
        'export { b } from "../lib/b";\n'
        "const c = require('./c.js');\n"
        "const d = await import('./d');\n"
    )
    assert import_specs(text, "typescript") == ("./a", "../lib/b", "./c.js", "./d")


def test_python_resolution_relative_and_absolute(tmp_path: Path) -> None:
    """Relative imports resolve from the package; absolute ones from the workspace roots."""
    write(tmp_path, "src/app/__init__.py", "")
    write(tmp_path, "src/app/util.py", "def helper(): ...\n")
    write(tmp_path, "src/app/sub/__init__.py", "")
    main = write(tmp_path, "src/app/sub/main.py", "from ..util import helper\n")
    roots = python_roots(str(main), [str(tmp_path)])
    assert resolve("..util", str(main), "python", roots) == str(tmp_path / "src/app/util.py")
    assert resolve("app.util", str(main), "python", roots) == str(tmp_path / "src/app/util.py")
    assert resolve("app.sub", str(main), "python", roots) == str(
        tmp_path / "src/app/sub/__init__.py"
    )
    assert resolve("os", str(main), "python", roots) is None


def test_js_resolution_extensions_and_index(tmp_path: Path) -> None:
    """'./a' finds a.ts, './lib' finds lib/index.ts, './c.js' maps to c.ts sources."""
    write(tmp_path, "a.ts", "export const a = 1;\n")
    write(tmp_path, "lib/index.ts", "export const l = 1;\n")
    write(tmp_path, "c.ts", "export const c = 1;\n")
    main = str(tmp_path / "main.ts")
    assert resolve("./a", main, "typescript", []) == str(tmp_path / "a.ts")
    assert resolve("./lib", main, "typescript", []) == str(tmp_path / "lib/index.ts")
    assert resolve("./c.js", main, "typescript", []) == str(tmp_path / "c.ts")
    assert resolve("./missing", main, "typescript", []) is None


def test_outline_keeps_signatures() -> None:
    """The outline of a module is its top-level defs, classes and constants."""
    lines = [
        "import os",
        "MAX_SIZE = 3",
        "def top(a):",
        "    x = 1",
        "class K:",
        "    def m(self):",
    ]
    assert outline(lines, "python") == [
        "MAX_SIZE = 3",
        "def top(a):",
        "class K:",
        "    def m(self):",
    ]
