"""The hand-written secret patterns stay linear-time: no nested unbounded repeats, and each
one (and the whole redactor) gets through 100 KB adversarial lines. Timing is measured in
bench/secrets.py, never asserted here."""

from __future__ import annotations

import re
from typing import Any

import pytest

from glm_lsp.context import secret_blocks, secret_rules
from glm_lsp.context.secrets import Redactor

try:  # Python 3.11+
    from re import _constants as sre_constants
    from re import _parser as sre_parse
except ImportError:  # pragma: no cover - Python 3.10
    import sre_constants  # type: ignore[no-redef]
    import sre_parse  # type: ignore[no-redef]

PATTERNS: dict[str, re.Pattern[str]] = {
    **{f"secret_rules.{k}": v for k, v in secret_rules.PATTERNS.items()},
    **{f"secret_blocks.{k}": v for k, v in secret_blocks.PATTERNS.items()},
}
ANCHORED = {f"secret_rules.{k}" for k in secret_rules.ANCHORED} | {
    f"secret_blocks.{k}" for k in secret_blocks.ANCHORED
}
SIZE = 100_000
SEEDS = (
    *("a", "a-", "a.", "-", "=", ":", " ", "\t", "'", '"', "\\", "/", "+", "A", "0"),
    *("password=", "password: ", 'password="', "x://", "://a:", "a:b@", "<password>"),
    *("-----BEGIN", "-----END", "-p", "-u a:", "--password ", "Authorization: ", "eyJ"),
    *("Cookie: a=b;", ";password=", "name: password ", "machine password ", "${", "{{"),
)
UNBOUNDED = sre_constants.MAXREPEAT
# Nested repeats whose every outer iteration starts with a separator the inner repeat
# cannot match (so each split of the input is unique): pattern -> that separator.
SEPARATED = {
    "secret_rules._ENV_NAME": "(?:_[A-Z0-9]+)+",
    "secret_rules._CODE_HEAD": r"(?:(?:\.|\?\.|::|->)[A-Za-z_$][\w$]*)*",
}


def _nested_unbounded(items: Any, inside: bool = False) -> bool:
    """Whether a parsed pattern has an unbounded repeat inside another one (outside atomic
    groups and possessive repeats, which never backtrack into what they matched)."""
    for op, arg in items:
        name = str(op)
        if name in ("MAX_REPEAT", "MIN_REPEAT"):
            low, high, sub = arg
            unbounded = high == UNBOUNDED
            if unbounded and inside:
                return True
            if _nested_unbounded(sub, inside or unbounded):
                return True
        elif name in ("ATOMIC_GROUP", "POSSESSIVE_REPEAT"):
            continue
        elif name == "SUBPATTERN":
            if _nested_unbounded(arg[-1], inside):
                return True
        elif name == "BRANCH":
            if any(_nested_unbounded(branch, inside) for branch in arg[1]):
                return True
        elif name in ("ASSERT", "ASSERT_NOT"):
            if _nested_unbounded(arg[1], inside):
                return True
    return False


def test_no_pattern_nests_unbounded_repeats() -> None:
    """No hand-written pattern can backtrack exponentially: no `(x+)+`-like nesting, except
    where a mandatory separator the inner repeat cannot match splits every iteration."""
    offenders = {
        name for name, rx in PATTERNS.items() if _nested_unbounded(sre_parse.parse(rx.pattern))
    }
    assert offenders == set(SEPARATED)
    for name, separator in SEPARATED.items():
        assert separator in PATTERNS[name].pattern


def test_every_pattern_is_registered() -> None:
    """The registries the test and the bench use hold every module-level pattern, and the
    anchored ones name real patterns."""
    assert len(secret_rules.PATTERNS) >= 20 and len(secret_blocks.PATTERNS) >= 8
    assert ANCHORED <= set(PATTERNS)


@pytest.mark.parametrize("seed", SEEDS)
def test_patterns_and_redactor_finish_on_a_100kb_adversarial_line(seed: str) -> None:
    """Each pattern, used as the code uses it, and the whole redactor (line rules, blocks,
    detect-secrets) get through a 100 KB line built from a hostile seed."""
    line = (seed * (SIZE // len(seed) + 1))[:SIZE]
    for name, rx in PATTERNS.items():
        if name in ANCHORED:
            rx.match(line)
        else:
            sum(1 for _ in rx.finditer(line))
    out = Redactor().redact(line + "\n" + line, path="adversarial.yaml")
    assert out.count("\n") == 1
