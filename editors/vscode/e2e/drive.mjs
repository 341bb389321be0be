// Drives real VS Code (code-server) in Debian's chromium with Playwright for one scenario.
// Usage: node drive.mjs params.json   (written by tests/vscode/harness.py)
// Writes {ok, steps: [{name, ok, t, detail}], error} to params.result and screenshots to params.out.
// Exit code: 0 when every step passed, 1 otherwise.

import { chromium } from "playwright-core";
import fs from "node:fs";

const P = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
const t0 = Date.now();
const R = { scenario: P.scenario, ok: false, steps: [], screenshots: [] };
const secs = () => Number(((Date.now() - t0) / 1000).toFixed(2));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const norm = (s) => (s ?? "").replace(/\u00a0/g, " "); // Monaco renders spaces as NBSP

function step(name, ok, detail) {
  R.steps.push({ name, ok: !!ok, t: secs(), detail });
  console.log(`[${secs().toFixed(2)}s] ${ok ? "ok " : "BAD"} ${name} ${detail === undefined ? "" : JSON.stringify(detail).slice(0, 300)}`);
  if (!ok) throw new Error(`step failed: ${name}`);
}

async function shot(page, name) {
  const path = `${P.out}/${name}.png`;
  await page.screenshot({ path });
  R.screenshots.push(path);
}

/** Polls fn (async) until it returns a truthy value or the timeout passes; returns the last value. */
async function until(fn, timeout = 20000, every = 50) {
  const end = Date.now() + timeout;
  let last;
  while (Date.now() < end) {
    last = await fn().catch(() => undefined);
    if (last) return last;
    await sleep(every);
  }
  return last;
}

// ---------------------------------------------------------------------------------------------
// Workbench helpers

const STATUS_ITEM = '[id$="glm.status"]';

async function statusItem(page) {
  const item = page.locator(STATUS_ITEM).first();
  if ((await item.count()) === 0) return undefined;
  return {
    label: await item.getAttribute("aria-label"),
    text: norm(await item.innerText()),
    warningIcon: (await item.locator(".codicon-warning").count()) > 0,
    spinning: (await item.locator(".codicon-loading, .codicon-modifier-spin").count()) > 0,
    background: await item.evaluate((el) => getComputedStyle(el).backgroundColor),
  };
}

async function waitStatus(page, pattern, timeout = 30000) {
  return until(async () => {
    const s = await statusItem(page);
    return s && pattern.test(s.label ?? "") ? s : undefined;
  }, timeout);
}

async function runCommand(page, title) {
  await page.keyboard.press("F1");
  const input = page.locator(".quick-input-widget input");
  await input.waitFor({ state: "visible", timeout: 10000 });
  await input.fill(`>${title}`);
  const row = page.locator(".quick-input-widget .quick-input-list .monaco-list-row", { hasText: title }).first();
  await row.waitFor({ state: "visible", timeout: 10000 });
  await page.keyboard.press("Enter");
}

async function openFile(page, name) {
  await page.keyboard.press("Control+P");
  const input = page.locator(".quick-input-widget input");
  await input.waitFor({ state: "visible", timeout: 10000 });
  await input.fill(name);
  await page.locator(".quick-input-widget .monaco-list-row", { hasText: name }).first().waitFor({ timeout: 10000 });
  await page.keyboard.press("Enter");
  await page.locator(`.tab[aria-label^="${name}"]`).first().waitFor({ timeout: 10000 });
  await page.locator(".monaco-editor .view-lines").first().waitFor({ timeout: 10000 });
}

async function editorText(page) {
  return norm(await page.locator(".editor-instance .monaco-editor .view-lines").first().innerText());
}

/** Puts the cursor at line:column (1-based) through "Go to Line" (Ctrl+G accepts "l:c"). */
async function gotoPosition(page, line, column) {
  await page.keyboard.press("Control+G");
  const input = page.locator(".quick-input-widget input");
  await input.waitFor({ state: "visible", timeout: 10000 });
  await input.fill(`:${line}:${column}`);
  await page.keyboard.press("Enter");
  await input.waitFor({ state: "hidden", timeout: 10000 });
}

async function waitLanguageServer(page) {
  // The extension reports through the status item; any GLM state but "starting" means running.
  return waitStatus(page, /^GLM (ready|busy|warning|error)/, 40000);
}

function chatFrame(page) {
  return page.frameLocator("iframe.webview.ready").frameLocator("iframe#active-frame");
}

// ---------------------------------------------------------------------------------------------
// Scenarios

const scenarios = {
  /** (d) No key anywhere: the status bar warns; "GLM: Set API Key" clears the warning. */
  async missing_key(page) {
    const warn = await waitStatus(page, /no API key/);
    step("status bar shows the missing-key warning", warn && warn.warningIcon, warn);
    await page.locator(STATUS_ITEM).first().hover();
    await sleep(800); // let the hover tooltip render for the screenshot
    await shot(page, "status_missing_key");
    await page.mouse.move(700, 300);
    await runCommand(page, "GLM: Set API Key");
    const box = page.locator(".quick-input-widget input[type=password]");
    await box.waitFor({ state: "visible", timeout: 10000 });
    await box.fill(P.key);
    await page.keyboard.press("Enter");
    const ready = await waitStatus(page, /^GLM ready/);
    step("after Set API Key the status bar is ready", ready && !ready.warningIcon, ready);
    await shot(page, "status_ready");
  },

  /** (a) Typing shows ghost text from the server; Tab accepts it into the document. */
  async ghost_text(page) {
    await openFile(page, P.file);
    step("language server running", await waitLanguageServer(page), await statusItem(page));
    await gotoPosition(page, P.line, P.column);
    await page.keyboard.type(P.type, { delay: 60 });
    const ghost = await until(async () => {
      const parts = await page.$$eval(".ghost-text-decoration, .ghost-text, .ghost-text-decoration-preview", (els) =>
        els.map((e) => e.textContent).join(""),
      );
      return norm(parts).includes(P.expectGhost) ? norm(parts) : undefined;
    }, 30000);
    step("ghost text shown while typing", ghost, ghost);
    await shot(page, "ghost_text");
    await page.keyboard.press("Tab");
    const accepted = await until(async () => ((await editorText(page)).includes(P.expectLine) ? true : undefined), 10000);
    step("Tab accepted the ghost text", accepted, await editorText(page));
    await shot(page, "ghost_text_accepted");
  },

  /** (b) The "GLM: Refactor" code action rewrites the selection in the document. */
  async refactor(page) {
    await openFile(page, P.file);
    step("language server running", await waitLanguageServer(page), await statusItem(page));
    await gotoPosition(page, P.fromLine, 1);
    for (let i = P.fromLine; i < P.toLine; i++) await page.keyboard.press("Shift+ArrowDown");
    await page.keyboard.press("Shift+End");
    await page.keyboard.press("Control+.");
    const action = page.locator(".action-widget .monaco-list-row", { hasText: "GLM: Refactor" }).first();
    const shown = await action.waitFor({ state: "visible", timeout: 20000 }).then(() => true, () => false);
    const titles = await page.$$eval(".action-widget .monaco-list-row", (els) => els.map((e) => e.textContent));
    step("code action menu lists GLM: Refactor", shown, titles);
    await shot(page, "refactor_menu");
    await action.click();
    const changed = await until(async () => ((await editorText(page)).includes(P.expectText) ? true : undefined), 30000);
    step("the document shows the refactored code", changed, await editorText(page));
    await shot(page, "refactor_applied");
  },

  /** (c) A chat message streams an answer into the panel; the reasoning stays collapsed. */
  async chat(page) {
    await openFile(page, P.file);
    step("language server running", await waitLanguageServer(page), await statusItem(page));
    await runCommand(page, "GLM: Open Chat");
    const frame = chatFrame(page);
    const input = frame.locator("#input");
    await input.waitFor({ state: "visible", timeout: 20000 });
    const chips = await frame.locator(".chip").allInnerTexts();
    step("context chip for the current file", chips.some((c) => c.includes(P.file)), chips);
    await input.fill(P.message);
    await input.press("Enter");
    const seen = [];
    const done = await until(async () => {
      const answer = norm(await frame.locator(".turn .answer").last().innerText());
      if (answer && seen[seen.length - 1] !== answer) seen.push(answer);
      const finished = (await frame.locator(".turn.turn-done").count()) > 0;
      return finished && answer.includes(P.expectAnswer) ? answer : undefined;
    }, 40000, 20);
    step("the answer arrived", done, done);
    const partial = seen.filter((s) => s.length < done.length && done.startsWith(s.slice(0, 10)));
    step("the answer was shown while streaming", partial.length > 0, seen.slice(0, 6));
    const reasoning = frame.locator(".turn details.reasoning").last();
    const info = {
      present: (await reasoning.count()) > 0,
      open: await reasoning.evaluate((d) => d.open).catch(() => undefined),
      summary: await reasoning.locator("summary").innerText().catch(() => undefined),
      text: norm(await reasoning.locator(".reasoning-body").textContent().catch(() => "")),
    };
    step("reasoning is present and collapsed", info.present && info.open === false && info.text.includes(P.expectReasoning), info);
    const codeButtons = await frame.locator(".code-block button").allInnerTexts();
    step("code block has copy and insert buttons", codeButtons.includes("Copy") && codeButtons.includes("Insert"), codeButtons);
    await shot(page, "chat");
    await reasoning.locator("summary").click();
    step("reasoning expands on click", await reasoning.evaluate((d) => d.open), undefined);
    await shot(page, "chat_reasoning_open");
  },
};

// ---------------------------------------------------------------------------------------------

const browser = await chromium.launch({
  executablePath: P.chromium,
  args: [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic", "--disable-default-apps",
  ],
});
const context = await browser.newContext({ viewport: { width: 1400, height: 860 } });
const page = await context.newPage();
const consoleErrors = [];
page.on("console", (m) => {
  if (m.type() === "error") consoleErrors.push(m.text());
});
try {
  const scenario = scenarios[P.scenario];
  if (!scenario) throw new Error(`unknown scenario ${P.scenario}`);
  await page.goto(P.url, { waitUntil: "domcontentloaded" });
  await page.locator(".monaco-workbench").waitFor({ timeout: 60000 });
  await page.locator(".statusbar").waitFor({ timeout: 60000 });
  step("workbench loaded", true);
  await scenario(page);
  R.ok = true;
} catch (error) {
  R.error = String(error?.message ?? error).split("\n")[0];
  await shot(page, "failure").catch(() => {});
  R.statusItem = await statusItem(page).catch(() => undefined);
  R.statusBar = await page.locator(".statusbar").innerText().catch(() => undefined);
} finally {
  R.total = secs();
  fs.writeFileSync(`${P.out}/console_errors.json`, JSON.stringify(consoleErrors, null, 1));
  fs.writeFileSync(P.result, JSON.stringify(R, null, 1));
  await browser.close();
  process.exit(R.ok ? 0 : 1);
}
