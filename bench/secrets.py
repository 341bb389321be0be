"""Secret redaction: corpus rates, throughput and worst case: ``.venv/bin/python bench/secrets.py``.

1. Leak rate (secret cases with any secret substring left) and false-redaction rate
   (look-alikes changed at all) on tests/secrets_corpus, per split (tuned / held-out) and
   per file kind, for the current redactor and for the one before issue 11 (its module
   taken from git history, ``--old-rev``), in the same run.
2. Throughput (MB/s, cold cache) on real sources (installed packages' .py/.json/.yaml/.toml
   files): current redactor, the old per-line pass, and a plain one-regex scan as a floor.
3. Worst case on 100 KB adversarial lines: each hand-written pattern as the code uses it,
   the whole redactor (line rules, blocks, detect-secrets), detect-secrets' own patterns at
   the line length they are still run on (``LONG_LINE``), and the old redactor (in a child
   process with a time limit, as its keyword rules backtrack on long lines).
"""

from __future__ import annotations

import argparse
import collections
import importlib.util
import os
import re
import subprocess
import sys
import sysconfig
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "server"))
sys.path.insert(0, str(ROOT))

from tests.secrets_corpus import load  # noqa: E402

from glm_lsp.context import secret_blocks, secret_rules  # noqa: E402
from glm_lsp.context.secret_detectors import LONG_LINE, load_detectors  # noqa: E402
from glm_lsp.context.secrets import Redactor  # noqa: E402

OLD_REV = "a376628"
SIZE = 100_000
SEEDS = (
    *("a", "a-", "a.", "-", "=", ":", " ", "\t", "'", '"', "\\", "/", "+", "A", "0", "aA0"),
    *("password=", "password: ", 'password="', "x://", "://a:", "a:b@", "<password>", "</"),
    *("-----BEGIN", "-----END", "-p", "-u a:", "--password ", "Authorization: ", "eyJ"),
    *("Cookie: a=b;", ";password=", "name: password ", "machine password ", "${", "{{"),
    *("identified by '", "sk-", "AKIA", "key", "pass", "a=", "a: ", "xoxb-1-", "Bearer "),
    *("-----BEGIN PRIVATE KEY-----", "eyJaaaaaaaa.", "/:_authToken=", 'password="a ', "a@"),
)
OLD_SEEDS = ("a", "password=", 'password="', "-", "password: ", "'")
KINDS = {
    ".yml": "yaml", ".yaml": "yaml", ".json": "json", ".toml": "toml", ".py": "python",
    ".js": "js/ts", ".ts": "js/ts", ".go": "go", ".java": "java", ".cs": "c#", ".rb": "ruby",
    ".php": "php", ".tf": "terraform", ".xml": "xml", ".config": "xml", ".sh": "shell",
    ".bat": "shell", ".ps1": "shell", ".properties": "config", ".cnf": "config",
    ".cfg": "config", ".ini": "config", ".conf": "config", ".http": "http", ".sql": "sql",
    ".gradle": "gradle", ".ppk": "key", ".md": "text", ".txt": "text", ".css": "css",
    ".html": "html", ".lock": "lock", ".sum": "lock",
}  # fmt: skip


def file_kind(name: str) -> str:
    base = os.path.basename(name)
    if base.startswith(".env") or base.endswith(".env"):
        return "env"
    if base in ("Dockerfile", "Makefile"):
        return "shell"
    return KINDS.get(os.path.splitext(base)[1], "other")


def load_old(rev: str) -> ModuleType | None:
    """The redactor module as it was at `rev` (None when git or the revision is missing)."""
    try:
        source = subprocess.run(
            ["git", "-C", str(ROOT), "show", f"{rev}:server/glm_lsp/context/secrets.py"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    path = Path(tempfile.mkdtemp()) / "old_secrets.py"
    path.write_text(source)
    spec = importlib.util.spec_from_file_location("old_secrets", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# -- 1. corpus rates ---------------------------------------------------------------------------


def rates(redact: Callable[[str, str], str], title: str) -> None:
    print(f"\n{title}")
    print(
        f"  {'split':8} {'kind':10} {'secrets':>8} {'leaked':>7} {'look-alikes':>12} {'changed':>8}"
    )
    rows: dict[tuple[str, str], list[int]] = collections.defaultdict(lambda: [0, 0, 0, 0])
    failures: list[str] = []
    for split in ("tuned", "heldout"):
        for case in load(split, "secrets") + load(split, "lookalikes"):
            out = redact(case.text, case.file)
            bad = bool(case.leaked(out)) if case.is_secret else out != case.text
            for kind in (file_kind(case.file), "ALL"):
                row = rows[(split, kind)]
                row[0 if case.is_secret else 2] += 1
                row[1 if case.is_secret else 3] += int(bad)
            if bad:
                what = "leak" if case.is_secret else "false"
                failures.append(f"{split}/{what}/{case.id}")
    for (split, kind), (n_sec, leaked, n_look, changed) in sorted(
        rows.items(), key=lambda kv: (kv[0][0] != "tuned", kv[0][1] == "ALL", kv[0][1])
    ):
        print(
            f"  {split:8} {kind:10} {n_sec:8} {leaked:7} {n_look:12} {changed:8}"
            + (
                f"   leak {pct(leaked, n_sec)}, false {pct(changed, n_look)}"
                if kind == "ALL"
                else ""
            )
        )
    if failures:
        print("  failing cases: " + ", ".join(failures))


def pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f} %" if whole else "-"


# -- 2. throughput -----------------------------------------------------------------------------


def real_sources(limit_bytes: int) -> list[tuple[str, str]]:
    site = Path(sysconfig.get_paths()["purelib"])
    out: list[tuple[str, str]] = []
    total = 0
    for dirpath, _, files in sorted(os.walk(site)):
        for name in sorted(files):
            if not name.endswith((".py", ".json", ".yaml", ".yml", ".toml", ".cfg", ".md")):
                continue
            path = os.path.join(dirpath, name)
            try:
                text = Path(path).read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                continue
            out.append((path, text))
            total += len(text)
            if total >= limit_bytes:
                return out
    return out


def throughput(texts: list[tuple[str, str]], old: ModuleType | None, old_rev: str) -> None:
    megabytes = sum(len(t) for _, t in texts) / 1e6
    print(f"\nthroughput on {len(texts)} real files, {megabytes:.1f} MB (cold cache, one thread)")
    plain = re.compile(r"(?i)(?:password|passwd|secret|token|api_?key)\s*[:=]\s*\S+")
    runs: list[tuple[str, Callable[[str, str], Any]]] = [
        ("plain regex scan (floor)", lambda text, path: sum(1 for _ in plain.finditer(text)))
    ]
    if old is not None:
        old_redactor = old.Redactor()
        old_redactor.redact("warm = 1")
        runs.append(
            (f"old per-line redactor ({old_rev})", lambda t, p: old_redactor.redact(t, path=p))
        )
    new = Redactor()
    new.redact("warm = 1")
    runs.append(("block-aware redactor", lambda t, p: new.redact(t, path=p)))
    for name, run in runs:
        start = time.perf_counter()
        for path, text in texts:
            run(text, path)
        seconds = time.perf_counter() - start
        print(f"  {name:34} {megabytes / seconds:7.2f} MB/s  ({seconds:.2f} s)")


# -- 3. worst case -----------------------------------------------------------------------------


def adversarial(seed: str, size: int = SIZE) -> str:
    return (seed * (size // len(seed) + 1))[:size]


def timed(fn: Callable[[], Any]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def worst_case(old_rev: str, old_limit: float) -> None:
    print(f"\nworst case on {SIZE // 1000} KB adversarial lines ({len(SEEDS)} seeds)")
    ours: dict[str, re.Pattern[str]] = {
        **{f"secret_rules.{k}": v for k, v in secret_rules.PATTERNS.items()},
        **{f"secret_blocks.{k}": v for k, v in secret_blocks.PATTERNS.items()},
    }
    anchored = {f"secret_rules.{k}" for k in secret_rules.ANCHORED} | {
        f"secret_blocks.{k}" for k in secret_blocks.ANCHORED
    }
    lines = {seed: adversarial(seed) for seed in SEEDS}
    worst = (0.0, "", "")
    for name, rx in ours.items():
        use: Callable[[str], Any] = rx.match if name in anchored else rx.findall
        for seed, line in lines.items():
            seconds = timed(lambda: use(line))  # noqa: B023 - called at once
            worst = max(worst, (seconds, name, seed))
    print(f"  one hand-written pattern: {worst[0] * 1000:8.1f} ms  ({worst[1]} on {worst[2]!r})")

    redactor = Redactor()
    redactor.redact("warm = 1")
    full = max(
        (timed(lambda: Redactor().redact(line, path="a.yaml")), seed)  # noqa: B023
        for seed, line in lines.items()
    )
    print(f"  whole redactor, one line:  {full[0] * 1000:8.1f} ms  (on {full[1]!r})")
    many = "\n".join(
        ["-----END PRIVATE KEY-----", "key: |", "  - name: DB_PASSWORD", "credentials:", "x"]
        * 20_000
    )
    blocks = timed(lambda: Redactor().redact(many, path="a.yaml"))
    print(f"  whole redactor, 100,000 block-shaped lines: {blocks * 1000:8.1f} ms")

    detectors = load_detectors()
    theirs = [rx for _, _, regexes in detectors.regexes for rx in regexes]
    theirs += [rx for rules in detectors.keyword_rules.values() for rx in rules]
    theirs += [p.regex for p in detectors.entropy_plugins]
    capped = max(
        (timed(lambda: rx.findall(adversarial(seed, LONG_LINE))), seed, rx.pattern[:50])  # noqa: B023
        for rx in set(theirs)
        for seed in SEEDS
    )
    print(
        f"  one detect-secrets pattern at {LONG_LINE} chars (their cap): {capped[0] * 1000:8.1f} ms"
        f"  (on {capped[1]!r}: {capped[2]!r}...)"
    )

    script = (
        "import sys, time, importlib.util\n"
        "spec = importlib.util.spec_from_file_location('old', sys.argv[1])\n"
        "m = importlib.util.module_from_spec(spec); spec.loader.exec_module(m)\n"
        "r = m.Redactor(); r.redact('warm = 1')\n"
        f"line = (sys.argv[2] * ({SIZE} // len(sys.argv[2]) + 1))[:{SIZE}]\n"
        "t = time.perf_counter(); r.redact(line, path='a.yaml'); print(time.perf_counter() - t)\n"
    )
    old = load_old(old_rev)
    if old is None:
        print("  old redactor: not measured (no git history)")
        return
    results = []
    for seed in OLD_SEEDS:
        try:
            done = subprocess.run(
                [sys.executable, "-c", script, str(old.__file__), seed],
                capture_output=True,
                text=True,
                timeout=old_limit,
            )
            results.append((float(done.stdout.strip()), seed))
        except subprocess.TimeoutExpired:
            results.append((float("inf"), seed))
    seconds, seed = max(results)
    shown = (
        f"> {old_limit:.0f} s (stopped)" if seconds == float("inf") else f"{seconds * 1000:.1f} ms"
    )
    print(f"  old redactor, one line:    {shown}  (on {seed!r}, {len(OLD_SEEDS)} seeds tried)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--old-rev", default=OLD_REV, help="git revision of the old redactor")
    parser.add_argument("--megabytes", type=float, default=8.0, help="real sources to redact")
    parser.add_argument("--old-limit", type=float, default=30.0, help="seconds per old run")
    args = parser.parse_args()
    old = load_old(args.old_rev)
    new = Redactor()
    rates(lambda text, path: new.redact(text, path=path), "corpus, block-aware redactor")
    if old is not None:
        old_redactor = old.Redactor()
        rates(
            lambda text, path: old_redactor.redact(text, path=path),
            f"corpus, old per-line redactor ({args.old_rev})",
        )
    throughput(real_sources(int(args.megabytes * 1e6)), old, args.old_rev)
    worst_case(args.old_rev, args.old_limit)


if __name__ == "__main__":
    main()
