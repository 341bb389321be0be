import { test } from "node:test";
import assert from "node:assert/strict";
import {
  compareVersions,
  isSupported,
  lastLines,
  needsInstall,
  parseMarker,
  parseProbe,
  pickBundledWheel,
  pipProgress,
  pythonCandidates,
  venvLayout,
  wheelVersion,
} from "../src/serverInstall";

const which = (found: Record<string, string>) => (name: string) => found[name];

test("compareVersions orders release numbers numerically", () => {
  // Ensures 0.10 is newer than 0.9 (not a string compare) and trailing zeros do not matter.
  assert.ok(compareVersions("0.10.0", "0.9.1") > 0);
  assert.ok(compareVersions("0.1.0", "0.2.0") < 0);
  assert.equal(compareVersions("1.0", "1.0.0"), 0);
  assert.equal(compareVersions("0.1.0", "0.1.0"), 0);
});

test("compareVersions puts a pre-release or local build before the release", () => {
  // Ensures a changed suffix counts as a different version (so it triggers a reinstall).
  assert.ok(compareVersions("1.0.0rc1", "1.0.0") < 0);
  assert.ok(compareVersions("1.0.0", "1.0.0rc1") > 0);
  assert.ok(compareVersions("1.0.0rc1", "1.0.0rc2") < 0);
  assert.notEqual(compareVersions("0.1.0+g1", "0.1.0+g2"), 0);
});

test("wheel names give the version; the newest bundled wheel is picked", () => {
  // Ensures only glm_lsp wheels count and the highest version wins when several are present.
  assert.equal(wheelVersion("glm_lsp-0.2.0-py3-none-any.whl"), "0.2.0");
  assert.equal(wheelVersion("/x/server/glm_lsp-1.0.0rc1-py3-none-any.whl"), "1.0.0rc1");
  assert.equal(wheelVersion("other-0.2.0-py3-none-any.whl"), undefined);
  assert.equal(wheelVersion("glm_lsp-0.2.0.tar.gz"), undefined);
  assert.equal(
    pickBundledWheel(["README", "glm_lsp-0.9.0-py3-none-any.whl", "glm_lsp-0.10.0-py3-none-any.whl"]),
    "glm_lsp-0.10.0-py3-none-any.whl",
  );
  assert.equal(pickBundledWheel(["README"]), undefined);
});

test("the venv is reinstalled when missing, unmarked or of another version", () => {
  // Ensures the marker decides: same version and a server present means no install; anything
  // else (first run, interrupted install, upgrade or downgrade of the bundled wheel) reinstalls.
  const marker = { version: "0.1.0", wheel: "glm_lsp-0.1.0-py3-none-any.whl", python: "/usr/bin/python3" };
  assert.equal(needsInstall(marker, "0.1.0", true), false);
  assert.equal(needsInstall(marker, "0.2.0", true), true);
  assert.equal(needsInstall({ ...marker, version: "0.3.0" }, "0.2.0", true), true);
  assert.equal(needsInstall(undefined, "0.1.0", true), true);
  assert.equal(needsInstall(marker, "0.1.0", false), true);
});

test("a broken or foreign marker file reads as no marker", () => {
  // Ensures a corrupted marker leads to a reinstall instead of an exception.
  assert.equal(parseMarker(undefined), undefined);
  assert.equal(parseMarker("{not json"), undefined);
  assert.equal(parseMarker('{"version": 1}'), undefined);
  assert.deepEqual(parseMarker('{"version": "0.1.0", "wheel": "w.whl", "python": "/p"}'), { version: "0.1.0", wheel: "w.whl", python: "/p" });
});

test("Python candidates: the Python extension's interpreter, the setting, then PATH", () => {
  // Ensures the discovery order for the venv's interpreter, no duplicates, and that the
  // setting's default "python" does not jump ahead of python3 on PATH.
  const onPath = which({ python3: "/usr/bin/python3", python: "/usr/bin/python", "python3.12": "/opt/bin/python3.12" });
  assert.deepEqual(pythonCandidates({ pythonExtension: "/home/u/.venv/bin/python", defaultInterpreterPath: "/opt/py/bin/python3", which: onPath }), [
    "/home/u/.venv/bin/python",
    "/opt/py/bin/python3",
    "/usr/bin/python3",
    "/usr/bin/python",
  ]);
  assert.deepEqual(pythonCandidates({ defaultInterpreterPath: "python", which: onPath }), ["/usr/bin/python3", "/usr/bin/python"]);
  assert.deepEqual(pythonCandidates({ defaultInterpreterPath: "python3.12", which: onPath }), ["/opt/bin/python3.12", "/usr/bin/python3", "/usr/bin/python"]);
  assert.deepEqual(pythonCandidates({ pythonExtension: "/usr/bin/python3", which: onPath }), ["/usr/bin/python3", "/usr/bin/python"]);
  assert.deepEqual(pythonCandidates({ which: which({}) }), []);
});

test("the probe's answer gives the version and venv support; 3.10 is the minimum", () => {
  // Ensures Python 3.9 is refused, 3.10+ accepted, and junk output means 'does not run'.
  assert.deepEqual(parseProbe("3.11.2 1\n"), { version: [3, 11, 2], canCreateVenv: true });
  assert.deepEqual(parseProbe("3.12.0 0"), { version: [3, 12, 0], canCreateVenv: false });
  assert.equal(parseProbe("Traceback (most recent call last):"), undefined);
  assert.equal(isSupported([3, 9, 18]), false);
  assert.equal(isSupported([3, 10, 0]), true);
  assert.equal(isSupported([3, 13, 1]), true);
  assert.equal(isSupported([2, 7, 18]), false);
  assert.equal(isSupported([4, 0, 0]), true);
});

test("the venv layout per platform", () => {
  // Ensures the server and interpreter paths match what `python -m venv` creates.
  const posix = venvLayout("/g/storage", "linux");
  assert.equal(posix.server, "/g/storage/server-venv/bin/glm-lsp");
  assert.equal(posix.python, "/g/storage/server-venv/bin/python");
  assert.equal(posix.marker, "/g/storage/server-install.json");
  const win = venvLayout("C:\\g\\storage", "win32");
  assert.equal(win.server, "C:\\g\\storage\\server-venv\\Scripts\\glm-lsp.exe");
});

test("pip output becomes short progress lines; errors keep their last lines", () => {
  // Ensures the notification shows what pip is doing and a failure shows its tail.
  assert.equal(pipProgress("Collecting pygls<2.2,>=2.1.1 (from glm-lsp==0.1.0)"), "Collecting pygls<2.2,>=2.1.1");
  assert.equal(pipProgress("  Downloading httpx-0.28.1-py3-none-any.whl (73 kB)"), "Downloading httpx-0.28.1-py3-none-any.whl");
  assert.equal(pipProgress("Installing collected packages: a, b"), "Installing collected packages: a, b");
  assert.equal(pipProgress("     ━━━━━━━━━━━━━━━━ 73.5/73.5 kB"), undefined);
  assert.equal(lastLines("a\n\nb\nc\n  \nd\n", 2), "c\nd");
});
