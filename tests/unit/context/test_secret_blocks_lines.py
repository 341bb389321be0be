"""Block secrets are read from per-line marks kept between calls (secret_blocks._Marks): each
new version of a document must still be judged as a whole. An edit that adds or removes a key
marker, renames a section header or changes a `kind: Secret` line far away changes what is
hidden at once; the same line in two texts is judged by the lines around it in each; and the
keystroke path (ContextEngine.build after didChange) hides a key whose BEGIN and END lie
outside the cursor window."""

from __future__ import annotations

from pathlib import Path

from ctx_helpers import make_repo, open_file, write

from glm_lsp.context import ContextEngine
from glm_lsp.context.secrets import REDACTED, Redactor, private_key_blocks

FILLER = [f"value_{i} = compute({i})" for i in range(300)]
# Unquoted key bodies that no line rule catches alone (no quotes, no keyword, no vendor shape).
BODY = [f"AAAAAAAAAAAAAAAABBBBBBBBBBBBBBBBCCCCCCCCDDDD{i:04d}" for i in range(4)]
KEY = ["-----BEGIN RSA PRIVATE KEY-----", *BODY, "-----END RSA PRIVATE KEY-----"]
SECTION_VALUE = "  prod: s3cr3t-Value-99"


def _redacted(lines: list[str], path: str = "settings.yaml") -> list[str]:
    text = "\n".join(lines)
    blocks = private_key_blocks(text, lines)
    out, _ = Redactor().redact_lines(lines, 0, len(lines), blocks=blocks)
    return out


def test_body_and_section_value_alone_are_not_line_secrets() -> None:
    """The premise of the tests below: without their BEGIN/END or `credentials:` lines the
    key body and the section value survive, so only the block scan can hide them."""
    assert _redacted([SECTION_VALUE]) == [SECTION_VALUE]
    assert _redacted(BODY) == BODY


def test_key_added_then_removed_by_edits() -> None:
    """Inserting a private key into known text hides its body in that version; removing it
    again leaves no block behind (no stale result from the previous version)."""
    assert private_key_blocks("\n".join(FILLER), FILLER) == []
    with_key = FILLER[:150] + KEY + FILLER[150:]
    assert private_key_blocks("\n".join(with_key), with_key) == [(151, 154)]
    assert not any(line in _redacted(with_key) for line in BODY)
    without = with_key[:150] + with_key[156:]
    assert without == FILLER
    assert private_key_blocks("\n".join(without), without) == []


def test_begin_line_removed_the_end_still_hides_the_body() -> None:
    """An edit that deletes the BEGIN line: the body above the END marker is still hidden."""
    lines = FILLER[:10] + KEY + FILLER[10:20]
    assert private_key_blocks("\n".join(lines), lines) == [(11, 14)]
    del lines[10]
    assert private_key_blocks("\n".join(lines), lines) == [(10, 13)]
    assert not any(line in _redacted(lines) for line in BODY)


def test_section_header_renamed_changes_its_values() -> None:
    """`credentials:` hides the values under it; renamed to `settings:` they are plain again,
    and back to `credentials:` they are hidden again."""
    lines = ["credentials:", SECTION_VALUE, "other: 1"]
    assert "s3cr3t-Value-99" not in "\n".join(_redacted(lines))
    lines[0] = "settings:"
    assert _redacted(lines) == lines
    lines[0] = "credentials:"
    assert "s3cr3t-Value-99" not in "\n".join(_redacted(lines))


def test_kind_secret_far_above_governs_the_data_section() -> None:
    """A Kubernetes `kind: Secret` line 300 lines above `data:` makes its values secret;
    edited to `kind: ConfigMap`, the same data lines are left alone."""
    lines = ["kind: Secret", *[f"# note {i}" for i in range(300)], "data:", SECTION_VALUE]
    assert "s3cr3t-Value-99" not in "\n".join(_redacted(lines))
    lines[0] = "kind: ConfigMap"
    assert _redacted(lines) == lines


def test_same_line_judged_by_its_own_text() -> None:
    """`password: |` opens a hidden block where indented lines follow it, and nothing where
    they do not: the marks are per line, the block is read from each text."""
    opened = ["password: |", "  correct-horse-battery", "after: 1"]
    closed = ["password: |", "after: 1"]
    assert private_key_blocks("\n".join(opened), opened) == [(1, 1)]
    assert private_key_blocks("\n".join(closed), closed) == []


async def test_keystroke_context_hides_key_whose_markers_are_outside_the_window(
    tmp_path: Path,
) -> None:
    """ContextEngine.build for ghost text after didChange edits: a key inserted by one edit
    with a 400-line body (BEGIN and END far outside the cursor window) never shows in the
    window; after the edit that removes it, the plain line at the cursor shows again."""
    root = make_repo(tmp_path / "proj", {"pkg/__init__.py": ""})
    path = write(root, "pkg/deploy.py", "\n".join(FILLER) + "\n")
    engine = ContextEngine(workspace_roots=[str(root)])
    uri = open_file(engine, path)
    await engine.wait_idle()
    long_body = [BODY[0][:-4] + f"{i:04d}" for i in range(400)]
    with_key = FILLER[:10] + ["-----BEGIN RSA PRIVATE KEY-----", *long_body]
    with_key += ["-----END RSA PRIVATE KEY-----", *FILLER[10:]]
    engine.change_document(uri, "\n".join(with_key) + "\n", 2, [(10, 411)])
    result = await engine.build(uri, 210, 0, "inline")
    assert result.cursor is not None
    shown = result.cursor.prefix + result.cursor.suffix
    assert REDACTED in shown and "BEGIN" not in shown and "END RSA" not in shown
    assert not any(line in shown for line in long_body)
    engine.change_document(uri, "\n".join(FILLER) + "\n", 3, [(10, 10)])
    result = await engine.build(uri, 210, 0, "inline")
    assert result.cursor is not None
    assert FILLER[210] in result.cursor.suffix and REDACTED not in result.cursor.suffix
    engine.close()


def test_window_redaction_uses_the_whole_document() -> None:
    """`ContextEngine.redact_window`: a window cut below a `credentials:` header hides the
    section's values (its own redaction alone would not), the cursor line split inside a value
    hides both parts, lines after the section are sent unchanged, and a window whose lines no
    longer match the document (edited since) keeps its own redaction."""
    engine = ContextEngine(workspace_roots=[])
    lines = ["credentials:", *[f"  svc_{i}: Zq8vT{i:03d}xWp3Lm" for i in range(50)], "plain: 1"]
    uri = "file:///ws/deploy.yaml"
    engine.open_document(uri, "\n".join(lines), "yaml", 1)
    prefix = "\n".join(lines[20:31])[: -len("29xWp3Lm")]  # the cursor inside svc_29's value
    suffix = "29xWp3Lm\n" + "\n".join(lines[31:])
    shown_prefix, shown_suffix = engine.redact_window(uri, 20, prefix, suffix)
    assert (
        "Zq8vT" not in shown_prefix and "Zq8vT" not in shown_suffix and "xWp3Lm" not in shown_suffix
    )
    assert shown_prefix.startswith("  svc_19: [REDACTED]")
    assert shown_suffix.endswith("\nplain: 1")
    moved = engine.redact_window(uri, 21, prefix, suffix)
    assert moved == (
        engine.redact(prefix, "/ws/deploy.yaml"),
        engine.redact(suffix, "/ws/deploy.yaml"),
    )
    engine.close()


def _random_edits(seed: int, count: int) -> list[tuple[list[str], int, int]]:
    """(new lines, first edited line, last edited line) for `count` one-range edits of a text
    of filler, key markers, key bodies and secret sections, as typing and pasting make them."""
    import random

    rng = random.Random(seed)
    pool = [*FILLER[:20], *KEY, "credentials:", SECTION_VALUE, "password: |", "  hunter22-long"]
    lines = FILLER[:40]
    edits = []
    for _ in range(count):
        start = rng.randrange(len(lines))
        removed = rng.randrange(0, 3)
        added = [rng.choice(pool) for _ in range(rng.randrange(1, 4))]
        lines = lines[:start] + added + lines[start + removed + 1 :] or ["x = 1"]
        edits.append((lines, min(start, len(lines) - 1), min(start + len(added), len(lines)) - 1))
    return edits


def test_marks_patched_after_an_edit_equal_a_whole_read() -> None:
    """`remark_lines` (only the edited lines read, the rest shifted from the previous
    version's marks) gives the marks, hence the blocks, of reading the new text whole."""
    from glm_lsp.context.secret_blocks import blocks_of, mark_lines, remark_lines

    old = FILLER[:40]
    marked = mark_lines(old)
    for lines, start, _ in _random_edits(5, 300):
        common = 0
        while common < min(len(old), len(lines)) and old[common] == lines[common]:
            common += 1
        start = min(start, common)
        tail = len(old)
        while tail > start and len(lines) - (len(old) - tail) > start:
            if old[tail - 1] != lines[len(lines) - (len(old) - tail) - 1]:
                break
            tail -= 1
        stop = len(lines) - (len(old) - tail)
        marked = remark_lines(marked, lines, start, stop, tail)
        assert marked == mark_lines(lines)
        assert blocks_of(lines, marked) == private_key_blocks("\n".join(lines), lines)
        old = lines


async def test_keystroke_windows_after_edits_equal_whole_redaction(tmp_path: Path) -> None:
    """The cursor window built after each of many one-range didChange edits (the document's
    blocks kept between versions, only edited lines read again) is exactly the new text
    redacted from scratch: a key or section added, cut or restored is never judged stale."""
    root = make_repo(tmp_path / "proj", {"pkg/__init__.py": ""})
    path = write(root, "pkg/deploy.py", "\n".join(FILLER[:40]))
    engine = ContextEngine(workspace_roots=[str(root)])
    uri = open_file(engine, path)
    await engine.wait_idle()
    for version, (lines, start, end) in enumerate(_random_edits(11, 120), start=2):
        engine.change_document(uri, "\n".join(lines), version, [(start, end)])
        result = await engine.build(uri, len(lines) - 1, 0, "inline")
        assert result.cursor is not None
        whole, _ = Redactor().redact_lines(
            lines, 0, len(lines), kind="PYTHON", blocks=private_key_blocks("\n".join(lines), lines)
        )
        assert result.cursor.prefix + result.cursor.suffix == "\n".join(whole), version
    engine.close()
