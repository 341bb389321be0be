"""A one-line answer whose space after the typed code was dropped by the model: real code,
through the whole pipeline."""

from __future__ import annotations

from tests.unit.inline_stream import shown as _shown

GITHUB_TOKEN_PY = [
    '"""This plugin searches for GitHub tokens."""',
    "import re",
    "",
    "from",
    "",
    "",
    "class GitHubTokenDetector(RegexBasedDetector):",
]


def test_keyword_glued_to_a_name_gets_its_space_back() -> None:
    """`from` + `detect_secrets...`: a keyword never runs into the next name."""
    raw = "detect_secrets.plugins.base import RegexBasedDetector"
    shown = _shown(GITHUB_TOKEN_PY, 3, 4, "python", raw)
    assert shown == " detect_secrets.plugins.base import RegexBasedDetector"


def test_a_name_the_window_knows_whole_is_completed_without_a_space() -> None:
    """`import` + `lib` where the window has `importlib`: the answer completes the word."""
    lines = ["import importlib", "", "mod = import", ""]
    assert _shown(lines, 2, 12, "python", "lib.import_module(name)") == ("lib.import_module(name)")


SIGN_UP_TS = [
    "export class SignUpResendCodeResult {",
    "    isFailed(): boolean {",
    "        return this.state.stateType === SIGN_UP_FAILED_STATE_TYPE;",
    "    }",
    "    isCodeRequired(): boolean {",
    "        return this.state.stateType",
    "    }",
    "}",
]


def test_operator_the_window_writes_spaced_gets_its_space() -> None:
    """`stateType` + `=== X;` where the window always writes ` === `: the space comes back."""
    raw = "<COMPLETION>=== SIGN_UP_CODE_REQUIRED_STATE_TYPE;"
    shown = _shown(SIGN_UP_TS, 5, 35, "typescript", raw)
    assert shown == " === SIGN_UP_CODE_REQUIRED_STATE_TYPE;"


ABORT_JS = [
    "class AbortControllerImpl {",
    "  abort(reason) {",
    "    this.",
    "  }",
    "}",
]


def test_member_after_a_dot_stays_on_the_cursor_line() -> None:
    """`this.` answered with a line break then the member: the member goes right after the dot."""
    raw = "<COMPLETION>\n\nsignal._signalAbort(reason);"
    assert _shown(ABORT_JS, 2, 9, "javascript", raw) == "signal._signalAbort(reason);"
