"""The wheel and sdist as users get them: built once per session with ``python -m build``,
checked by ``twine check``, installed by ``pipx`` and ``uv tool`` into private folders with an
isolated PATH, and run (``--version``, ``doctor --no-network``).

The installs download the runtime dependencies from the package index, as a user's would.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

import glm_lsp

ROOT = Path(__file__).resolve().parents[2]
VERSION = glm_lsp.__version__
SDIST_MAX_BYTES = 2_000_000
"""Generous: the sdist is the server's source and its documents (~0.3 MB today)."""

pytestmark = pytest.mark.timeout(900)


@dataclass(frozen=True)
class Dist:
    wheel: Path
    sdist: Path


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Dist:
    """The wheel and sdist built from this checkout into a temporary folder."""
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "build", "--sdist", "--wheel", "--outdir", str(out), str(ROOT)],
        check=True,
        capture_output=True,
        timeout=600,
    )
    return Dist(out / f"glm_lsp-{VERSION}-py3-none-any.whl", out / f"glm_lsp-{VERSION}.tar.gz")


def test_twine_check_passes_for_wheel_and_sdist(dist: Dist) -> None:
    """Ensure both files exist and twine check accepts them (the long description renders)."""
    proc = subprocess.run(
        [sys.executable, "-m", "twine", "check", "--strict", str(dist.wheel), str(dist.sdist)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.count("PASSED") == 2


def test_the_version_comes_from_the_package(dist: Dist) -> None:
    """Ensure the wheel's metadata carries glm_lsp.__version__ (the one place it lives) and
    pyproject.toml declares it dynamic instead of repeating it."""
    with zipfile.ZipFile(dist.wheel) as wheel:
        metadata = wheel.read(f"glm_lsp-{VERSION}.dist-info/METADATA").decode()
    assert f"\nVersion: {VERSION}\n" in metadata
    assert "Description-Content-Type: text/markdown" in metadata
    pyproject = (ROOT / "pyproject.toml").read_text()
    assert 'dynamic = ["version"]' in pyproject
    assert f'version = "{VERSION}"' not in pyproject


def test_sdist_holds_what_a_build_needs_and_no_bloat(dist: Dist, tmp_path: Path) -> None:
    """Ensure the sdist has server/, README, LICENSE and pyproject, nothing from node_modules or
    the test data, stays small, and builds a wheel by itself."""
    with tarfile.open(dist.sdist) as sdist:
        names = [name.split("/", 1)[1] for name in sdist.getnames() if "/" in name]
        sdist.extractall(tmp_path, filter="data")
    for needed in ("README.md", "LICENSE", "pyproject.toml", "server/glm_lsp/__init__.py"):
        assert needed in names
    assert "server/glm_lsp/py.typed" in names
    assert not [name for name in names if "node_modules" in name or name.startswith("tests/")]
    assert dist.sdist.stat().st_size < SDIST_MAX_BYTES
    rebuilt = tmp_path / "rebuilt"
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(rebuilt)],
        cwd=tmp_path / f"glm_lsp-{VERSION}",
        check=True,
        capture_output=True,
        timeout=600,
    )
    assert (rebuilt / dist.wheel.name).is_file()


def isolated_env(tmp_path: Path, bin_dir: Path, **extra: str) -> dict[str, str]:
    """No key, no user config, and a PATH with only ``bin_dir`` and the system folders."""
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    keep = ("LANG", "LC_ALL", "SSL_CERT_FILE", "PIP_CERT", "PIP_FIND_LINKS")
    env = {key: os.environ[key] for key in keep if key in os.environ}
    env.update(
        HOME=str(home),
        PATH=os.pathsep.join([str(bin_dir), "/usr/bin", "/bin"]),
        GLM_LSP_CONFIG=str(home / "config.toml"),
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_CACHE_HOME=os.environ.get("XDG_CACHE_HOME", str(Path.home() / ".cache")),
    )
    env.update(extra)
    return env


def assert_installed_glm_lsp_works(bin_dir: Path, env: dict[str, str]) -> None:
    """``glm-lsp`` found on the isolated PATH answers --version and doctor --no-network."""
    version = subprocess.run(
        ["glm-lsp", "--version"], env=env, capture_output=True, text=True, timeout=120
    )
    assert version.returncode == 0, version.stderr
    assert version.stdout.startswith(f"glm-lsp {VERSION} (Python ")
    location = version.stdout.rsplit(" is installed at ", 1)[1].strip()
    assert not location.startswith(str(ROOT)), "the checkout, not the installed copy, ran"
    doctor = subprocess.run(
        ["glm-lsp", "doctor", "--no-network"], env=env, capture_output=True, text=True, timeout=120
    )
    assert doctor.returncode == 1, doctor.stdout + doctor.stderr  # no key: unusable
    assert doctor.stdout.startswith(f"glm-lsp {VERSION} is installed and runs. One step left")
    assert "Traceback" not in doctor.stderr
    assert (bin_dir / "glm-lsp").exists()


def test_pipx_install_of_the_wheel_gives_a_working_glm_lsp(dist: Dist, tmp_path: Path) -> None:
    """Ensure `pipx install <wheel>` into a private PIPX_HOME puts a glm-lsp on PATH that runs."""
    bin_dir = tmp_path / "bin"
    env = isolated_env(
        tmp_path, bin_dir, PIPX_HOME=str(tmp_path / "pipx"), PIPX_BIN_DIR=str(bin_dir)
    )
    proc = subprocess.run(
        [sys.executable, "-m", "pipx", "install", "--python", sys.executable, str(dist.wheel)],
        env=env,
        capture_output=True,
        text=True,
        timeout=800,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert_installed_glm_lsp_works(bin_dir, env)


def test_uv_tool_install_of_the_wheel_gives_a_working_glm_lsp(dist: Dist, tmp_path: Path) -> None:
    """Ensure `uv tool install <wheel>` into a private UV_TOOL_DIR gives a glm-lsp that runs."""
    bin_dir = tmp_path / "bin"
    env = isolated_env(
        tmp_path, bin_dir, UV_TOOL_DIR=str(tmp_path / "tools"), UV_TOOL_BIN_DIR=str(bin_dir)
    )
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "uv",
            "tool",
            "install",
            "--python",
            sys.executable,
            str(dist.wheel),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=800,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert_installed_glm_lsp_works(bin_dir, env)
