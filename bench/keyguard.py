"""What masking costs: ``.venv/bin/python bench/keyguard.py``.

Every error, status message, notice and log record passes ``keyguard.mask_secrets`` (whole
keys, pieces of keys, echoed credentials), and every byte to the editor passes
``MaskingWriter`` (whole keys, equal length). This prints the time per call, median and p99
in microseconds, for texts of the sizes those paths carry, next to the baseline measured in
the same run: a bare ``str.replace`` of the key (what the server did before the guard), and
for the writer, writing the bytes untouched.
"""

from __future__ import annotations

import io
import json
import random
import string
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

from benchlib import percentile

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "server"))

from glm_lsp.keyguard import KeyGuard, MaskingWriter  # noqa: E402

KEY = "c0ffee5e1f2a4b8d9e7f6a5b4c3d2e1f.Qw8ErTy2UiOp4AsD"
ROUNDS = 2000


def prose(size: int, rng: random.Random) -> str:
    """Log-like text: words, identifiers, paths, numbers, hex ids."""
    words = ["request", "glm_lsp.llm.client", "first", "event", "after", "ms", "src/app/main.py"]
    parts: list[str] = []
    while sum(len(p) + 1 for p in parts) < size:
        roll = rng.random()
        if roll < 0.1:
            parts.append("".join(rng.choices("0123456789abcdef", k=32)))
        elif roll < 0.3:
            parts.append("".join(rng.choices(string.ascii_letters + "_", k=rng.randint(6, 18))))
        else:
            parts.append(rng.choice(words))
    return " ".join(parts)[:size]


def timed(fn: Callable[[], object], rounds: int = ROUNDS) -> tuple[float, float]:
    """Median and p99 of ``fn``'s duration, in microseconds."""
    samples: list[float] = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1e6)
    return percentile(samples, 0.5), percentile(samples, 0.99)


def main() -> None:
    rng = random.Random(7)
    guard = KeyGuard()
    guard.remember(KEY)
    guard.remember("sk-or-v1-" + "9f8e7d6c5b4a39281706f5e4d3c2b1a0" * 2)
    print(f"{'text':<40} {'guard med/p99 µs':>18} {'baseline med/p99 µs':>22}")
    cases = [
        ("error, 300 chars, key echoed", prose(250, rng) + " " + KEY),
        ("status message, 120 chars, no key", prose(120, rng)),
        ("log line, 4 KB, no key", prose(4096, rng)),
        ("log line, 64 KB, no key (-vvv traces)", prose(65536, rng)),
    ]
    for label, text in cases:
        rounds = 200 if len(text) > 10000 else ROUNDS
        med, p99 = timed(partial(guard.mask, text), rounds)
        bmed, bp99 = timed(partial(text.replace, KEY, "****"), rounds)
        print(f"{label:<40} {med:>8.1f} / {p99:>7.1f} {bmed:>11.1f} / {bp99:>7.1f}")

    for size in (1024, 65536, 1024 * 1024):
        body = json.dumps(
            {"jsonrpc": "2.0", "method": "glm/chat/delta", "params": {"text": prose(size, rng)}}
        ).encode()
        data = b"Content-Length: %d\r\n\r\n" % len(body) + body
        masked = MaskingWriter(io.BytesIO(), guard)
        plain = io.BytesIO()
        rounds = 100 if size > 100000 else ROUNDS
        med, p99 = timed(partial(masked.write, data), rounds)
        bmed, bp99 = timed(partial(plain.write, data), rounds)
        label = f"writer, {size // 1024} KB message"
        print(f"{label:<40} {med:>8.1f} / {p99:>7.1f} {bmed:>11.1f} / {bp99:>7.1f}")


if __name__ == "__main__":
    main()
