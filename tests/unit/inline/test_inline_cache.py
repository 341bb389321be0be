"""Typing through a shown suggestion and reusing an in-flight stream."""

from __future__ import annotations

from glm_lsp.inline.cache import PREFIX_KEY_CHARS, CompletionCache, reuse_skip, typed_since

URI = "file:///w/app.py"


def test_exact_hit_and_miss() -> None:
    """The same cursor gives the stored completion; another place gives None."""
    cache = CompletionCache()
    cache.put(URI, "total = ", "\n", "price * qty")
    assert cache.get(URI, "total = ", "\n") == "price * qty"
    assert cache.get(URI, "count = ", "\n") is None
    assert cache.get("file:///w/other.py", "total = ", "\n") is None


def test_typing_through_returns_the_rest() -> None:
    """Characters typed that the suggestion begins with leave the rest of it."""
    cache = CompletionCache()
    cache.put(URI, "total = ", "\n", "price * qty")
    assert cache.get(URI, "total = pr", "\n") == "ice * qty"
    assert cache.get(URI, "total = price * ", "\n") == "qty"


def test_typing_something_else_misses() -> None:
    """A character that differs from the suggestion makes the entry useless."""
    cache = CompletionCache()
    cache.put(URI, "total = ", "\n", "price * qty")
    assert cache.get(URI, "total = pa", "\n") is None
    assert cache.get(URI, "total =", "\n") is None


def test_fully_typed_suggestion_is_exhausted() -> None:
    """Once everything was typed there is nothing to show, and a new request may go out."""
    cache = CompletionCache()
    cache.put(URI, "total = ", "\n", "price * qty")
    assert cache.get(URI, "total = price * qty", "\n") is None


def test_suffix_must_match() -> None:
    """The same prefix before different text is a different place."""
    cache = CompletionCache()
    cache.put(URI, "total = ", "\n", "price * qty")
    assert cache.get(URI, "total = pr", ")\n") is None


def test_longest_matching_prefix_wins() -> None:
    """Of two entries the user typed through, the one stored closest to the cursor is used; the
    older one still serves text that only it predicted."""
    cache = CompletionCache()
    cache.put(URI, "x = ", "\n", "compute(a, b)")
    cache.put(URI, "x = compute(", "\n", "first, second)")
    assert cache.get(URI, "x = compute(fi", "\n") == "rst, second)"
    assert cache.get(URI, "x = compute(a", "\n") == ", b)"


def test_known_empty_answer_is_remembered() -> None:
    """ "" means the model had nothing here: no new request for the same cursor."""
    cache = CompletionCache()
    cache.put(URI, "x = 1", "\n", "")
    assert cache.get(URI, "x = 1", "\n") == ""


def test_lru_eviction_and_forget() -> None:
    """The least recently used entry goes first; a document's entries can be dropped."""
    cache = CompletionCache(max_entries=2)
    cache.put(URI, "a = ", "\n", "1 + 1")
    cache.put(URI, "b = ", "\n", "2 + 2")
    assert cache.get(URI, "a = ", "\n") == "1 + 1"
    cache.put(URI, "c = ", "\n", "3 + 3")
    assert cache.get(URI, "b = ", "\n") is None
    assert len(cache) == 2
    cache.forget(URI)
    assert len(cache) == 0


def test_long_prefixes_compare_by_tail() -> None:
    """With prefixes longer than the key, typing is recognised from the tail even if the window
    start moved."""
    body = "".join(f"line {n}\n" for n in range(400))
    old = body + "total = "
    new = body[50:] + "total = pri"
    assert len(old) > PREFIX_KEY_CHARS
    assert typed_since(old, new) == "pri"
    assert typed_since(old, body + "total") is None
    cache = CompletionCache()
    cache.put(URI, old, "\n", "price * qty")
    assert cache.get(URI, new, "\n") == "ce * qty"


def test_reuse_skip_decisions() -> None:
    """An in-flight stream serves the new cursor when the user typed only what it already
    produced; not after a different character, a deletion, a changed suffix, or a line break in
    single-line mode."""
    args = ("total = ", "\n", "price * qty")
    assert reuse_skip(*args, "total = ", "\n", single_line=True) == 0
    assert reuse_skip(*args, "total = pri", "\n", single_line=True) == 3
    assert reuse_skip(*args, "total = pa", "\n", single_line=True) is None
    assert reuse_skip(*args, "total =", "\n", single_line=True) is None
    assert reuse_skip(*args, "total = pri", ")\n", single_line=True) is None
    lines = ("def f():", "\n", "\n    return 1")
    assert reuse_skip(*lines, "def f():\n    ", "\n", single_line=False) == 5
    assert reuse_skip(*lines, "def f():\n    ", "\n", single_line=True) is None
