"""glm-lsp start-up, in one run: ``.venv/bin/python bench/startup.py [-n 20]``.

1. Spawn ``python -m glm_lsp`` until its ``initialize`` answer arrives (with its code cache,
   filled by an untimed first run that lingers long enough to save it), interleaved with the
   same server with ``GLM_LSP_NO_CODE_CACHE=1`` and two baselines that see the same machine
   noise: ``python -c "import pygls.lsp.server"`` (the floor for any pygls server) and
   ``python -c pass`` (the interpreter alone), each until it exits. Wall time p50/p90/mean and
   the child's CPU time (user+sys, steadier under
   load); ratio to the pygls baseline.
2. Where the import time goes: ``-X importtime`` of ``create_server()`` (all that answering
   ``initialize`` needs), self time summed per package, median of a few runs.
3. The warm-up after ``initialized`` (detect-secrets, finding git, HTTP pool, in a background
   thread): how long each job takes and how late a 1 ms ticker on the event loop wakes
   meanwhile, against a quiet period of the same length.

4. A true first start (issue 18), beside the warm figures of 1.: each run spawns the server
   from a fresh copy of ``glm_lsp`` without ``__pycache__``, with no bytecode anywhere
   (``PYTHONDONTWRITEBYTECODE=1`` and an empty ``PYTHONPYCACHEPREFIX``: every module, the
   standard library and dependencies included, is compiled from source), an empty home (no
   code cache) and, where permitted, a cold page cache (``echo 1 > /proc/sys/vm/drop_caches``;
   the report says when it could not). A second row keeps the bytecode a ``pip install``
   writes but starts with an empty code cache (a fresh install's first start).

Goal (issue 2): start-up until ``initialize`` answers under 300 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from benchlib import percentile

ROOT = Path(__file__).resolve().parent.parent
CREATE = "from glm_lsp.lsp.app import create_server; create_server()"
CACHED_CREATE = (
    "from glm_lsp.codecache import code_cache\n"
    "with code_cache():\n"
    "    from glm_lsp.lsp.app import create_server\n"
    "    create_server()\n"
)
INITIALIZE = {
    "jsonrpc": "2.0",
    "id": 1,
    "method": "initialize",
    "params": {"processId": None, "rootUri": None, "capabilities": {}},
}
CACHED_ENTRY = (
    "import sys\n"
    "from glm_lsp.codecache import code_cache\n"
    "with code_cache():\n"
    "    import glm_lsp.lsp.server\n"
    "from glm_lsp.cli import main\n"
    "sys.exit(main())\n"
)
LINE = re.compile(r"^import time:\s+(\d+) \|\s+(\d+) \| (\s*)(\S+)$")


def clean_env(home: str) -> dict[str, str]:
    """No key, no user settings file: what a fresh install sees."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GLM_", "ZAI_", "XDG_"))}
    env.update(HOME=home, XDG_CONFIG_HOME=f"{home}/config", GLM_LSP_CONFIG=f"{home}/none")
    return env


def child_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


async def server_once(
    env: dict[str, str], entry: list[str], linger: float = 0.0
) -> tuple[float, float]:
    """(wall, cpu) seconds from spawning ``python *entry`` to its ``initialize`` answer.

    The server is killed ``linger`` seconds after answering.
    """
    payload = json.dumps(INITIALIZE).encode()
    errors = tempfile.TemporaryFile()
    cpu = child_cpu()
    start = time.perf_counter()
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        *entry,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=errors,
        env=env,
    )
    assert proc.stdin is not None and proc.stdout is not None
    proc.stdin.write(b"Content-Length: %d\r\n\r\n%s" % (len(payload), payload))
    await proc.stdin.drain()
    try:
        while True:
            length = 0
            while (line := await asyncio.wait_for(proc.stdout.readline(), 60)).strip():
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
            if not length:
                errors.seek(0)
                tail = errors.read()[-2000:].decode(errors="replace")
                raise RuntimeError(f"the server closed its output without answering:\n{tail}")
            message = json.loads(await proc.stdout.readexactly(length))
            if message.get("id") == 1:
                wall = time.perf_counter() - start
                break
        await asyncio.sleep(linger)
    finally:
        proc.kill()
        await proc.wait()
        errors.close()
    return wall, child_cpu() - cpu


async def command_once(args: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(wall, cpu) seconds from spawning ``args`` to its exit."""
    cpu = child_cpu()
    start = time.perf_counter()
    proc = await asyncio.create_subprocess_exec(*args, env=env)
    if await proc.wait() != 0:
        raise RuntimeError(f"{args} failed")
    return time.perf_counter() - start, child_cpu() - cpu


def start_up(n: int, env: dict[str, str]) -> dict[str, tuple[list[float], list[float]]]:
    runs: dict[str, tuple[list[float], list[float]]] = {}
    kinds = {
        "glm-lsp": lambda: server_once(env, ["-m", "glm_lsp"]),
        "no code cache": lambda: server_once(
            {**env, "GLM_LSP_NO_CODE_CACHE": "1"}, ["-m", "glm_lsp"]
        ),
        "pygls import": lambda: command_once(
            [sys.executable, "-c", "import pygls.lsp.server"], env
        ),
        "python -c pass": lambda: command_once([sys.executable, "-c", "pass"], env),
    }
    for name in kinds:
        runs[name] = ([], [])
    for make in kinds.values():  # warm the disk cache and .pyc files once
        asyncio.run(make())
    asyncio.run(server_once(env, ["-m", "glm_lsp"], linger=4.0))  # time to save the cache
    for i in range(n):
        order = list(kinds.items())
        for name, make in order if i % 2 else reversed(order):
            wall, cpu = asyncio.run(make())
            runs[name][0].append(wall)
            runs[name][1].append(cpu)
    return runs


def drop_page_cache() -> str:
    """Try to empty the page cache; says what happened."""
    try:
        os.sync()
        Path("/proc/sys/vm/drop_caches").write_text("1\n")
    except OSError as exc:
        return f"could NOT drop the page cache ({exc.strerror}); files may still be cached"
    return "page cache dropped before each run (echo 1 > /proc/sys/vm/drop_caches)"


def first_starts(runs: int) -> tuple[dict[str, tuple[list[float], list[float]]], str]:
    """(wall, cpu) of true first starts: no bytecode, no code cache, cold page cache if allowed;
    and of first starts after an install (bytecode present, empty code cache)."""
    results: dict[str, tuple[list[float], list[float]]] = {
        "first: no .pyc": ([], []),
        "first: new home": ([], []),
    }
    note = ""
    for _ in range(runs):
        for name, (walls, cpus) in results.items():
            with tempfile.TemporaryDirectory() as scratch:
                home = Path(scratch) / "home"
                home.mkdir()
                env = clean_env(str(home))
                if name == "first: no .pyc":
                    copy = Path(scratch) / "src"
                    shutil.copytree(
                        ROOT / "server" / "glm_lsp",
                        copy / "glm_lsp",
                        ignore=shutil.ignore_patterns("__pycache__"),
                    )
                    env.update(
                        PYTHONPATH=str(copy),
                        PYTHONDONTWRITEBYTECODE="1",
                        PYTHONPYCACHEPREFIX=str(Path(scratch) / "pycache"),
                    )
                note = drop_page_cache()
                wall, cpu = asyncio.run(server_once(env, ["-m", "glm_lsp"]))
                walls.append(wall)
                cpus.append(cpu)
    return results, note


def import_breakdown(runs: int, env: dict[str, str], code: str) -> tuple[dict[str, float], float]:
    """Median self time (ms) per package of ``code``'s imports, and the median total."""
    per_run: list[dict[str, float]] = []
    totals: list[float] = []
    for _ in range(runs):
        done = subprocess.run(
            [sys.executable, "-X", "importtime", "-c", code],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        groups: dict[str, float] = defaultdict(float)
        for line in done.stderr.splitlines():
            m = LINE.match(line)
            if not m:
                continue
            parts = m.group(4).split(".")
            key = ".".join(parts[:2]) if parts[0] == "glm_lsp" and len(parts) > 1 else parts[0]
            groups[key] += int(m.group(1)) / 1000
        per_run.append(groups)
        totals.append(sum(groups.values()))
    names = {name for groups in per_run for name in groups}
    medians = {name: statistics.median(g.get(name, 0.0) for g in per_run) for name in names}
    return medians, statistics.median(totals)


PROBE = """
import asyncio, gc, json, time
import attrs
from glm_lsp.lsp.app import create_server
from glm_lsp.warmup import warm_timings

server = create_server()
gc.freeze()

async def tick(until):
    late = []
    while not until():
        start = time.perf_counter()
        await asyncio.sleep(0.001)
        late.append((time.perf_counter() - start - 0.001) * 1000)
    return late

async def main():
    started = time.perf_counter()
    server.context.set_workspace_roots([])  # what `initialized` does ...
    server.glm.update_config(attrs.evolve(server.glm.config, api_key="sk-bench-not-a-key"))
    warm = await tick(lambda: len(warm_timings()) >= 3)
    took = time.perf_counter() - started
    end = time.perf_counter() + took
    quiet = await tick(lambda: time.perf_counter() >= end)
    print(json.dumps({"jobs": warm_timings(), "warm": warm, "quiet": quiet, "took": took}))

asyncio.run(main())
"""


def stall_probe(env: dict[str, str]) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, check=True
    )
    result: dict[str, object] = json.loads(done.stdout)
    return result


def stats_row(name: str, values: list[float], base: list[float] | None = None) -> str:
    p50, p90 = percentile(values, 0.5) * 1000, percentile(values, 0.9) * 1000
    text = f"{name:<16}{len(values):>4}{p50:>9.0f}{p90:>9.0f}{statistics.mean(values) * 1000:>9.0f}"
    if base is not None:
        x50, x90 = p50 / (percentile(base, 0.5) * 1000), p90 / (percentile(base, 0.9) * 1000)
        text += f"{x50:>9.2f}{x90:>9.2f}"
    return text


def lateness_row(name: str, late: list[float]) -> str:
    return (
        f"{name:<16}{len(late):>7}{percentile(late, 0.5):>8.2f}{percentile(late, 0.99):>8.2f}"
        f"{max(late):>8.2f}{sum(x > 5 for x in late):>8}{sum(x > 20 for x in late):>8}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=20, help="start-ups per command")
    parser.add_argument("--importtime-runs", type=int, default=5)
    parser.add_argument("--top", type=int, default=12, help="packages shown in the breakdown")
    parser.add_argument("--first-runs", type=int, default=5, help="true first starts")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as home:
        env = clean_env(home)
        runs = start_up(args.n, env)
        groups, total = import_breakdown(args.importtime_runs, env, CREATE)
        cached, cached_total = import_breakdown(args.importtime_runs, env, CACHED_CREATE)
        probe = stall_probe(env)
    firsts, cache_note = first_starts(args.first_runs)
    runs.update(firsts)

    base_wall, base_cpu = runs["pygls import"]
    print(
        f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} cores"
    )
    print()
    print("start-up: spawn -> `initialize` answered (glm-lsp) / exit (baselines), ms")
    header = f"{'':<16}{'n':>4}{'p50':>9}{'p90':>9}{'mean':>9}{'p50 x':>9}{'p90 x':>9}"
    for label, index, base in (("wall", 0, base_wall), ("CPU (user+sys)", 1, base_cpu)):
        print(f"-- {label}")
        print(header)
        for name, (walls, cpus) in runs.items():
            values = (walls, cpus)[index]
            print(stats_row(name, values, None if name == "pygls import" else base))
    print("(x = ratio to `python -c 'import pygls.lsp.server'`)")
    print(
        "(first: no .pyc = a fresh copy, no bytecode at all, empty code cache;"
        " first: new home = installed bytecode, empty code cache;"
        f" {cache_note})"
    )

    print()
    print(
        "import time of create_server(), ms of self time per package,"
        f" median of {args.importtime_runs}"
    )
    print("(-X importtime inflates it)")
    print(f"  {'':<24}{'as is':>9}{'share':>8}{'+ code cache':>14}")
    top = sorted(groups.items(), key=lambda kv: -kv[1])[: args.top]
    for name, ms in top:
        print(f"  {name:<24}{ms:>9.1f}{100 * ms / total:>7.1f}%{cached.get(name, 0.0):>14.1f}")
    rest = total - sum(ms for _, ms in top)
    rest_cached = cached_total - sum(cached.get(name, 0.0) for name, _ in top)
    print(f"  {'(the rest)':<24}{rest:>9.1f}{100 * rest / total:>7.1f}%{rest_cached:>14.1f}")
    print(f"  {'total':<24}{total:>9.1f}{'':>8}{cached_total:>14.1f}")

    print()
    jobs: dict[str, float] = probe["jobs"]  # type: ignore[assignment]
    print(f"warm-up after `initialized` ({probe['took'] * 1000:.0f} ms in all):")
    for name, ms in jobs.items():
        print(f"  {'http pool' if name.startswith('http pool') else name:<28}{ms:>8.1f} ms")
    print("event-loop ticker lateness (ms): during warm-up vs. a quiet period as long")
    print(f"{'':<16}{'ticks':>7}{'p50':>8}{'p99':>8}{'max':>8}{'>5ms':>8}{'>20ms':>8}")
    print(lateness_row("warm-up", probe["warm"]))  # type: ignore[arg-type]
    print(lateness_row("quiet", probe["quiet"]))  # type: ignore[arg-type]


if __name__ == "__main__":
    main()
