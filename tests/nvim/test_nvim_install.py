"""First run in real Neovim, each from an empty ``XDG_DATA_HOME``: ``:GlmInstall`` makes the venv
and installs the server from this repository (real pip, real package index), ``setup()`` finds
it with ``glm-lsp`` not on PATH, ghost text appears; ``:help glm`` after the runtimepath recipe;
no hit-enter prompt at a keyless startup; ``:GlmStatus`` and ``:checkhealth glm`` agree."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.glm_endpoint import GlmEndpoint
from tests.glm_replies import Reply
from tests.nvim.harness import HERE, NVIM, ROOT, nvim_env, run_nvim, workspace
from tests.nvim.install_env import path_without_glm_lsp, run_in_terminal

PLUGIN = ROOT / "editors" / "nvim"
ADD = 'def add(a, b):\n    """Return the sum of a and b."""\n    return\n'


def _install(tmp: Path) -> dict[str, Any]:
    """lazy.nvim's headless build of the README's spec (``lazy_build.lua``: its ``config``,
    then ``:GlmInstall`` through ``nvim_cmd`` with the output captured), from an empty data
    home, with ``glm-lsp`` not on PATH."""
    assert NVIM
    ws = workspace(tmp)
    result = tmp / "result.json"
    env = nvim_env(tmp, PATH=path_without_glm_lsp(tmp / "bin"), RESULT=str(result))
    data_home = Path(env["XDG_DATA_HOME"])
    assert not data_home.exists()
    proc = subprocess.run(
        [NVIM, "--headless", "--clean", "-u", str(HERE / "lazy_build.lua")],
        env=env,
        capture_output=True,
        text=True,
        timeout=900,  # hang guard for a cold pip cache on a busy machine
        cwd=ws,
    )
    assert result.exists(), (proc.returncode, proc.stderr[-3000:])
    venv = data_home / "nvim" / "glm-lsp" / "venv"
    return {"proc": proc, "result": json.loads(result.read_text()), "env": env, "venv": venv}


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """One real :GlmInstall for the module (it takes about a minute)."""
    return _install(tmp_path_factory.mktemp("glm_install"))


@pytest.mark.nvim
def test_lazy_build_of_the_readme_spec_installs_the_server(installed: dict[str, Any]) -> None:
    """Ensure the README's lazy.nvim spec, built as lazy does headless (config, then
    `:GlmInstall` via nvim_cmd), returns only when the server is installed, non-editably,
    from this repository into stdpath('data')/glm-lsp/venv, and that the command's captured
    output (lazy's build log) tells each step and where the server is."""
    result: dict[str, Any] = installed["result"]
    venv: Path = installed["venv"]
    assert result.get("error") is None, result
    assert result["build"] == ":GlmInstall"
    server = venv / "bin" / "glm-lsp"
    assert result["venv_server"] == str(server)
    assert server.exists()
    output: str = result["output"]
    for step in ("looking for Python 3.10+", "creating", "installing glm-lsp from", "installed"):
        assert step in output, output
    assert str(server) in output
    probe = subprocess.run(
        [str(venv / "bin" / "python"), "-c", "import glm_lsp; print(glm_lsp.__file__)"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert Path(probe.stdout.strip()).is_relative_to(venv), probe.stdout
    version = subprocess.run([str(server), "--version"], capture_output=True, text=True)
    assert "0." in version.stdout + version.stderr


@pytest.mark.nvim
def test_install_in_a_running_editor_does_not_block_and_starts_the_server(
    tmp_path: Path,
) -> None:
    """Ensure the install :GlmInstall starts in an editor with a UI runs in the background:
    the call returns while pip still runs, and keys typed meanwhile are handled,
    each progress message is one short line (no paths), and when it ends the server starts
    by itself for the file already open (setup() had found none), from the venv."""
    data = run_nvim(
        "async_install.lua",
        tmp_path,
        PATH=path_without_glm_lsp(tmp_path / "bin"),
        GLM_DEADLINE_S="900",
        timeout=960,
    )
    assert data["returned_while_running"] is True
    assert data["running_after_typing"] is True
    assert data["typed_while_installing"].startswith("one line")
    assert data["done"]["ok"] is True
    venv_server = str(Path(data["done"]["cmd"][0]))
    assert data["server_cmd"] == [venv_server]
    assert venv_server.endswith("/glm-lsp/venv/bin/glm-lsp")
    progress = [m["msg"] for m in data["progress"] if m["msg"].startswith("glm: ")]
    assert "glm: installing glm-lsp (about a minute)…" in progress, progress
    assert progress[-1] == "glm: glm-lsp installed (:checkhealth glm)", progress
    assert all("\n" not in m and len(m) < 60 for m in progress), progress


@pytest.mark.nvim
def test_glm_install_without_a_suitable_python_says_what_to_do(tmp_path: Path) -> None:
    """Ensure :GlmInstall with no Python on PATH creates nothing, shows one error naming
    the missing Python 3.10+ and the remedy (install it with venv, or set g:glm_python), and
    fails as a command (so lazy.nvim reports the build as failed)."""
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    data = run_nvim("install_fails.lua", tmp_path, PATH=str(empty))
    errors = [m["msg"] for m in data["messages"] if m["level"] == 4]
    assert len(errors) == 1, data["messages"]
    assert "no suitable Python (no python3 on PATH)" in errors[0]
    assert "python3-venv" in errors[0] and "glm_python" in errors[0]
    assert data["venv_exists"] == 0
    assert data["command_failed"] is True
    assert data["running"] is False  # a second :GlmInstall may start


@pytest.mark.nvim
def test_glm_install_when_pip_fails_shows_its_last_lines_and_a_remedy(tmp_path: Path) -> None:
    """Ensure that when pip cannot reach a package index, :GlmInstall reports the failure
    once with pip's own last lines (its error) and what to do, and installs no server."""
    data = run_nvim(
        "install_fails.lua",
        tmp_path,
        PATH=path_without_glm_lsp(tmp_path / "bin"),
        PIP_INDEX_URL="http://127.0.0.1:9/simple",
        UNSET_PIP_FIND_LINKS="1",
        PIP_RETRIES="0",
        PIP_CONFIG_FILE=os.devnull,
    )
    errors = [m["msg"] for m in data["messages"] if m["level"] == 4]
    assert len(errors) == 1, data["messages"]
    assert "pip install failed (exit 1)" in errors[0]
    assert "ERROR:" in errors[0]  # pip's own message
    assert "run :GlmInstall again" in errors[0]
    assert data.get("server") is None  # installed_server() found nothing
    assert data["command_failed"] is True
    assert data["running"] is False


@pytest.mark.nvim
def test_setup_finds_the_installed_server_and_ghost_text_appears(
    installed: dict[str, Any], tmp_path: Path, glm_endpoint: GlmEndpoint
) -> None:
    """Ensure that after :GlmInstall, setup() with no `cmd` and glm-lsp not on PATH starts the
    venv's server, and typing shows the loopback endpoint's suggestion as ghost text."""
    glm_endpoint.handler = lambda body: (
        Reply.stream(["<COMPLETION>", " + b", "</COMPLETION>"])
        if "<COMPLETION>" in json.dumps(body)
        else None
    )
    env = installed["env"]
    data = run_nvim(
        "installed_ghost.lua",
        tmp_path,
        files={"ghost.py": ADD},
        base_url=glm_endpoint.url,
        PATH=env["PATH"],
        XDG_DATA_HOME=env["XDG_DATA_HOME"],
    )
    assert data["glm_lsp_on_path"] == 0
    assert data["server_cmd"] == [str(installed["venv"] / "bin" / "glm-lsp")]
    assert data["ghost"][0]["inline"] == " + b"
    assert data["lines_with_ghost"][2] == "    return a"
    assert not [m for m in data["messages_seen"] if "GlmInstall" in m["msg"]]


@pytest.mark.nvim
def test_without_a_server_setup_says_once_to_run_glm_install(tmp_path: Path) -> None:
    """Ensure that with nothing installed, no glm-lsp on PATH and no `cmd`, setup() (even
    twice) starts no server, shows exactly one message naming :GlmInstall, the command
    exists, and :checkhealth glm reports the server as not found with :GlmInstall as the
    remedy."""
    data = run_nvim("no_server.lua", tmp_path, PATH=path_without_glm_lsp(tmp_path / "bin"))
    messages = [m["msg"] for m in data["messages"]]
    assert len(messages) == 1, messages
    assert ":GlmInstall" in messages[0]
    assert data["clients"] == 0
    assert data["has_install_command"] == 2
    health = "\n".join(data["health"])
    assert "ERROR glm-lsp not found" in health, health
    assert "run :GlmInstall" in health, health


@pytest.mark.nvim
def test_help_glm_works_after_the_runtimepath_recipe(tmp_path: Path) -> None:
    """Ensure :help glm (and a tag inside it) opens the plugin's help in a fresh Neovim whose
    init.lua is only the README's runtimepath recipe, with an empty XDG_DATA_HOME and no
    :helptags run: the shipped doc/tags is found."""
    ws = workspace(tmp_path)
    env = nvim_env(tmp_path, PATH=path_without_glm_lsp(tmp_path / "bin"))
    out = tmp_path / "help.json"
    lua = (
        "local r = {} vim.cmd('help glm') r.file = vim.fn.expand('%:t') "
        "vim.cmd('help glm-install') r.line = vim.api.nvim_get_current_line() "
        f"vim.fn.writefile({{vim.json.encode(r)}}, '{out}')"
    )
    assert NVIM
    proc = subprocess.run(
        [NVIM, "--headless", "-u", str(HERE / "recipe_init.lua"), "-c", f"lua {lua}", "-c", "qa!"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ws,
    )
    assert out.exists(), proc.stderr[-2000:]
    data = json.loads(out.read_text())
    assert data["file"] == "glm.txt"
    assert "*glm-install*" in data["line"]


@pytest.mark.nvim
def test_shipped_help_tags_match_helptags(tmp_path: Path) -> None:
    """Ensure editors/nvim/doc/tags is exactly what :helptags makes from doc/glm.txt today
    (regenerate: nvim --clean --headless -c 'helptags editors/nvim/doc' -c q)."""
    doc = tmp_path / "doc"
    doc.mkdir()
    (doc / "glm.txt").write_bytes((PLUGIN / "doc" / "glm.txt").read_bytes())
    assert NVIM
    subprocess.run(
        [NVIM, "--clean", "--headless", "-c", f"helptags {doc}", "-c", "qa!"],
        check=True,
        timeout=60,
        capture_output=True,
    )
    assert (PLUGIN / "doc" / "tags").read_text() == (doc / "tags").read_text()


@pytest.mark.nvim
def test_startup_without_a_key_shows_no_hit_enter_prompt(tmp_path: Path) -> None:
    """Ensure a terminal Neovim (80x24) started on a file with no API key shows the server's
    key message once, on one line, and is not stopped at "Press ENTER": the editor stays in
    normal mode and the screen never shows the prompt."""
    ws = workspace(tmp_path)
    result = tmp_path / "tui.json"
    env = nvim_env(tmp_path, RESULT=str(result), TERM="xterm-256color")
    assert NVIM
    screen_bytes = run_in_terminal(
        [NVIM, "-u", str(HERE / "startup_tui.lua"), "sample.py"], env, ws, result
    )
    assert result.exists(), screen_bytes[-2000:]
    data = json.loads(result.read_text())
    key_messages = [m for m in data["messages"] if "no API key" in m]
    assert len(key_messages) == 1, data["messages"]
    assert "\n" not in key_messages[0]
    assert data["mode"] == "n" and not data["blocking"], data
    screen = "\n".join(data["screen"])
    assert "Press ENTER" not in screen, screen
    assert "Press ENTER" not in screen_bytes
    assert "no API key" in data["screen"][-1], screen


def _key_report(
    tmp_path: Path, provider: str, base_url: str | None = None
) -> tuple[dict[str, Any], str, str]:
    data = run_nvim("key_report.lua", tmp_path, base_url=base_url, KEY_PROVIDER=provider)
    key_status = (
        next(line for line in data["status_lines"] if line.startswith("API key:"))
        .removeprefix("API key:")
        .strip()
    )
    key_health = next(line for line in data["health"] if "API key:" in line)
    return data, key_status, key_health


@pytest.mark.nvim
def test_status_and_health_agree_for_custom_without_key(
    tmp_path: Path, glm_endpoint: GlmEndpoint
) -> None:
    """Ensure that for the `custom` provider with no key, :GlmStatus and :checkhealth glm
    both say the key is not needed, in the same words, and neither says MISSING or ERROR."""
    data, key_status, key_health = _key_report(tmp_path, "custom", glm_endpoint.url)
    assert data["status"]["keyMissing"] is False
    assert key_status.startswith("not needed (provider custom")
    assert key_health.endswith("OK API key: " + key_status)
    text = "\n".join(data["health"]) + "\n".join(data["status_lines"])
    assert "MISSING" not in text.replace("key: none", "")
    assert not [line for line in data["health"] if "ERROR" in line], data["health"]


@pytest.mark.nvim
def test_status_and_health_agree_without_a_needed_key(tmp_path: Path) -> None:
    """Ensure that for `zai` with no key, :GlmStatus and :checkhealth glm both say MISSING,
    and the server's key message reached the user exactly once although the settings were
    applied again."""
    data, key_status, key_health = _key_report(tmp_path, "zai")
    assert data["status"]["keyMissing"] is True
    assert key_status == "MISSING"
    assert "ERROR API key: MISSING" in key_health
    key_messages = [m for m in data["messages_seen"] if m["msg"].startswith("glm-lsp: no API key")]
    assert len(key_messages) == 1, data["messages_seen"]
