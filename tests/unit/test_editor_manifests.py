"""The editors' static lists agree with the server: VS Code's contributed settings with the
server's settings schema, and every server command an editor calls by name with the commands
the server registers. Fails on drift, in either direction."""

from __future__ import annotations

import json
import re
import typing
from pathlib import Path
from typing import Any

from glm_lsp.llm import PRESETS
from glm_lsp.lsp.app import create_server
from glm_lsp.settings import Settings, setting_keys, unstructure_settings
from glm_lsp.settings.schema import Thinking

ROOT = Path(__file__).resolve().parents[2]
VSCODE = ROOT / "editors" / "vscode"
NVIM = ROOT / "editors" / "nvim"

EXTENSION_KEYS = {"serverPath", "serverArgs", "trace.server"}
"""Settings only the VS Code extension (or vscode-languageclient) reads."""
SECRET_KEYS = {"apiKey"}
"""Server keys VS Code keeps in secret storage instead of settings."""
PENDING_IN_VSCODE: set[str] = set()
"""Server keys whose VS Code side is not built yet (none: the extension contributes every server
key)."""

VSCODE_CALL = re.compile(r"\.executeCommand(?:<[^()]*?>)?\(\s*\"(glm\.[\w.]+)\"")
NVIM_CALL = re.compile(r"\b(?:command|exec|start_turn)\(\s*(?:\w+,\s*)?'(glm\.[\w.]+)'")


def _contributed() -> dict[str, Any]:
    manifest = json.loads((VSCODE / "package.json").read_text(encoding="utf-8"))
    properties: dict[str, Any] = manifest["contributes"]["configuration"]["properties"]
    return {name.removeprefix("glm."): spec for name, spec in properties.items()}


def _server_commands() -> set[str]:
    server = create_server({})
    return set(server.protocol.fm.commands)


def _flat(data: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in data.items():
        if isinstance(value, dict):
            flat.update(_flat(value, f"{prefix}{key}."))
        else:
            flat[prefix + key] = value
    return flat


def _calls(folder: Path, pattern: str, call: re.Pattern[str]) -> dict[str, str]:
    """Server command names called in the editor's sources, with the file of one call."""
    found: dict[str, str] = {}
    for path in sorted(folder.rglob(pattern)):
        if "node_modules" in path.parts or "out" in path.parts:
            continue
        for name in call.findall(path.read_text(encoding="utf-8")):
            found.setdefault(name, str(path.relative_to(ROOT)))
    return found


def test_vscode_contributes_exactly_the_server_settings() -> None:
    """Ensure package.json's `glm.*` settings are the server's settings keys (apiKey excepted:
    secret storage) plus the extension's own, no more and no fewer, so a key added to or
    removed from the server's schema fails here until the manifest follows."""
    server_keys = set(setting_keys()) - SECRET_KEYS - PENDING_IN_VSCODE
    contributed = set(_contributed()) - EXTENSION_KEYS
    assert contributed == server_keys, {
        "missing from package.json": sorted(server_keys - contributed),
        "unknown to the server": sorted(contributed - server_keys),
    }
    assert EXTENSION_KEYS <= set(_contributed())


def test_vscode_setting_defaults_and_choices_are_the_server_ones() -> None:
    """Ensure each contributed default documents the server's default (an unset server value
    is shown as "" or null, which the extension never sends), and the provider and thinking
    choices are exactly the values the server accepts."""
    contributed = _contributed()
    defaults = _flat(unstructure_settings(Settings()))
    for key in set(setting_keys()) - SECRET_KEYS - PENDING_IN_VSCODE:
        server_default = defaults[key]
        shown = contributed[key].get("default")
        if server_default is None:
            assert shown in ("", None), key
        elif isinstance(server_default, (tuple, list)):
            assert shown == list(server_default), key
        else:
            assert shown == server_default, key
    assert contributed["provider"]["enum"] == list(PRESETS)
    assert contributed["chat.thinking"]["enum"] == list(typing.get_args(Thinking))


def test_editors_call_only_commands_the_server_registers() -> None:
    """Ensure every server command the VS Code extension or the Neovim plugin calls by name
    (`workspace/executeCommand`) is one the server registers and advertises, so renaming or
    dropping a server command fails here instead of in an editor."""
    commands = _server_commands()
    vscode_calls = _calls(VSCODE / "src", "*.ts", VSCODE_CALL)
    nvim_calls = _calls(NVIM / "lua", "*.lua", NVIM_CALL)
    assert {"glm.edit", "glm.explain", "glm.status", "glm.chat.send"} <= set(vscode_calls)
    assert {"glm.edit", "glm.status", "glm.chat.send", "glm.explain"} <= set(nvim_calls)
    unknown = {
        name: where
        for name, where in {**vscode_calls, **nvim_calls}.items()
        if name not in commands
    }
    assert not unknown, unknown


def test_vscode_contributed_commands_are_its_own() -> None:
    """Ensure package.json contributes only the extension's own `glm.cmd.*` commands: the
    server's commands are registered by vscode-languageclient from the initialize result, and a
    contributed id equal to one of them would clash (and be a second, hand-kept list)."""
    manifest = json.loads((VSCODE / "package.json").read_text(encoding="utf-8"))
    contributed = {c["command"] for c in manifest["contributes"]["commands"]}
    assert contributed
    assert all(name.startswith("glm.cmd.") for name in contributed), sorted(contributed)
    assert not contributed & _server_commands()


def test_vscode_readme_documents_every_server_setting() -> None:
    """Ensure the extension README's settings table names every server setting VS Code
    contributes, so a key added to the server is documented where VS Code users look."""
    readme = (VSCODE / "README.md").read_text(encoding="utf-8")
    keys = set(setting_keys()) - SECRET_KEYS - PENDING_IN_VSCODE
    missing = [k for k in keys if f"`glm.{k}`" not in readme]
    assert not missing, sorted(missing)
