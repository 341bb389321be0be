"""The ``glm-lsp`` executable: version, doctor with and without a key and network."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.e2e.harness import clean_env
from tests.glm_endpoint import GlmEndpoint
from tests.glm_replies import Reply

KEY = "sk-doctor-test-0123456789abcdef"


def run(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    return subprocess.run(
        [sys.executable, "-m", "glm_lsp", *args],
        env=clean_env(home, **env),
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_version_prints_the_version_python_and_install_location(tmp_path: Path) -> None:
    """Ensure --version reads as success: one line with the version, the Python running it and
    where the package is installed, exit 0."""
    import glm_lsp
    from glm_lsp import __version__

    proc = run(tmp_path, "--version")
    assert proc.returncode == 0
    python = sys.version.split()[0]
    location = Path(glm_lsp.__file__).resolve().parent
    assert proc.stdout == f"glm-lsp {__version__} (Python {python}) is installed at {location}\n"


def test_doctor_without_key_opens_with_the_install_success_and_the_next_step(
    tmp_path: Path,
) -> None:
    """Ensure doctor without a key starts with a plain success line naming the one step left,
    and still exits 1 (unusable)."""
    from glm_lsp import __version__

    proc = run(tmp_path, "doctor", "--no-network")
    assert proc.returncode == 1
    assert proc.stdout.splitlines()[0] == (
        f"glm-lsp {__version__} is installed and runs. One step left: set your API key"
        " (export GLM_API_KEY=...), then run glm-lsp doctor again."
    )


def test_doctor_reports_a_bad_provider_once_and_names_env_sources(tmp_path: Path) -> None:
    """Ensure a bad GLM_PROVIDER is one problem line, the refused environment is not shown as
    the source of the provider, and values from the environment name their variable."""
    proc = run(tmp_path, "doctor", "--no-network", GLM_PROVIDER="bogus")
    assert proc.returncode == 1
    assert proc.stdout.count("'bogus' is not a known provider") == 1
    assert "fix the settings problems below" in proc.stdout.splitlines()[0]
    provider_row = next(line for line in proc.stdout.splitlines() if "  provider " in line)
    assert provider_row.split()[1:] == ["zai", "<-", "default"]

    good = run(tmp_path, "doctor", "--no-network", GLM_PROVIDER="openrouter", GLM_MODEL="glm-4.5")
    rows = {line.split()[0]: line for line in good.stdout.splitlines() if "<-" in line}
    assert rows["provider"].endswith("<- env (GLM_PROVIDER)")
    assert rows["model"].endswith("<- env (GLM_MODEL)")
    assert rows["inline.enabled"].endswith("<- default")


def test_doctor_without_key_says_what_to_set(tmp_path: Path) -> None:
    """Ensure doctor works with no key, names the variables to set, and exits 1."""
    proc = run(tmp_path, "doctor", "--no-network")
    assert proc.returncode == 1
    assert "GLM_API_KEY" in proc.stdout
    assert "ZAI_API_KEY" in proc.stdout
    assert "NOT usable" in proc.stdout


def test_doctor_checks_the_endpoint_and_masks_the_key(
    tmp_path: Path, glm_endpoint: GlmEndpoint
) -> None:
    """Ensure doctor sends one 1-token request, reports success, shows sources, masks the key."""
    glm_endpoint.enqueue(Reply.stream(["o"], finish_reason="length"))
    proc = run(
        tmp_path,
        "doctor",
        GLM_API_KEY=KEY,
        GLM_PROVIDER="custom",
        GLM_BASE_URL=glm_endpoint.url,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "endpoint: answered" in proc.stdout
    assert "<- env (GLM_API_KEY)" in proc.stdout
    assert KEY not in proc.stdout + proc.stderr
    assert len(glm_endpoint.requests) == 1
    body = glm_endpoint.requests[0].body
    assert body["max_tokens"] == 1
    assert glm_endpoint.requests[0].headers["authorization"] == f"Bearer {KEY}"


def test_doctor_reports_a_rejected_key_with_its_remedy(
    tmp_path: Path, glm_endpoint: GlmEndpoint
) -> None:
    """Ensure a 401/1002 answer makes doctor fail with a message about the key."""
    glm_endpoint.enqueue(Reply.error(401, "1002"))
    proc = run(
        tmp_path,
        "doctor",
        GLM_API_KEY=KEY,
        GLM_PROVIDER="custom",
        GLM_BASE_URL=glm_endpoint.url,
    )
    assert proc.returncode == 1
    assert "endpoint: FAILED" in proc.stdout
    assert "key" in proc.stdout.split("endpoint: FAILED", 1)[1].lower()
    assert KEY not in proc.stdout + proc.stderr


def test_doctor_no_network_sends_nothing(tmp_path: Path, glm_endpoint: GlmEndpoint) -> None:
    """Ensure --no-network sends no request and still reports a usable configuration."""
    proc = run(
        tmp_path,
        "doctor",
        "--no-network",
        GLM_API_KEY=KEY,
        GLM_PROVIDER="custom",
        GLM_BASE_URL=glm_endpoint.url,
    )
    assert proc.returncode == 0, proc.stdout
    assert "not checked (--no-network)" in proc.stdout
    assert glm_endpoint.requests == []
