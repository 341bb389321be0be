"""Soak the real server with the property-based fuzzer: ``.venv/bin/python bench/fuzz.py``.

Runs the cases of ``tests/e2e/fuzz_cases.py`` (the same generator and checks as the CI test
``tests/e2e/test_fuzz.py``) against ``python -m glm_lsp`` for ``--duration`` seconds, in batches
of ``--batch`` cases, each batch with its own Hypothesis seed (``--seed``, random when absent,
printed so a finding can be replayed). Prints cases and steps per second, servers started, the
response codes seen, the peak resident memory against the bound, and every finding with its
seed and falsifying case.

``--ci`` instead runs exactly the CI test's fixed-seed budget and reports its speed.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from hypothesis import HealthCheck, Phase, given, seed, settings  # noqa: E402
from tests.e2e.fuzz_cases import (  # noqa: E402
    REPLY,
    RSS_BOUND_KB,
    Case,
    FuzzSession,
    cases,
)
from tests.e2e.test_fuzz import CI_EXAMPLES  # noqa: E402
from tests.glm_endpoint import GlmEndpoint  # noqa: E402

HEALTH = list(HealthCheck)


def _batch(
    loop: asyncio.AbstractEventLoop,
    fuzz: FuzzSession,
    batch_seed: int,
    examples: int,
    deadline: float,
    derandomize: bool,
) -> None:
    @settings(
        max_examples=examples,
        derandomize=derandomize,
        deadline=None,
        database=None,
        suppress_health_check=HEALTH,
        phases=[Phase.generate],
    )
    @seed(batch_seed)
    @given(case=cases())
    def run(case: Case) -> None:
        if time.monotonic() < deadline:
            loop.run_until_complete(fuzz.run(case))

    run()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=300.0, help="seconds to fuzz")
    parser.add_argument("--seed", type=int, default=None, help="first seed (random if absent)")
    parser.add_argument("--batch", type=int, default=50, help="cases per seed")
    parser.add_argument("--ci", action="store_true", help="the CI test's fixed-seed budget")
    args = parser.parse_args()
    first_seed = random.randrange(2**32) if args.seed is None else args.seed
    findings: list[tuple[int, str]] = []
    loop = asyncio.new_event_loop()
    with tempfile.TemporaryDirectory() as tmp, GlmEndpoint(default=REPLY) as endpoint:
        workspace, home = Path(tmp) / "workspace", Path(tmp) / "home"
        workspace.mkdir()
        home.mkdir()
        fuzz = FuzzSession(workspace, home, endpoint.url)
        started = time.monotonic()
        batches = 0
        if args.ci:
            deadline = float("inf")
            _batch(loop, fuzz, 0, CI_EXAMPLES, deadline, derandomize=True)
            batches = 1
        else:
            deadline = started + args.duration
            print(f"fuzzing for {args.duration:.0f} s from seed {first_seed}", flush=True)
            while time.monotonic() < deadline:
                batch_seed = first_seed + batches
                batches += 1
                try:
                    _batch(loop, fuzz, batch_seed, args.batch, deadline, derandomize=False)
                except Exception as exc:  # noqa: BLE001 - a finding: report it and go on
                    notes = "\n".join(getattr(exc, "__notes__", []))
                    findings.append((batch_seed, f"{type(exc).__name__}: {exc}\n{notes}"))
                    print(f"FINDING (seed {batch_seed}): {exc}", flush=True)
                    loop.run_until_complete(fuzz.close())
        elapsed = time.monotonic() - started
        loop.run_until_complete(fuzz.close())
    loop.close()
    report(fuzz, elapsed, batches, findings, "ci (fixed seed)" if args.ci else "soak")
    return 1 if findings else 0


def report(
    fuzz: FuzzSession, elapsed: float, batches: int, findings: list[tuple[int, str]], mode: str
) -> None:
    stats = fuzz.stats
    codes: dict[Any, int] = dict(sorted(stats.codes.items()))
    print(f"\nmode: {mode}, {elapsed:.1f} s, {batches} seed batch(es)")
    print(f"cases: {stats.cases} ({stats.cases / elapsed:.2f}/s)")
    print(f"steps: {stats.steps} ({stats.steps / elapsed:.1f}/s), requests: {stats.requests}")
    print(f"servers started: {stats.servers}")
    print(f"response codes (0 = result): {codes}")
    print(
        f"peak server RSS: {stats.peak_rss_kb / 1024:.1f} MiB (bound {RSS_BOUND_KB / 1024:.0f} MiB)"
    )
    print(f"findings: {len(findings)}")
    for batch_seed, text in findings:
        print(f"--- seed {batch_seed}\n{text}")


if __name__ == "__main__":
    raise SystemExit(main())
