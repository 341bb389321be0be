"""Parsing #file, #selection, #diff and #diagnostics out of a chat message."""

from __future__ import annotations

from glm_lsp.chat.references import References, parse_references


def test_all_kinds_are_found() -> None:
    """Ensure each reference kind is recognised, files in order without repeats."""
    refs = parse_references("See #file:src/a.py, #selection and #diff; #diagnostics! #file:b.ts")
    assert refs == References(("src/a.py", "b.ts"), True, True, True)


def test_quoted_paths_and_trailing_punctuation() -> None:
    """Ensure a quoted path may hold spaces and trailing punctuation is not part of a path."""
    refs = parse_references('Compare #file:"my dir/x y.py" with (#file:z.py).')
    assert refs.files == ("my dir/x y.py", "z.py")


def test_lookalikes_are_left_alone() -> None:
    """Ensure #123, #include, #diffs, a#diff and URLs with fragments are not references."""
    refs = parse_references("issue #123, #include <x>, #diffs, a#diff, http://h/p#selection")
    assert refs == References()
    assert not refs.any
