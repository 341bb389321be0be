"""``glm-lsp doctor`` as a real subprocess: no piece of the key in its output, ever.

The host behind doctor's one-token request is the loopback endpoint; when it rejects the key
it quotes it so that the 300-character cut falls inside the key.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.e2e.harness import clean_env
from tests.glm_endpoint import GlmEndpoint
from tests.glm_replies import Reply, key_echo_message

KEY = "sk-Dr7Wq9XmTz8Vp4KfNb3JsLh1GcPyVw8RkZaCuTnMeGoJ"
PIECE = 6


def leaked_pieces(secret: str, text: str) -> list[str]:
    """Every run of ``PIECE`` consecutive characters of ``secret`` found in ``text``."""
    pieces = {secret[i : i + PIECE] for i in range(len(secret) - PIECE + 1)}
    return sorted(piece for piece in pieces if piece in text)


def doctor(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    return subprocess.run(
        [sys.executable, "-m", "glm_lsp", "-vv", "doctor", *args],
        env=clean_env(home, **env),
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    ("provider", "variable"),
    [("custom", "GLM_API_KEY"), ("openrouter", "OPENROUTER_API_KEY"), ("zai", "ZAI_API_KEY")],
)
@pytest.mark.parametrize("into", [6, 20, 40])
def test_doctor_failure_with_the_key_echoed_across_the_cut_shows_no_piece(
    tmp_path: Path, glm_endpoint: GlmEndpoint, provider: str, variable: str, into: int
) -> None:
    """Ensure doctor reports a key the host rejected (exit 1, the remedy, the host's words)
    while no 6 characters of the key appear on stdout or stderr, whichever variable held it."""
    glm_endpoint.enqueue(Reply.error(401, "1002", key_echo_message(KEY, into=into)))
    env = {variable: KEY, "GLM_PROVIDER": provider, "GLM_BASE_URL": glm_endpoint.url}
    proc = doctor(tmp_path, **env)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "endpoint: FAILED" in proc.stdout
    assert "API key was rejected" in proc.stdout
    assert "host said: Authorization Token is invalid" in proc.stdout
    assert glm_endpoint.requests[0].headers["authorization"] == f"Bearer {KEY}"
    assert leaked_pieces(KEY, proc.stdout + proc.stderr) == []


def test_doctor_success_shows_no_piece_of_the_key(
    tmp_path: Path, glm_endpoint: GlmEndpoint
) -> None:
    """Ensure doctor's report of a working key (settings table, key line, endpoint line, debug
    logs) holds no 6 characters of the key."""
    glm_endpoint.enqueue(Reply.stream(["o"], finish_reason="length"))
    proc = doctor(tmp_path, GLM_API_KEY=KEY, GLM_PROVIDER="custom", GLM_BASE_URL=glm_endpoint.url)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "endpoint: answered" in proc.stdout
    assert "key: present" in proc.stdout
    assert leaked_pieces(KEY, proc.stdout + proc.stderr) == []


@pytest.mark.parametrize(
    "line",
    [f'apiKey = ["{KEY}"]', f'apiKey = {{ value = "{KEY}" }}', f'baseUrl = "{KEY}"'],
    ids=["list", "table", "in-baseUrl"],
)
def test_doctor_names_a_wrongly_typed_key_in_the_user_file_without_echoing_it(
    tmp_path: Path, line: str
) -> None:
    """Ensure a key given in config.toml as a list, a table, or in the wrong setting is reported
    as a problem naming the setting, with no piece of the key in doctor's output."""
    home = tmp_path / "home"
    home.mkdir()
    (home / "config.toml").write_text(f"[glm]\n{line}\n")
    proc = doctor(tmp_path, "--no-network")
    assert proc.returncode == 1
    assert "problem: invalid setting glm." in proc.stdout
    named = "glm.baseUrl" if "baseUrl" in line else "glm.apiKey"
    assert named in proc.stdout
    assert leaked_pieces(KEY, proc.stdout + proc.stderr) == []
