"""The secrets corpus (tests/secrets_corpus): every secret shape is redacted, look-alikes
survive; and redaction reads blocks, not lines (what a caller showing a slice gets)."""

from __future__ import annotations

import pytest
from tests.secrets_corpus import Case, load

from glm_lsp.context.secret_blocks import SecretBlocks
from glm_lsp.context.secrets import REDACTED, Redactor, kind_for_path, private_key_blocks

SECRETS = load("tuned", "secrets") + load("heldout", "secrets")
LOOKALIKES = load("tuned", "lookalikes") + load("heldout", "lookalikes")
MAX_FALSE_REDACTION_RATE = 0.05


@pytest.fixture(scope="module")
def redactor() -> Redactor:
    return Redactor()


def test_corpus_has_the_promised_size() -> None:
    """At least 60 secret shapes and 60 look-alikes, each with a held-out part of about 30 %,
    case names unique within a split."""
    assert len(SECRETS) >= 60 and len(LOOKALIKES) >= 60
    for cases in (SECRETS, LOOKALIKES):
        held_out = sum(c.split == "heldout" for c in cases)
        assert 0.25 <= held_out / len(cases) <= 0.4
    for cases in (SECRETS, LOOKALIKES):
        assert len({(c.split, c.id) for c in cases}) == len(cases)


@pytest.mark.parametrize("case", SECRETS, ids=lambda c: f"{c.split}-{c.id}")
def test_secret_shape_is_redacted(redactor: Redactor, case: Case) -> None:
    """No secret substring of the case survives redacting its text under its file name."""
    out = redactor.redact(case.text, path=case.file)
    assert case.leaked(out) == []
    assert REDACTED in out


def test_false_redaction_rate_is_at_most_five_percent(redactor: Redactor) -> None:
    """At most 5 % of the look-alikes (each split on its own) are changed at all by redaction."""
    for split in ("tuned", "heldout"):
        cases = [c for c in LOOKALIKES if c.split == split]
        changed = [c.id for c in cases if redactor.redact(c.text, path=c.file) != c.text]
        assert len(changed) / len(cases) <= MAX_FALSE_REDACTION_RATE, changed


def test_every_secret_line_is_redacted_line_by_line_through_blocks(redactor: Redactor) -> None:
    """`redact_lines` over any one line, given the blocks of the whole text, hides the same
    secrets as redacting the whole text: a caller that shows single lines (search results,
    a window edge) never sees a secret whose meaning comes from other lines."""
    for case in SECRETS:
        lines = case.text.split("\n")
        blocks = private_key_blocks(case.text, lines)
        kind = kind_for_path(case.file)
        shown = [
            redactor.redact_lines(lines, i, i + 1, kind=kind, blocks=blocks)[0][0]
            for i in range(len(lines))
        ]
        assert case.leaked("\n".join(shown)) == [], case.id


def test_short_last_line_of_a_key_body_is_redacted() -> None:
    """The short last line of a PEM body (no key shape on its own) is hidden once the
    text is read as a whole, with or without the BEGIN line in view."""
    body = "MIIEowIBAAKCAQEAvRZ0Mhm3PyX7fqY4X9z1nT6kQv8b0mJ9rFq2S1l8cT3wU5yPzQ0a\nH1tIsJ=="
    red = Redactor()
    for text in (
        f"-----BEGIN RSA PRIVATE KEY-----\n{body}\n-----END RSA PRIVATE KEY-----",
        f"{body}\n-----END RSA PRIVATE KEY-----",
    ):
        assert "H1tIsJ==" not in red.redact(text, path="notes.txt")
    assert red.redact("H1tIsJ==", path="notes.txt") == "H1tIsJ=="


def test_section_children_get_value_spans_not_whole_lines() -> None:
    """A value under a `credentials:` section is a span on its own line: the key stays
    readable, the value is replaced, and the blocks say so to per-line callers."""
    text = "smtp:\n  credentials:\n    user_token_value: s3cr3t-Thing\n    host: mail.local\n"
    lines = text.split("\n")
    blocks = private_key_blocks(text, lines)
    assert isinstance(blocks, SecretBlocks) and blocks and list(blocks) == []
    out = Redactor().redact(text, path="app.yml")
    assert "    user_token_value: [REDACTED]" in out and "    host: mail.local" in out


def test_key_blocks_keep_their_armor_lines() -> None:
    """BEGIN/END lines stay visible (the model may know a key is there), bodies do not."""
    text = (
        "-----BEGIN EC PRIVATE KEY-----\n"
        "MHcCAQEEIBkg4LVWM9nuwNSk3yByxZpYRTBnVJk5oG\n"
        "-----END EC PRIVATE KEY-----"
    )
    out = Redactor().redact(text)
    assert out.split("\n") == [
        "-----BEGIN EC PRIVATE KEY-----",
        REDACTED,
        "-----END EC PRIVATE KEY-----",
    ]


@pytest.mark.parametrize(
    ("text", "path"),
    [
        ("password: ${DB_PASSWORD}\ntoken: {{ .Values.token }}\n", "values.yaml"),
        ("password = getpass()\napi_key = settings.API_KEY\n", "app.py"),
        ("DB_PASSWORD=\nSECRET_KEY=<your secret key>\n", "example.txt"),
        ("auth:\n  - github\n  - google\n", "auth.yml"),
        ("password:\n  min_length: 12\n", "policy.yml"),
        ("const PAD_TOKEN = '[PAD]';\nconst mask = '********';\n", "tok.js"),
    ],
)
def test_references_placeholders_and_structure_survive(text: str, path: str) -> None:
    """Env references, templates, calls, empty values, masks and nested mappings under a
    secret-named key are not values, so nothing is replaced."""
    assert Redactor().redact(text, path=path) == text
