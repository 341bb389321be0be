// Bundles the extension (node, cjs) and the chat webview (browser, iife); `--tests` bundles the
// unit tests for node's test runner instead; `--production` minifies.
import { build } from "esbuild";
import { readdirSync } from "node:fs";

const production = process.argv.includes("--production");
const tests = process.argv.includes("--tests");
const common = { bundle: true, sourcemap: !production, minify: production, logLevel: "warning" };

if (tests) {
  const entryPoints = readdirSync("test").filter((f) => f.endsWith(".test.ts")).map((f) => `test/${f}`);
  await build({ ...common, entryPoints, outdir: "out/test", platform: "node", format: "cjs", target: "node20", packages: "external", sourcemap: true });
} else {
  await Promise.all([
    build({ ...common, entryPoints: ["src/extension.ts"], outfile: "out/extension.js", platform: "node", format: "cjs", target: "node20", external: ["vscode"] }),
    build({ ...common, entryPoints: ["src/webview/main.ts"], outfile: "out/webview.js", platform: "browser", format: "iife", target: "es2022" }),
  ]);
}
