// Builds the glm-lsp server wheel from the repository root into server/, where the .vsix picks it
// up (see .vscodeignore); the extension installs it into a private venv on first start.
// Uses the repository's scripts/build-wheel.sh (python -m build; it prints the wheel's path)
// when it exists and works, else `pip wheel --no-deps` (the same PEP 517 build).
// $PYTHON picks the interpreter (default python3).
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ext = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const root = path.resolve(ext, "..", "..");
const out = path.join(ext, "server");
const python = process.env.PYTHON || "python3";

fs.rmSync(out, { recursive: true, force: true });
fs.mkdirSync(out, { recursive: true });
const build = fs.mkdtempSync(path.join(fs.realpathSync(process.env.TMPDIR || "/tmp"), "glm-wheel-"));
try {
  const script = path.join(root, "scripts", "build-wheel.sh");
  let built = false;
  if (fs.existsSync(script)) {
    try {
      execFileSync("bash", [script, build], { cwd: root, stdio: ["ignore", "pipe", "inherit"] });
      built = true;
    } catch {
      console.error("scripts/build-wheel.sh failed (no `build` module?); falling back to pip wheel");
    }
  }
  if (!built) {
    execFileSync(python, ["-m", "pip", "wheel", "--no-deps", "--disable-pip-version-check", "-q", root, "-w", build], {
      cwd: root,
      stdio: ["ignore", "inherit", "inherit"],
    });
  }
  const wheels = fs.readdirSync(build).filter((f) => /^glm_lsp-.+\.whl$/.test(f));
  if (wheels.length !== 1) {
    throw new Error(`expected one glm_lsp wheel in ${build}, found: ${fs.readdirSync(build).join(", ") || "nothing"}`);
  }
  fs.copyFileSync(path.join(build, wheels[0]), path.join(out, wheels[0]));
  console.log(`bundled ${wheels[0]} into server/`);
} finally {
  fs.rmSync(build, { recursive: true, force: true });
}
