"""The VS Code extension's own checks (type-check and node unit tests), run from pytest so CI
runs them with everything else. Needs ``editors/vscode/node_modules`` (install.sh)."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from tests.vscode.harness import EXT

pytestmark = [pytest.mark.vscode, pytest.mark.timeout(300)]


def test_extension_typecheck_and_unit_tests() -> None:
    """`npm test` in editors/vscode passes: `tsc --noEmit` is clean and every node:test unit
    test (settings mapping, server command, status view, chat reducer, markdown sanitising)
    passes."""
    npm = shutil.which("npm")
    assert npm, "npm is needed for the VS Code extension tests"
    assert (EXT / "node_modules" / "typescript").is_dir(), (
        "run `bash editors/vscode/e2e/install.sh` first"
    )
    run = subprocess.run(
        [npm, "test", "--silent"], cwd=EXT, capture_output=True, text=True, timeout=280, check=False
    )
    output = run.stdout + run.stderr
    assert run.returncode == 0, output[-6000:]
    passed = re.search(r"^# pass (\d+)$", output, re.MULTILINE)
    failed = re.search(r"^# fail (\d+)$", output, re.MULTILINE)
    assert passed and int(passed.group(1)) > 0, output[-3000:]
    assert failed and int(failed.group(1)) == 0, output[-3000:]
