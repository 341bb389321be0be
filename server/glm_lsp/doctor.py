"""``glm-lsp doctor``: what the server would use, where each setting came from, and whether
the endpoint and git work. Exit status 1 when the server could not serve model features.

Every line passes the key guard before it is printed, on success and failure alike."""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import Callable, Mapping
from typing import TextIO

from glm_lsp import __version__
from glm_lsp.context.gitsafe import git_executable, run_git
from glm_lsp.errors import GlmLspError, NeedsKeyError
from glm_lsp.keyguard import mask_secrets, remember
from glm_lsp.settings import (
    Settings,
    SettingsStore,
    flatten,
    mask_key,
    unstructure_settings,
    user_config_path,
)

__all__ = ["run_doctor"]


def _git_report() -> tuple[bool, str]:
    if git_executable() is None:
        return False, "git not found on PATH: git context (diff, branch) is off; install git"
    out = run_git(os.path.abspath(os.sep), ["--version"])
    if out is None:
        return False, "git did not run: git context (diff, branch) is off; check your git install"
    return True, out.decode(errors="replace").strip()


async def _probe_endpoint(settings: Settings) -> str:
    """Send a 1-token request; returns a one-line summary or raises GlmLspError."""
    from glm_lsp.llm import ChatRequest, GlmClient, client_config_for

    client = GlmClient(client_config_for(settings, max_retries=0))
    try:
        request = ChatRequest(
            messages=[{"role": "user", "content": "Reply with: ok"}],
            model=settings.model,
            max_tokens=1,
            thinking=False,
        )
        completion = await client.complete(request)
        return f"answered ({completion.finish_reason or 'no finish reason'})"
    finally:
        await client.aclose()


def run_doctor(
    *,
    network: bool = True,
    environ: Mapping[str, str] | None = None,
    out: TextIO | None = None,
) -> int:
    """Print the report; 0 when usable, 1 when not."""
    stream = out or sys.stdout
    store = SettingsStore(environ=dict(os.environ if environ is None else environ))
    problems = store.load_startup()
    settings = store.current
    remember(settings.api_key)

    def write(line: str = "") -> None:
        print(mask_secrets(line), file=stream)

    if problems:
        write(
            f"glm-lsp {__version__} is installed and runs. One step left: fix the settings"
            " problems below, then run glm-lsp doctor again."
        )
        write()
    elif _needs_key(settings):
        variable = settings.preset.key_env_vars[0]
        write(
            f"glm-lsp {__version__} is installed and runs. One step left: set your API key"
            f" (export {variable}=...), then run glm-lsp doctor again."
        )
        write()
    write(f"glm-lsp {__version__} (Python {sys.version.split()[0]})")
    write(f"user config file: {user_config_path(store.environ)}")
    for problem in problems:
        write(f"  problem: {problem}")
    write()
    _write_settings(store, write)
    usable = _write_key(settings, write) and not problems
    _git_ok, git_line = _git_report()
    write(f"git: {git_line}")
    write(f"acp: {_acp_line()}")
    usable = _write_endpoint(settings, network, write) and usable
    write()
    write("result: " + ("usable" if usable else "NOT usable - fix the lines marked above"))
    return 0 if usable else 1


def _acp_line() -> str:
    """Whether ``glm-lsp acp`` can start: its module imports, and the SDK's version."""
    try:
        from glm_lsp.acp import sdk_version
        from glm_lsp.acp.agent import GlmAgent  # noqa: F401 - the import is the check
        from glm_lsp.acp.engine import AcpEngine  # noqa: F401 - imported after initialize
    except ImportError as exc:
        return f"FAILED - glm-lsp acp cannot start ({exc}); reinstall glm-lsp"
    return f"glm-lsp acp ready (agent-client-protocol {sdk_version()})"


def _needs_key(settings: Settings) -> bool:
    return not settings.api_key and settings.provider != "custom"


def _write_settings(store: SettingsStore, write: Callable[[str], None]) -> None:
    """Every setting with the source it came from (the key masked), and where requests go."""
    settings = store.current
    write("settings (value  <- source):")
    sources = store.sources()
    shown = unstructure_settings(settings)
    shown["apiKey"] = mask_key(settings.api_key)
    for key, value in flatten(shown).items():
        write(f"  {key:<22} {value!s:<40} <- {sources.get(key, 'default')}")
    write(f"  {'endpoint':<22} {settings.effective_base_url}/chat/completions")
    write(f"  {'host model id':<22} {settings.preset.model_id(settings.model)}")
    write("")


def _write_key(settings: Settings, write: Callable[[str], None]) -> bool:
    """The key line; False when a key is needed and missing."""
    if not settings.api_key and settings.provider == "custom":
        write("key: none (provider custom: sent without Authorization)")
    elif not settings.api_key:
        error = NeedsKeyError(settings.provider, settings.preset.key_env_vars)
        write(f"key: MISSING - {error}")
        return False
    else:
        write(f"key: present {mask_key(settings.api_key)}")
    return True


def _write_endpoint(settings: Settings, network: bool, write: Callable[[str], None]) -> bool:
    """The endpoint line (a 1-token request when allowed); False when the request failed."""
    if not network:
        write("endpoint: not checked (--no-network)")
    elif settings.api_key or settings.provider == "custom":
        try:
            summary = asyncio.run(_probe_endpoint(settings))
            write(f"endpoint: {summary}")
        except GlmLspError as exc:
            write(f"endpoint: FAILED - {exc}")
            return False
        except Exception as exc:  # noqa: BLE001 - doctor reports, it does not crash
            write(f"endpoint: FAILED - unexpected {type(exc).__name__}: {exc}")
            return False
    else:
        write("endpoint: not checked (no key)")
    return True
