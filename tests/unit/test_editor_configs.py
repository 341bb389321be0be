"""The example configs for other LSP clients (editors/helix, editors/zed, editors/emacs) are
valid files that start `glm-lsp` with settings the server accepts, and no document tells users
to install glm-lsp from a package index (it is not published there yet)."""

from __future__ import annotations

import json
import re
import shlex
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from glm_lsp.settings import setting_keys, structure_settings

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[2]
EDITORS = ROOT / "editors"
SERVER = "glm-lsp"


# --- a small Emacs Lisp reader: enough to check balance and read the settings plists ---------


class Str(str):
    """A string literal read from Emacs Lisp (plain ``str`` is a symbol)."""


_ELISP_TOKEN = re.compile(
    r"""(?P<space>\s+)
      | (?P<comment>;[^\n]*)
      | (?P<string>"(?:[^"\\]|\\.)*")
      | (?P<char>\?(?:\\.|[^\\\s]))
      | (?P<open>[(\[])
      | (?P<close>[)\]])
      | (?P<quote>['`]|,@?|\#')
      | (?P<atom>[^\s()\[\]";'`,]+)
      | (?P<bad>.)""",
    re.VERBOSE | re.DOTALL,
)


def read_elisp(text: str) -> list[Any]:
    """Every top-level form of ``text``; raises ValueError on unbalanced brackets."""
    stack: list[list[Any]] = [[]]
    closers: list[str] = []
    for match in _ELISP_TOKEN.finditer(text):
        kind, token = match.lastgroup, match.group()
        if kind in ("space", "comment", "quote"):
            continue
        if kind == "bad":
            raise ValueError(f"unreadable {token!r} at offset {match.start()}")
        if kind == "open":
            stack.append([])
            closers.append(")" if token == "(" else "]")
        elif kind == "close":
            if not closers or closers.pop() != token:
                raise ValueError(f"unbalanced {token!r} at offset {match.start()}")
            done = stack.pop()
            stack[-1].append(done)
        elif kind == "string":
            stack[-1].append(Str(json.loads(token.replace("\\\n", ""))))
        else:
            stack[-1].append(token)
    if closers:
        raise ValueError(f"{len(closers)} unclosed bracket(s) at the end")
    return stack[0]


def _walk(form: Any) -> Iterator[Any]:
    yield form
    if isinstance(form, list):
        for item in form:
            yield from _walk(item)


def plist_to_dict(plist: list[Any]) -> dict[str, Any]:
    """``(:a "x" :b (:c t))`` as JSON-like data, the way Eglot serializes it."""
    assert len(plist) % 2 == 0, f"odd plist {plist}"
    result: dict[str, Any] = {}
    for key, value in zip(plist[::2], plist[1::2], strict=True):
        assert isinstance(key, str) and key.startswith(":"), f"not a keyword: {key!r}"
        result[key[1:]] = _elisp_value(value)
    return result


def _elisp_value(value: Any) -> Any:
    if isinstance(value, list):
        if value and isinstance(value[0], str) and value[0].startswith(":"):
            return plist_to_dict(value)
        return [_elisp_value(item) for item in value]
    if isinstance(value, Str):
        return str(value)
    if value == "t":
        return True
    if value in ("nil", ":json-false"):
        return False
    return json.loads(value)


# --- install commands that fetch glm-lsp from a package index -------------------------------

_INSTALL = re.compile(r"\b(?:pip3?|pipx|uv\s+tool|uv\s+pip|python3?\s+-m\s+pip)\s+install\b")
_COMMAND_END = re.compile(r"`|&&|\|\||;|\||\)\s|\)$")
_INDEX_REQUIREMENT = re.compile(r"glm[-_.]lsp(?:\[[\w,.-]*\])?(?:\s*[<>=!~]=?.*)?", re.IGNORECASE)


def index_installs(text: str) -> list[str]:
    """The install commands in ``text`` that name glm-lsp as a requirement to fetch from an
    index (``pip install glm-lsp``, ``pipx install "glm-lsp==0.1"``), not a path or a wheel."""
    found: list[str] = []
    for line in text.splitlines():
        for match in _INSTALL.finditer(line):
            rest = _COMMAND_END.split(line[match.end() :], maxsplit=1)[0]
            try:
                words = shlex.split(rest)
            except ValueError:
                words = rest.split()
            if any(_INDEX_REQUIREMENT.fullmatch(word) for word in words):
                found.append(f"{match.group(0)}{rest}".strip())
    return found


def _documents() -> list[Path]:
    """What users read: README, docs, the editors' READMEs, help and example configs."""
    paths = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
    for pattern in ("*.md", "*.txt", "*.toml", "*.json", "*.el", "*.rs"):
        for path in sorted(EDITORS.rglob(pattern)):
            skipped = {"node_modules", "out", "captures", ".vscode-test"}
            if skipped.isdisjoint(path.relative_to(EDITORS).parts) and path.name not in (
                "package-lock.json",
                "tsconfig.json",
            ):
                paths.append(path)
    return paths


# --- tests -----------------------------------------------------------------------------------


def test_helix_config_parses_starts_glm_lsp_with_valid_settings() -> None:
    """editors/helix/languages.toml is TOML Helix can read: a `glm-lsp` language server whose
    command is `glm-lsp`, whose `config.glm` the server's settings accept, and which every
    language entry lists."""
    config = tomllib.loads((EDITORS / "helix" / "languages.toml").read_text(encoding="utf-8"))
    server = config["language-server"][SERVER]
    assert server["command"] == SERVER
    structure_settings(server["config"]["glm"])
    assert config["language"], "no language uses the server"
    for language in config["language"]:
        assert SERVER in language["language-servers"], language["name"]


def test_zed_settings_parse_and_carry_valid_settings() -> None:
    """editors/zed/settings.json is plain JSON (valid in Zed's settings file) that starts
    `glm-lsp` and gives it `glm` settings the server accepts."""
    settings = json.loads((EDITORS / "zed" / "settings.json").read_text(encoding="utf-8"))
    server = settings["lsp"][SERVER]
    assert server["binary"]["path"] == SERVER
    for section in ("settings", "initialization_options"):
        if section in server:
            structure_settings(server[section]["glm"])


def test_zed_extension_declares_the_server_the_settings_name() -> None:
    """The Zed extension's manifests parse, and the extension, its Rust source and the
    settings example all use the one server name `glm-lsp`."""
    extension = EDITORS / "zed" / "extension"
    manifest = tomllib.loads((extension / "extension.toml").read_text(encoding="utf-8"))
    assert SERVER in manifest["language_servers"]
    assert manifest["language_servers"][SERVER]["languages"]
    cargo = tomllib.loads((extension / "Cargo.toml").read_text(encoding="utf-8"))
    assert cargo["lib"]["crate-type"] == ["cdylib"]
    assert "zed_extension_api" in cargo["dependencies"]
    source = (extension / "src" / "lib.rs").read_text(encoding="utf-8")
    assert f'const SERVER: &str = "{SERVER}";' in source
    assert "register_extension!" in source


@pytest.mark.parametrize("name", ["glm-eglot.el", "glm-lsp-mode.el"])
def test_emacs_snippet_is_balanced_and_starts_glm_lsp(name: str) -> None:
    """Each Emacs Lisp snippet reads as balanced forms and starts the command `glm-lsp`."""
    forms = read_elisp((EDITORS / "emacs" / name).read_text(encoding="utf-8"))
    assert forms
    strings = {item for item in _walk(forms) if isinstance(item, Str)}
    assert SERVER in strings


def test_eglot_workspace_configuration_is_valid_glm_settings() -> None:
    """The `:glm` plist the Eglot snippet answers workspace/configuration with is a settings
    object the server accepts."""
    forms = read_elisp((EDITORS / "emacs" / "glm-eglot.el").read_text(encoding="utf-8"))
    sections = [
        form[form.index(":glm") + 1]
        for form in _walk(forms)
        if isinstance(form, list) and ":glm" in form
    ]
    assert sections, "no :glm plist"
    for section in sections:
        structure_settings(plist_to_dict(section))


def test_lsp_mode_custom_settings_name_known_keys() -> None:
    """The settings the lsp-mode snippet registers are `glm.<key>` for keys the server has."""
    forms = read_elisp((EDITORS / "emacs" / "glm-lsp-mode.el").read_text(encoding="utf-8"))
    names = [
        str(item) for item in _walk(forms) if isinstance(item, Str) and str(item).startswith("glm.")
    ]
    assert names, "no glm.* custom setting"
    known = set(setting_keys())
    assert {name.removeprefix("glm.") for name in names} <= known


def test_elisp_reader_refuses_unbalanced_text() -> None:
    """The balance check fails on a missing or stray parenthesis, and is not fooled by
    brackets inside strings, comments or character literals."""
    assert read_elisp('(a "(" ?\\( ; )\n b)') == [["a", "(", "?\\(", "b"]]
    for text in ("(a (b)", "(a))", "(a ]"):
        with pytest.raises(ValueError):
            read_elisp(text)


def test_index_install_detector() -> None:
    """The document check flags installing glm-lsp by name from an index, in any installer's
    spelling, and lets through installs from a clone or a wheel."""
    flagged = [
        "pip install glm-lsp",
        "`pipx install glm-lsp` then",
        'pip install "glm-lsp==0.1.0"',
        "uv tool install glm_lsp",
        "python -m pip install -U glm-lsp[ws]",
    ]
    allowed = [
        "pip install .",
        "pip install -e '.[test]'",
        "pipx install dist/glm_lsp-0.1.0-py3-none-any.whl",
        "uv tool install ./glm_lsp-0.1.0-py3-none-any.whl",
        "pip install dist/glm_lsp-0.1.0.tar.gz && echo glm-lsp",
    ]
    for text in flagged:
        assert index_installs(text), text
    for text in allowed:
        assert not index_installs(text), text


def test_no_document_installs_from_an_index() -> None:
    """No README, doc, help file or example config tells users to install glm-lsp by name
    from a package index: it is not published there yet, so the command fails."""
    offenders = {
        str(path.relative_to(ROOT)): found
        for path in _documents()
        if (found := index_installs(path.read_text(encoding="utf-8")))
    }
    assert not offenders, offenders


def _section(text: str, heading: str) -> str:
    """From ``heading`` to the next heading of the same or a higher level."""
    start = text.index(f"\n{heading}\n")
    level = heading.split(" ", 1)[0]
    found = [text.find(f"\n{'#' * n} ", start + 1) for n in range(2, len(level) + 1)]
    ends = [index for index in found if index != -1]
    end = min(ends) if ends else -1
    return text[start : end if end != -1 else None]


def test_readme_quick_start_installs_runs_then_tests() -> None:
    """The README's quick start keeps its two commands: the first installs from the clone and
    ends in `glm-lsp --version` (success, key or not), the second is `bash scripts/test.sh`,
    which CI's entry point runs."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```sh\n(.*?)```", _section(readme, "## Quick start (from a clone)"), re.S)
    assert len(blocks) == 2, blocks
    install, checks = (block.strip() for block in blocks)
    assert re.search(r"pip install (-e )?\.( |$)", install), install
    assert install.endswith("glm-lsp --version"), install
    assert checks == "bash scripts/test.sh"
    assert "scripts/test.sh" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_first_run_guide_opens_with_every_editor() -> None:
    """The README's first section is the per-editor path (VS Code, Neovim, other LSP
    clients), and every example config it points at exists."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    first = readme.index("\n## ")
    assert readme[first:].startswith("\n## Get started\n")
    guide = _section(readme, "## Get started")
    for heading in ("### VS Code", "### Neovim", "### Helix, Zed, Emacs"):
        assert heading in guide, heading
    assert "build = ':GlmInstall'" in guide
    assert "GLM: Set API Key" in guide
    for folder in ("helix", "zed", "emacs"):
        assert f"editors/{folder}/" in guide, folder


@pytest.mark.parametrize(
    "document",
    ["README.md", "docs/install.md", "docs/troubleshooting.md", "editors/README.md"],
)
def test_guide_links_resolve(document: str) -> None:
    """Every relative link of the first-run documents points at a file or folder that
    exists, so a renamed config or capture cannot leave the guide pointing at nothing."""
    path = ROOT / document
    targets = re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", path.read_text(encoding="utf-8"))
    missing = [
        target for target in targets if "://" not in target and not (path.parent / target).exists()
    ]
    assert not missing, missing


def test_readme_neovim_recipes_are_the_tested_ones() -> None:
    """The README's lazy.nvim spec and runtimepath recipe are, word for word, the ones in
    editors/nvim/README.md, which the real-Neovim suite runs; so the two cannot drift."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    plugin_readme = (EDITORS / "nvim" / "README.md").read_text(encoding="utf-8")
    guide = re.findall(r"```lua\n(.*?)```", _section(readme, "### Neovim 0.11+"), re.S)
    tested = re.findall(r"```lua\n(.*?)```", plugin_readme, re.S)
    assert len(guide) == 2, guide
    assert "build = ':GlmInstall'" in guide[0]
    assert all(block in tested for block in guide)
