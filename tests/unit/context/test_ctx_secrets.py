"""Redaction: a corpus of real-shaped secrets never survives, ordinary code does."""

from __future__ import annotations

import pytest
from detect_secrets.plugins import keyword as ds_keyword

from glm_lsp.context.secrets import REDACTED, Redactor, private_key_blocks

# (line, the secret it contains); values are fake but have each vendor's real shape.
CORPUS = [
    ('aws_access_key_id = "AKIAIOSFODNN7EXAMPLE"', "AKIAIOSFODNN7EXAMPLE"),
    (
        "AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    ),
    (
        'token = "ghp_1234567890abcdefghijklmnopqrstuvwxyzAB"',
        "ghp_1234567890abcdefghijklmnopqrstuvwxyzAB",
    ),
    (
        "export GITHUB_TOKEN=ghp_1234567890abcdefghijklmnopqrstuvwxyzAB",
        "ghp_1234567890abcdefghijklmnopqrstuvwxyzAB",
    ),
    (
        "gh = github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUV",
        "github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUV",
    ),
    (
        "SLACK=xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx",
        "xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx",
    ),
    (
        'hook = "https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX"',
        "XXXXXXXXXXXXXXXXXXXXXXXX",
    ),
    ('stripe.api_key = "sk_live_4eC39HqLyjWDarjtT1zdp7dc"', "sk_live_4eC39HqLyjWDarjtT1zdp7dc"),
    ("STRIPE=sk_test_4eC39HqLyjWDarjtT1zdp7dc", "sk_test_4eC39HqLyjWDarjtT1zdp7dc"),
    (
        "OPENAI_API_KEY=sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAb7cDe0fGh3iJk6lMn9oPq2rSt5uVw8x",
        "sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAb7cDe0fGh3iJk6lMn9oPq2rSt5uVw8x",
    ),
    (
        'client = OpenAI(api_key="sk-abcdefghijklmnopqrstT3BlbkFJabcdefghijklmnopqrst")',
        "sk-abcdefghijklmnopqrstT3BlbkFJabcdefghijklmnopqrst",
    ),
    (
        "ANTHROPIC=sk-ant-api03-abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUV-abcdefg",
        "sk-ant-api03-abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUV-abcdefg",
    ),
    (
        'glm_key = "0123456789abcdef0123456789abcdef.AbCdEfGhIjKlMnOp"',
        "0123456789abcdef0123456789abcdef.AbCdEfGhIjKlMnOp",
    ),
    (
        "headers = {'Authorization': 'Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9."
        "eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ."
        "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c'}",
        "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
    ),
    ("DATABASE_URL=postgres://admin:hunter2pass@db.example.com:5432/app", "hunter2pass"),
    ('url = "https://user:p4ssw0rd@example.com/x"', "p4ssw0rd"),
    ("redis://default:p@ss:w0rd!@cache.internal:6379/0", "w0rd!"),
    ('password = "correct horse battery staple"', "correct horse battery staple"),
    (
        "GOOGLE_KEY=AIzaSyA1234567890abcdefghijklmnopqrstuv",
        "AIzaSyA1234567890abcdefghijklmnopqrstuv",
    ),
]

PRIVATE_KEY = """config = 1
-----BEGIN RSA PRIVATE KEY-----
MIIEpAIBAAKCAQEA3Tz2mr7SZiAMfQyuvBjM9OiJjRazXBZ1BjP5CE/Wm/Rr500P
RK+Lh9x5eJPo5CAZ3/ANBE0sTK0ZsDGMak2m1g7HRkDLbHr3xjWBJHrzN2TdPgPx
-----END RSA PRIVATE KEY-----
after = 2
"""


@pytest.fixture(scope="module")
def redactor() -> Redactor:
    return Redactor()


@pytest.mark.parametrize(("line", "secret"), CORPUS, ids=[s[:12] for _, s in CORPUS])
def test_corpus_secret_never_survives(redactor: Redactor, line: str, secret: str) -> None:
    """Each vendor key, token, password in a URL and keyword password is replaced."""
    out = redactor.redact(line, path="settings.py")
    assert secret not in out
    assert REDACTED in out


def test_corpus_survives_no_line_as_whole_document(redactor: Redactor) -> None:
    """Redacting the whole corpus as one text leaves none of the secrets in it."""
    text = "\n".join(line for line, _ in CORPUS) + "\n" + PRIVATE_KEY
    out = redactor.redact(text, path="notes.txt")
    for _, secret in CORPUS:
        assert secret not in out
    assert "MIIEpAIBAAKCAQEA3Tz2mr7SZiAMfQyuvBjM9OiJjRazXBZ1BjP5CE" not in out


def test_private_key_block_body_is_redacted_and_neighbours_kept(redactor: Redactor) -> None:
    """Every line of a PEM private key body goes; the code around it stays."""
    out = redactor.redact(PRIVATE_KEY, path="deploy.py")
    assert "MIIEpAIBAAKCAQEA" not in out
    assert "RK+Lh9x5eJPo5CAZ" not in out
    assert "config = 1" in out and "after = 2" in out
    assert private_key_blocks(PRIVATE_KEY, PRIVATE_KEY.split("\n")) == [(2, 3)]


def test_private_key_body_without_header_is_redacted(redactor: Redactor) -> None:
    """A window that starts inside a key (no BEGIN line) still loses the base64 body."""
    body = "\n".join(PRIVATE_KEY.split("\n")[2:4])
    out = redactor.redact(body)
    assert "MIIEpAIBAAKCAQEA" not in out and "RK+Lh9x5eJPo5CAZ" not in out


def test_private_key_inside_json_string_is_redacted(redactor: Redactor) -> None:
    """A service-account style key with literal \\n escapes on one line is redacted."""
    line = (
        '"private_key": "-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC'
        'BKcwggSjAgEAAoIBAQC7\\n-----END PRIVATE KEY-----\\n",'
    )
    out = redactor.redact(line, path="sa.json")
    assert "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC" not in out


def test_config_file_unquoted_password_is_redacted(redactor: Redactor) -> None:
    """YAML/INI files use detect-secrets' config rules, which need no quotes."""
    out = redactor.redact("db_password: s3cr3t-Value!\n", path="config.yaml")
    assert "s3cr3t-Value!" not in out


def test_plain_code_is_left_alone(redactor: Redactor) -> None:
    """Ordinary code that merely mentions passwords and keys is not mangled."""
    code = (
        "def get_password(self):\n"
        "    return self.password\n"
        "key = compute_secret_key(user)\n"
        "token = tokens[0]\n"
        "for key, value in mapping.items():\n"
        "    print(f'{key}={value}')\n"
    )
    assert redactor.redact(code, path="auth.py") == code


def test_keyword_hints_cover_every_detect_secrets_keyword() -> None:
    """The cheap pre-check never skips a line detect-secrets' keyword rules could flag."""
    from glm_lsp.context.secret_detectors import _KEYWORD_HINTS

    for word in ds_keyword.DENYLIST:
        plain = word.replace("_?", "_").lower()
        assert _KEYWORD_HINTS.search(plain), word


def test_spans_are_cached_per_line(redactor: Redactor) -> None:
    """A second scan of the same line returns the cached spans object."""
    line = 'token = "ghp_1234567890abcdefghijklmnopqrstuvwxyzAB"'
    assert redactor.spans(line) is redactor.spans(line)
