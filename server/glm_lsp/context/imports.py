"""Files the current file imports, when they live in the workspace.

Python (`import a.b`, `from .x import y`) and JS/TS relative specifiers
(`import ... from './x'`, `require('./x')`, `import('./x')`, `export ... from`).
Finding import lines is cheap string search and runs on the event loop; resolving
them checks the file system and runs in a worker thread.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence

PY_LANGS = frozenset({"python"})
JS_LANGS = frozenset({"javascript", "javascriptreact", "typescript", "typescriptreact"})
JS_EXTENSIONS = (".ts", ".tsx", ".js", ".jsx", ".mjs", ".cjs", ".mts", ".cts", ".d.ts")
MAX_SPECS = 40

_PY_FROM = re.compile(r"^\s*from\s+([.\w]+)\s+import\s+\(?([\w\s,]*)")
_PY_IMPORT = re.compile(r"^\s*import\s+([\w.\s,]+)")
_JS_SPEC = re.compile(
    r"""(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\s*\(\s*)['"](\.{1,2}/[^'"\n]+)['"]"""
)

_OUTLINE = {
    "python": re.compile(r"^(?:[ ]{0,4})(?:async\s+def|def|class)\s+\w+|^[A-Z][A-Z0-9_]+\s*[:=]"),
    "js": re.compile(
        r"^\s*(?:export\s+)?(?:default\s+)?(?:async\s+)?"
        r"(?:function\*?|class|interface|type|enum|const|let|abstract\s+class)\s+\w+"
    ),
}


def _lines_with(text: str, needles: Sequence[str]) -> list[str]:
    """Lines containing any needle, in document order (plain string search)."""
    found: dict[int, str] = {}
    for needle in needles:
        i = text.find(needle)
        while i >= 0:
            start = text.rfind("\n", 0, i) + 1
            end = text.find("\n", i)
            end = len(text) if end < 0 else end
            found.setdefault(start, text[start:end])
            i = text.find(needle, end)
    return [found[k] for k in sorted(found)]


def import_specs(text: str, language_id: str) -> tuple[str, ...]:
    """Module specifiers imported by `text`, in first-seen order (no I/O)."""
    specs: list[str] = []
    if language_id in PY_LANGS:
        for line in _lines_with(text, ("import",)):
            m = _PY_FROM.match(line)
            if m:
                module = m.group(1)
                specs.append(module)
                sep = "" if module.endswith(".") else "."
                for name in m.group(2).replace("(", " ").split(","):
                    name = name.strip().split(" ")[0]
                    if name and name != "*":
                        specs.append(module + sep + name)
                continue
            m = _PY_IMPORT.match(line)
            if m:
                for part in m.group(1).split(","):
                    name = part.strip().split(" ")[0]
                    if name:
                        specs.append(name)
    elif language_id in JS_LANGS:
        for line in _lines_with(text, ("import", "require", "from")):
            specs.extend(_JS_SPEC.findall(line))
    unique = list(dict.fromkeys(s for s in specs if s.strip(".")))
    return tuple(unique[:MAX_SPECS])


def python_roots(file_path: str, roots: Sequence[str]) -> list[str]:
    """Directories absolute Python imports resolve against (blocking: stats files)."""
    out: list[str] = []
    directory = os.path.dirname(file_path)
    while os.path.isfile(os.path.join(directory, "__init__.py")):
        parent = os.path.dirname(directory)
        if parent == directory:
            break
        directory = parent
    out.append(directory)
    for root in roots:
        out.append(root)
        for sub in ("src", "lib", "server"):
            candidate = os.path.join(root, sub)
            if os.path.isdir(candidate):
                out.append(candidate)
    return list(dict.fromkeys(os.path.normpath(p) for p in out))


def resolve(spec: str, file_path: str, language_id: str, search_roots: Sequence[str]) -> str | None:
    """The workspace file a specifier names, or None (blocking: stats files)."""
    if language_id in PY_LANGS:
        return _resolve_python(spec, file_path, search_roots)
    if language_id in JS_LANGS:
        return _resolve_js(spec, file_path)
    return None


def _resolve_python(spec: str, file_path: str, search_roots: Sequence[str]) -> str | None:
    dots = len(spec) - len(spec.lstrip("."))
    parts = [p for p in spec[dots:].split(".") if p]
    if dots:
        base = os.path.dirname(file_path)
        for _ in range(dots - 1):
            base = os.path.dirname(base)
        bases = [base]
    else:
        bases = list(search_roots)
    if not parts:
        return None
    for base in bases:
        stem = os.path.join(base, *parts)
        for candidate in (stem + ".py", os.path.join(stem, "__init__.py")):
            if os.path.isfile(candidate) and os.path.normpath(candidate) != file_path:
                return os.path.normpath(candidate)
    return None


def _resolve_js(spec: str, file_path: str) -> str | None:
    stem = os.path.normpath(os.path.join(os.path.dirname(file_path), spec))
    candidates = [stem] if os.path.splitext(stem)[1] else []
    if stem.endswith(".js"):
        candidates.append(stem[:-3] + ".ts")
        candidates.append(stem[:-3] + ".tsx")
    candidates += [stem + ext for ext in JS_EXTENSIONS]
    candidates += [os.path.join(stem, "index" + ext) for ext in JS_EXTENSIONS]
    for candidate in candidates:
        if os.path.isfile(candidate) and candidate != file_path:
            return candidate
    return None


def outline(lines: Sequence[str], language_id: str) -> list[str]:
    """Top-level signatures of a module (for small budgets)."""
    key = "python" if language_id in PY_LANGS else "js" if language_id in JS_LANGS else ""
    pattern = _OUTLINE.get(key)
    if pattern is None:
        return list(lines[:30])
    out: list[str] = []
    for line in lines:
        if pattern.match(line):
            out.append(line.rstrip())
    return out
