"""The start-up code cache: attrs' generated methods come from disk, and behave the same."""

from __future__ import annotations
import __future__

import json
import marshal
import subprocess
import sys
import types
from pathlib import Path

import attr._make
import attrs

from glm_lsp.codecache import CodeCache, code_cache

ROOT = Path(__file__).resolve().parents[2]


def define_point() -> type:
    """A fresh attrs class (same generated source every time: same name, same fields)."""

    @attrs.define(order=True)
    class Point:
        x: int
        y: int = 0

    return Point


def test_second_block_serves_generated_methods_from_the_file(tmp_path: Path) -> None:
    """Ensure the first block compiles and saves, a later block answers the same class from
    the file without compiling, and the class it builds behaves like one built without it."""
    path = tmp_path / "code.bin"
    with code_cache(path, save_after=None) as cold:
        define_point()
    assert cold.misses >= 1 and cold.hits == 0 and path.exists()
    with code_cache(path, save_after=None) as warm:
        cached = define_point()
    assert warm.misses == 0 and warm.hits == cold.misses
    plain = define_point()
    a, b = cached(1, 2), cached(1, 3)
    assert (repr(a), a == cached(1, 2), a < b) == ("Point(x=1, y=2)", True, True)
    fresh = plain.__init__.__code__  # type: ignore[misc]
    assert marshal.dumps(cached.__init__.__code__) == marshal.dumps(fresh)  # type: ignore[misc]


def test_attrs_gets_the_builtin_compile_back_after_the_block(tmp_path: Path) -> None:
    """Ensure the stand-in is only in place inside the block."""
    with code_cache(tmp_path / "code.bin", save_after=None):
        assert "compile" in vars(attr._make)
    assert "compile" not in vars(attr._make)


def test_compiler_keeps_the_callers_future_flags(tmp_path: Path) -> None:
    """Ensure code compiled for a module with ``from __future__ import annotations`` keeps
    string annotations (as the builtin called from that module would), and one without it
    does not, even when both compile the same source."""
    cache = CodeCache(tmp_path / "code.bin")
    with_future = types.ModuleType("with_future")
    with_future.annotations = __future__.annotations  # type: ignore[attr-defined]
    without = types.ModuleType("without")
    source = "def f(x: int) -> None: pass\n"
    expected: list[tuple[types.ModuleType, dict[str, object]]] = [
        (with_future, {"x": "int", "return": "None"}),
        (without, {"x": int, "return": None}),
    ]
    for module, wanted in expected:
        namespace: dict[str, object] = {}
        exec(cache.compiler(module)(source, "<test>", "exec"), namespace)
        assert namespace["f"].__annotations__ == wanted  # type: ignore[attr-defined]


def test_damaged_or_foreign_file_is_ignored_and_replaced(tmp_path: Path) -> None:
    """Ensure a cache file with a flipped byte, or garbage, is ignored (everything compiles
    as before) and replaced by a good one."""
    path = tmp_path / "code.bin"
    with code_cache(path, save_after=None):
        define_point()
    data = bytearray(path.read_bytes())
    data[-5] ^= 0xFF
    for bad in (bytes(data), b"not a cache"):
        path.write_bytes(bad)
        with code_cache(path, save_after=None) as cache:
            define_point()
        assert cache.hits == 0 and cache.misses >= 1
    with code_cache(path, save_after=None) as cache:
        define_point()
    assert cache.misses == 0


def test_unwritable_cache_location_is_not_an_error(tmp_path: Path) -> None:
    """Ensure a cache path that cannot be created only means nothing is saved."""
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with code_cache(blocker / "sub" / "code.bin", save_after=None) as cache:
        define_point()
    assert cache.misses >= 1 and not cache.save()


def test_server_start_compiles_almost_nothing_with_a_warm_cache(tmp_path: Path) -> None:
    """Ensure that building the whole server a second time takes nearly all of attrs' and
    cattrs' generated code from the cache (only hash-salted methods are compiled again)."""
    code = (
        "import json, sys\n"
        "from pathlib import Path\n"
        "from glm_lsp.codecache import code_cache\n"
        "with code_cache(Path(sys.argv[1]), save_after=None) as cache:\n"
        "    from glm_lsp.lsp.app import create_server\n"
        "    create_server()\n"
        "print(json.dumps([cache.hits, cache.misses]))\n"
    )
    runs = []
    for _ in range(2):
        done = subprocess.run(
            [sys.executable, "-c", code, str(tmp_path / "code.bin")],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
        runs.append(json.loads(done.stdout))
    (cold_hits, cold_misses), (warm_hits, warm_misses) = runs
    assert cold_hits == 0 and cold_misses > 500
    assert warm_hits + warm_misses == cold_misses and warm_misses < cold_misses // 5


def test_save_skips_a_file_that_differs_only_by_as_many_resalted_methods(tmp_path: Path) -> None:
    """Ensure a start whose only differences are as many changed sources (for known file
    names: attrs' per-process hash salt) as last time writes nothing, while a new file name,
    or more changed sources than before, is saved."""
    path = tmp_path / "code.bin"
    module = types.ModuleType("generated")

    def start(*sources: tuple[str, str]) -> bool:
        cache = CodeCache(path)
        cache.load()
        compile_ = cache.compiler(module)
        for filename, source in sources:
            compile_(source, filename, "exec")
        return cache.save()

    assert start(("<a>", "x = 1"), ("<b>", "h = 1"))  # nothing on disk yet
    assert start(("<a>", "x = 1"), ("<b>", "h = 2"))  # one changed, none before
    assert not start(("<a>", "x = 1"), ("<b>", "h = 3"))  # one changed, as before
    assert start(("<a>", "x = 1"), ("<b>", "h = 4"), ("<c>", "y = 1"))  # a new name
    assert start(("<a>", "x = 2"), ("<b>", "h = 5"), ("<c>", "y = 1"))  # two changed
    assert not start(("<a>", "x = 2"), ("<b>", "h = 5"), ("<c>", "y = 1"))  # all hits
