// Drives real VS Code (code-server) in Debian's chromium with Playwright for one scenario.
// Usage: node drive.mjs params.json   (written by tests/vscode/harness.py)
// params.scenarios is a list of {name, ...}; they run one after another in the same workbench,
// so one code-server start and one language-server start serve them all. Writes
// {ok, scenarios: {name: {ok, steps: [{name, ok, t, detail}], error, screenshots}}} to
// params.result and screenshots to params.out. Exit code: 0 when every scenario passed.

import { chromium } from "playwright-core";
import fs from "node:fs";
import { proposalScenarios } from "./proposals.mjs";

const P = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
const t0 = Date.now();
const R = { ok: false, scenarios: {} };
let S = { steps: [], screenshots: [] }; // the running scenario's result
const secs = () => Number(((Date.now() - t0) / 1000).toFixed(2));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const norm = (s) => (s ?? "").replace(/\u00a0/g, " "); // Monaco renders spaces as NBSP

function step(name, ok, detail) {
  S.steps.push({ name, ok: !!ok, t: secs(), at: Date.now() / 1000, detail });
  console.log(`[${secs().toFixed(2)}s] ${ok ? "ok " : "BAD"} ${name} ${detail === undefined ? "" : JSON.stringify(detail).slice(0, 300)}`);
  if (!ok) throw new Error(`step failed: ${name}`);
}

async function shot(page, name) {
  const path = `${P.out}/${name}.png`;
  await page.screenshot({ path });
  S.screenshots.push(path);
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
  // Quick Open; the Enter can get lost while the workbench is still busy starting, so retry.
  const tab = page.locator(`.tab[aria-label^="${name}"]`).first();
  for (let attempt = 1; attempt <= 3; attempt++) {
    await page.keyboard.press("Control+P");
    const input = page.locator(".quick-input-widget input");
    await input.waitFor({ state: "visible", timeout: 10000 });
    await input.fill(name);
    await page.locator(".quick-input-widget .monaco-list-row", { hasText: name }).first().waitFor({ timeout: 10000 });
    await page.keyboard.press("Enter");
    if (await tab.waitFor({ timeout: 5000 }).then(() => true, () => false)) {
      await page.locator(".editor-instance .monaco-editor .view-lines").first().waitFor({ timeout: 10000 });
      return;
    }
    await page.keyboard.press("Escape");
  }
  throw new Error(`Quick Open did not open ${name}`);
}

/** Chooses the code action titled `title` in the open action widget with the keyboard. */
async function chooseAction(page, title) {
  for (let i = 0; i < 12; i++) {
    const focused = norm(await page.locator(".action-widget .monaco-list-row.focused").first().innerText().catch(() => ""));
    if (focused.includes(title)) {
      await page.keyboard.press("Enter");
      return true;
    }
    await page.keyboard.press("ArrowDown");
  }
  return false;
}

/** The visible document text in line order (Monaco's line elements are not in DOM order). */
async function editorText(page) {
  const lines = await page
    .locator(".editor-instance .monaco-editor .view-lines")
    .first()
    .evaluate((el) =>
      Array.from(el.querySelectorAll(".view-line"))
        .map((line) => [parseFloat(line.style.top) || 0, line.textContent ?? ""])
        .sort((a, b) => a[0] - b[0])
        .map((pair) => pair[1]),
    );
  return norm(lines.join("\n"));
}

/** Puts the cursor at line:column (1-based) through "Go to Line" (Ctrl+G accepts "l:c"). */
async function gotoPosition(page, line, column) {
  // Ctrl+G can reach a webview that still has focus, or meet a widget still closing: retry.
  const input = page.locator(".quick-input-widget input");
  for (let attempt = 1; attempt <= 3; attempt++) {
    await page.keyboard.press("Control+G");
    if (!(await input.waitFor({ state: "visible", timeout: 10000 }).then(() => true, () => false))) continue;
    if (!(await input.fill(`:${line}:${column}`, { timeout: 10000 }).then(() => true, () => false))) {
      await page.keyboard.press("Escape");
      continue;
    }
    await page.keyboard.press("Enter");
    await input.waitFor({ state: "hidden", timeout: 10000 });
    return;
  }
  throw new Error(`Go to Line ${line}:${column} did not open after 3 attempts`);
}

async function waitLanguageServer(page) {
  // The extension reports through the status item; any GLM state but "starting" means running.
  return waitStatus(page, /^GLM (ready|busy|warning|error)/, 40000);
}

/** Types at A.line:A.column of A.file; the ghost text A.expectGhost shows and Tab accepts it. */
async function typeForGhostText(page, A) {
  await openFile(page, A.file);
  await gotoPosition(page, A.line, A.column);
  await page.keyboard.type(A.type, { delay: 60 });
  const ghost = await until(async () => {
    const parts = await page.$$eval(".ghost-text-decoration, .ghost-text, .ghost-text-decoration-preview", (els) =>
      els.map((e) => e.textContent).join(""),
    );
    return norm(parts).includes(A.expectGhost) ? norm(parts) : undefined;
  }, 30000);
  step("ghost text shown while typing", ghost, ghost);
  await shot(page, "ghost_text");
  await page.keyboard.press("Tab");
  const accepted = await until(async () => ((await editorText(page)).trimEnd() === A.expectDocument ? true : undefined), 10000);
  step("Tab accepted the ghost text", accepted, await editorText(page));
  await shot(page, "ghost_text_accepted");
}

/** PIDs of glm-lsp processes whose command line contains `marker` (the session's log path). */
function serverPids(marker) {
  const out = [];
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmd = fs.readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0");
      if (cmd.some((a) => a.endsWith("glm-lsp")) && cmd.includes(marker)) out.push(Number(entry));
    } catch {
      // the process ended meanwhile
    }
  }
  return out;
}

function chatFrame(page) {
  return page.frameLocator("iframe.webview.ready").frameLocator("iframe#active-frame");
}

/** A code block's Insert button puts its code at the editor's cursor (then undone). */
async function insertCode(page, A) {
  const before = await editorText(page);
  await chatFrame(page).locator(".code-block button[data-action=insert]").last().click();
  const inserted = await until(async () => {
    const text = await editorText(page);
    return text.startsWith(A.insertExpect) && text !== before ? text : undefined;
  }, 10000);
  step("Insert put the code block at the cursor", inserted, inserted);
  await shot(page, "chat_insert");
  await page.locator(`.tab[aria-label^="${A.file}"]`).first().click();
  await page.keyboard.press("Control+Z");
  step("undo restores the file", await until(async () => ((await editorText(page)) === before ? true : undefined), 5000), undefined);
}

/** A slow answer stops when the panel's Stop button is pressed; the turn says so. */
async function stopAnswer(page, A) {
  const frame = chatFrame(page);
  const input = frame.locator("#input");
  await input.fill(A.stopMessage);
  await input.press("Enter");
  const started = await until(async () => {
    const text = norm(await frame.locator(".turn .answer").last().innerText());
    return text.length > 0 && (await frame.locator("#stop").isEnabled()) ? text : undefined;
  }, 20000, 20);
  step("the slow answer started streaming", started, started);
  await frame.locator("#stop").click();
  const stopped = await until(async () => {
    const turn = frame.locator(".turn").last();
    const cls = (await turn.getAttribute("class")) ?? "";
    return cls.includes("turn-cancelled") ? norm(await turn.locator(".turn-status").innerText()) : undefined;
  }, 20000);
  step("Stop cancelled the turn", stopped === "Stopped.", stopped);
  step("the Stop button is disabled again", !(await frame.locator("#stop").isEnabled()), undefined);
  await shot(page, "chat_stopped");
}

/** The "GLM: Explain" code action on lines 1-2 opens its answer as a new chat in the panel. */
async function explainIntoChat(page, A) {
  await page.locator(`.tab[aria-label^="${A.file}"]`).first().click();
  await gotoPosition(page, 1, 1);
  await page.keyboard.press("Shift+ArrowDown");
  await page.keyboard.press("Shift+End");
  await page.keyboard.press("Control+.");
  await page.locator(".action-widget").first().waitFor({ state: "visible", timeout: 20000 });
  step("GLM: Explain chosen from the code actions", await chooseAction(page, "GLM: Explain"), undefined);
  const frame = chatFrame(page);
  const answer = await until(async () => {
    const turn = frame.locator(".turn").last();
    const user = norm(await turn.locator(".user-message").innerText());
    const text = norm(await turn.locator(".answer").innerText());
    const done = (await frame.locator(".turn.turn-done").count()) > 0;
    return done && user.startsWith("Explain") && text.includes(A.explainExpect) ? { user, text } : undefined;
  }, 30000);
  step("the explanation streamed into a new chat in the panel", answer, answer);
  const chats = await frame.locator("#chat-select option").allInnerTexts();
  step("the chat list has both chats", chats.length >= 3, chats);
  await shot(page, "explain");
}

/** The next-edit state the extension writes for tests (GLM_E2E_NEXT_EDIT_STATE). */
function nextEditState(A) {
  try {
    return JSON.parse(fs.readFileSync(A.stateFile, "utf8"));
  } catch {
    return undefined;
  }
}

/** What the editor draws for the next-edit preview: struck-through text and `after` texts. */
async function nextEditPreview(page) {
  return page.locator(".editor-instance .monaco-editor .view-lines").first().evaluate((root) => {
    const struck = [];
    const after = [];
    for (const el of root.querySelectorAll("span")) {
      if (getComputedStyle(el).textDecorationLine.includes("line-through")) struck.push(el.textContent);
      const content = getComputedStyle(el, "::after").content;
      if (content && content !== "none" && content !== "normal") after.push(content.replace(/^"|"$/g, ""));
    }
    const icons = Array.from(document.querySelectorAll(".monaco-editor .margin-view-overlays .cgmr, .monaco-editor .glyph-margin-widgets .cgmr"));
    return { struck, after, gutter: icons.map((el) => getComputedStyle(el).backgroundImage).filter((b) => b.includes("next-edit.svg")).length };
  });
}

/** The cursor from the status bar ("Ln 3, Col 14"), 1-based. */
async function cursorLabel(page) {
  return norm(await page.locator('[id="status.editor.selection"]').first().innerText()).trim();
}

/** Selects `length` characters from line:column (1-based) and types `text` over them. */
async function replaceAt(page, line, column, length, text) {
  await gotoPosition(page, line, column);
  for (let i = 0; i < length; i++) await page.keyboard.press("Shift+ArrowRight");
  await page.keyboard.type(text, { delay: 60 });
}

/** Waits until the extension shows a suggestion whose text is `text`; returns the state. */
async function waitSuggestion(A, text, timeout = 30000) {
  return until(async () => {
    const s = nextEditState(A);
    return s?.visible && s.edit?.text === text ? s : undefined;
  }, timeout);
}

const lineOf = async (page, n) => (await editorText(page)).split("\n")[n - 1];

// ---------------------------------------------------------------------------------------------
// Scenarios

const scenarios = {

  /** (d) No key anywhere: the status bar warns; "GLM: Set API Key" clears the warning. */
  async missing_key(page, A) {
    const warn = await waitStatus(page, /no API key/);
    step("status bar shows the missing-key warning", warn && warn.warningIcon, warn);
    await page.locator(STATUS_ITEM).first().hover();
    await sleep(800); // let the hover tooltip render for the screenshot
    await shot(page, "status_missing_key");
    await page.mouse.move(700, 300);
    await runCommand(page, "GLM: Set API Key");
    const box = page.locator(".quick-input-widget input[type=password]");
    await box.waitFor({ state: "visible", timeout: 10000 });
    await box.fill(A.key);
    await page.keyboard.press("Enter");
    const ready = await waitStatus(page, /^GLM ready/);
    step("after Set API Key the status bar is ready", ready && !ready.warningIcon, ready);
    await shot(page, "status_ready");
    await page.locator(STATUS_ITEM).first().click();
    const report = await until(async () => {
      const text = norm(await page.locator(".part.panel .monaco-editor .view-lines").first().innerText());
      return /key present\s+yes/.test(text) ? text : undefined;
    }, 20000);
    step("clicking the item shows the glm.status report", report, report);
    await shot(page, "status_output");
    await runCommand(page, "View: Hide Panel");
  },

  /** (a) Typing shows ghost text from the server; Tab accepts it into the document. */
  async ghost_text(page, A) {
    step("language server running", await waitLanguageServer(page), await statusItem(page));
    await typeForGhostText(page, A);
  },

  /**
   * First start from a fresh profile with no glm-lsp anywhere: the extension installs its bundled
   * server (progress notification), the key is set with "GLM: Set API Key" meanwhile, as the
   * README says, and typing shows ghost text. `expectInstall: false`: the same steps with a
   * server already installed (the bench's baseline).
   */
  async first_run(page, A) {
    const progress = page.locator(".notification-toast", { hasText: "installing the language server" }).first();
    step("the extension is active (status item shown)", await until(() => statusItem(page), 60000), undefined);
    if (A.expectInstall !== false) {
      const shown = await progress.waitFor({ state: "visible", timeout: 60000 }).then(() => true, () => false);
      step("a notification shows the server install in progress", shown, shown ? norm(await progress.innerText()) : undefined);
      await shot(page, "first_run_installing");
    }
    await runCommand(page, "GLM: Set API Key");
    const box = page.locator(".quick-input-widget input[type=password]");
    await box.waitFor({ state: "visible", timeout: 10000 });
    await box.fill(A.key);
    await page.keyboard.press("Enter");
    const ready = await waitStatus(page, /^GLM ready/, A.installTimeoutMs ?? 300000);
    step("the installed server runs and the status bar is ready", ready && !ready.warningIcon, ready ?? (await statusItem(page)));
    const gone = await progress.waitFor({ state: "hidden", timeout: 20000 }).then(() => true, () => false);
    step("the progress notification is gone", gone, undefined);
    await typeForGhostText(page, A);
  },

  /** No Python on PATH and no glm-lsp: one error notification says what to do. */
  async no_python(page, A) {
    const toast = page.locator(".notification-toast", { hasText: A.expectError }).first();
    const shown = await toast.waitFor({ state: "visible", timeout: 60000 }).then(() => true, () => false);
    const text = shown ? norm(await toast.innerText()) : undefined;
    step("an error notification explains the missing Python", shown, text);
    const buttons = shown ? await toast.locator(".monaco-button").allInnerTexts() : [];
    step("it offers Get Python and Open Settings", buttons.includes("Get Python") && buttons.includes("Open Settings"), buttons);
    await shot(page, "no_python");
    const errors = await page.locator(".notification-toast .codicon-error").count();
    step("exactly one error notification", errors === 1, errors);
    const item = await statusItem(page);
    step("the status bar does not claim the server is ready", item && !/^GLM ready/.test(item.label ?? ""), item);
    S.notification = text;
  },

  /** (b) The "GLM: Refactor" code action rewrites the selection in the document. */
  async refactor(page, A) {
    step("language server running", await waitLanguageServer(page), await statusItem(page));
    await openFile(page, A.file);
    await gotoPosition(page, A.fromLine, 1);
    for (let i = A.fromLine; i < A.toLine; i++) await page.keyboard.press("Shift+ArrowDown");
    await page.keyboard.press("Shift+End");
    await page.keyboard.press("Control+.");
    const action = page.locator(".action-widget .monaco-list-row", { hasText: "GLM: Refactor" }).first();
    const shown = await action.waitFor({ state: "visible", timeout: 20000 }).then(() => true, () => false);
    const titles = await page.$$eval(".action-widget .monaco-list-row", (els) => els.map((e) => e.textContent));
    step("code action menu lists GLM: Refactor", shown, titles);
    await shot(page, "refactor_menu");
    step("GLM: Refactor chosen", await chooseAction(page, "GLM: Refactor"), undefined);
    const changed = await until(async () => ((await editorText(page)).trimEnd() === A.expectDocument ? true : undefined), 30000);
    step("the document shows the refactored code", changed, await editorText(page));
    step("the edit finished", await waitStatus(page, /^GLM ready/), await statusItem(page));
    await shot(page, "refactor_applied");
  },

  /** "GLM: Edit Selection…": the instruction from the input box rewrites the selection. */
  async edit_selection(page, A) {
    step("language server running", await waitLanguageServer(page), await statusItem(page));
    await openFile(page, A.file);
    await gotoPosition(page, A.fromLine, 1);
    for (let i = A.fromLine; i < A.toLine; i++) await page.keyboard.press("Shift+ArrowDown");
    await page.keyboard.press("Shift+End");
    await runCommand(page, "GLM: Edit Selection…");
    const box = page.locator(".quick-input-widget input");
    await box.waitFor({ state: "visible", timeout: 10000 });
    await box.fill(A.instruction);
    await page.keyboard.press("Enter");
    const changed = await until(async () => ((await editorText(page)).trimEnd() === A.expectDocument ? true : undefined), 30000);
    step("the document shows the edited code", changed, await editorText(page));
    step("the edit finished", await waitStatus(page, /^GLM ready/), await statusItem(page));
    await shot(page, "edit_selection");
  },

  /** Killing glm-lsp: the extension says so, restarts it, and the key still works. */
  async crash_restart(page, A) {
    const pids = serverPids(A.serverMarker);
    step("one glm-lsp process runs", pids.length === 1, pids);
    process.kill(pids[0], "SIGKILL");
    const toast = page.locator(".notification-toast", { hasText: "stopped unexpectedly" }).first();
    const shown = await toast.waitFor({ state: "visible", timeout: 20000 }).then(() => true, () => false);
    step("a message says the server stopped and restarts", shown, shown ? norm(await toast.innerText()) : undefined);
    await shot(page, "crash_restart");
    const again = await until(async () => {
      const now = serverPids(A.serverMarker);
      return now.length === 1 && now[0] !== pids[0] ? now : undefined;
    }, 30000);
    step("a new glm-lsp process was started", again, again);
    step("the status bar is ready again (key kept)", await waitStatus(page, /^GLM ready/), await statusItem(page));
  },

  /** After a window reload (fresh extension host and server) the chats come back from the server. */
  async history(page, A) {
    await runCommand(page, "Developer: Reload Window");
    await page.waitForTimeout(1000);
    await page.locator(".monaco-workbench").waitFor({ timeout: 60000 });
    step("language server running after reload", await waitLanguageServer(page), await statusItem(page));
    await runCommand(page, "GLM: Open Chat");
    const frame = chatFrame(page);
    const option = await until(async () => {
      const texts = await frame.locator("#chat-select option").allInnerTexts();
      return texts.find((t) => t.includes(A.chatTitle));
    }, 20000);
    step("the chat list came from the server", option, await frame.locator("#chat-select option").allInnerTexts().catch(() => []));
    await frame.locator("#chat-select").selectOption({ label: option });
    const loaded = await until(async () => {
      const users = await frame.locator(".turn .user-message").allInnerTexts();
      const answers = await frame.locator(".turn .answer").allInnerTexts();
      return users.some((u) => u.includes(A.chatTitle)) && answers.some((a) => norm(a).includes(A.expectAnswer))
        ? { users, answers: answers.map(norm) }
        : undefined;
    }, 20000);
    step("its history shows the earlier turns", loaded, loaded);
    const reasoning = frame.locator(".turn details.reasoning").first();
    step("the stored reasoning is collapsed", (await reasoning.count()) > 0 && !(await reasoning.evaluate((d) => d.open)), undefined);
    await shot(page, "chat_history");
  },

  /**
   * Next-edit: renaming a parameter previews the rename at its use (decorations); Tab jumps to
   * it, Tab again applies it; Escape dismisses the next one; an edit by hand drops the preview.
   */
  async next_edit(page, A) {
    step("language server running", await waitLanguageServer(page), await statusItem(page));
    await openFile(page, A.file);
    const original = await editorText(page);
    await replaceAt(page, 1, 11, 4, "length");
    const typedAt = Date.now();
    const shown = await waitSuggestion(A, "length");
    S.msToPreview = Date.now() - typedAt; // a figure for reports (polled every 50 ms), not asserted
    step("the rename's use is suggested as a decoration", shown?.kind === "decoration" && shown.edit.range.start.line === 2, shown);
    const preview = await until(async () => {
      const p = await nextEditPreview(page);
      return p.struck.join("") === "size" && p.after.includes("length") ? p : undefined;
    }, 10000);
    step("the old name is struck through, the new one drawn after it, a gutter icon shown", preview && preview.gutter > 0, preview ?? (await nextEditPreview(page)));
    step("the document is unchanged by the preview", (await lineOf(page, 3)) === "    result = size * factor", await editorText(page));
    await shot(page, "next_edit_preview");
    const before = await cursorLabel(page);
    await page.keyboard.press("Tab");
    const jumped = await until(async () => ((await cursorLabel(page)) === "Ln 3, Col 14" ? true : undefined), 10000);
    step("Tab moves the cursor to the suggestion", jumped, { before, after: await cursorLabel(page) });
    step("the preview stays after the jump", nextEditState(A)?.visible && (await lineOf(page, 3)) === "    result = size * factor", nextEditState(A));
    await page.keyboard.press("Tab");
    const accepted = await until(async () => ((await lineOf(page, 3)) === "    result = length * factor" ? true : undefined), 10000);
    step("Tab again applies the rename at the use", accepted, await editorText(page));
    step("nothing else changed", (await editorText(page)) === original.replace("size, factor", "length, factor").replace("size * factor", "length * factor"), await editorText(page));
    step("the cursor is after the inserted text", (await cursorLabel(page)) === "Ln 3, Col 20", await cursorLabel(page));
    const gone = await until(async () => ((await nextEditPreview(page)).struck.length === 0 ? true : undefined), 5000);
    step("the preview is gone after accepting", gone, await nextEditPreview(page));
    await shot(page, "next_edit_accepted");

    await replaceAt(page, 1, 19, 6, "k");
    const second = await waitSuggestion(A, "k");
    step("a second rename is suggested", second, second);
    const textBefore = await editorText(page);
    await page.keyboard.press("Escape");
    const dismissed = await until(async () => (nextEditState(A)?.visible === false && (await nextEditPreview(page)).struck.length === 0 ? true : undefined), 5000);
    step("Escape dismisses it", dismissed, nextEditState(A));
    step("the document is unchanged by Escape", (await editorText(page)) === textBefore, await editorText(page));

    await replaceAt(page, 1, 19, 1, "n");
    const third = await waitSuggestion(A, "n");
    step("a third rename is suggested", third, third);
    await replaceAt(page, 3, 23, 6, "n");
    const dropped = await until(async () => (nextEditState(A)?.visible === false ? nextEditState(A) : undefined), 5000);
    step("an edit by hand drops the suggestion", dropped, nextEditState(A));
    await sleep(1500); // the request for the new text is answered meanwhile (with nothing to change)
    step("no stale suggestion comes back", nextEditState(A)?.visible === false && (await nextEditPreview(page)).struck.length === 0, nextEditState(A));
    step("the hand edit is the only change", (await lineOf(page, 3)) === "    result = length * n", await editorText(page));
    await shot(page, "next_edit_dropped");
    await runCommand(page, "GLM: Show Status");
    const report = await until(async () => {
      const text = norm(await page.locator(".part.panel .monaco-editor .view-lines").first().innerText());
      return /next edit\s+\d+ shown, 1 accepted/.test(text) ? text.match(/next edit.*/)[0] : undefined;
    }, 20000);
    step("glm.status counts the accepted suggestion", report, report);
    await runCommand(page, "View: Hide Panel");
  },

  /** A Tab typed right after a change never applies the suggestion made for the text before it. */
  async next_edit_stale(page, A) {
    await openFile(page, A.file);
    await replaceAt(page, 1, 11, 4, "length");
    const shown = await waitSuggestion(A, "length");
    step("the rename's use is suggested", shown, shown);
    await page.keyboard.press("End");
    await page.keyboard.type("#");
    await page.keyboard.press("Tab");
    const typed = await until(async () => {
      const header = await lineOf(page, 1);
      return header.startsWith("def scale(length, factor):#") && header.length > 27 ? header : undefined;
    }, 10000);
    step("the Tab went into the text", typed, await editorText(page));
    step("the old suggestion was not applied", (await lineOf(page, 3)) === "    result = size * factor", await editorText(page));
  },

  /**
   * Next-edit at the cursor: the suggestion is VS Code's own ghost text (an inline completion
   * replacing the edit's range); Tab accepts it and the server counts the accept.
   */
  async next_edit_inline(page, A) {
    await openFile(page, A.file);
    await gotoPosition(page, A.line, A.column);
    await page.keyboard.type(A.type, { delay: 60 });
    const shown = await waitSuggestion(A, A.expectText);
    step("the edit at the cursor is offered inline", shown?.kind === "inline", shown);
    const ghost = await until(async () => {
      const parts = await page.$$eval(".ghost-text-decoration, .ghost-text, .ghost-text-decoration-preview", (els) =>
        els.map((e) => e.textContent).join(""),
      );
      return norm(parts).includes(A.expectGhost) ? norm(parts) : undefined;
    }, 20000);
    step("VS Code draws it as ghost text", ghost, ghost);
    step("no decoration preview for it", (await nextEditPreview(page)).struck.length === 0, await nextEditPreview(page));
    await shot(page, "next_edit_inline");
    await page.keyboard.press("Tab");
    const accepted = await until(async () => ((await lineOf(page, A.line)) === A.expectLine ? true : undefined), 10000);
    step("Tab accepts it", accepted, await editorText(page));
    await runCommand(page, "GLM: Show Status");
    const report = await until(async () => {
      const text = norm(await page.locator(".part.panel .monaco-editor .view-lines").first().innerText());
      return /next edit\s+\d+ shown, 2 accepted/.test(text) ? text.match(/next edit.*/)[0] : undefined;
    }, 20000);
    step("glm.status counts the inline accept too", report, report);
    await runCommand(page, "View: Hide Panel");
  },

  /** (c) A chat message streams an answer into the panel; the reasoning stays collapsed. */
  async chat(page, A) {
    step("language server running", await waitLanguageServer(page), await statusItem(page));
    await openFile(page, A.file);
    await runCommand(page, "GLM: Open Chat");
    const frame = chatFrame(page);
    const input = frame.locator("#input");
    await input.waitFor({ state: "visible", timeout: 20000 });
    const chips = await frame.locator(".chip").allInnerTexts();
    step("context chip for the current file", chips.some((c) => c.includes(A.file)), chips);
    await input.fill(A.message);
    await input.press("Enter");
    const seen = [];
    const done = await until(async () => {
      const answer = norm(await frame.locator(".turn .answer").last().innerText());
      if (answer && seen[seen.length - 1] !== answer) seen.push(answer);
      const finished = (await frame.locator(".turn.turn-done").count()) > 0;
      return finished && answer.includes(A.expectAnswer) ? answer : undefined;
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
    step("reasoning is present and collapsed", info.present && info.open === false && info.text.includes(A.expectReasoning), info);
    const codeButtons = await frame.locator(".code-block button").allInnerTexts();
    step("code block has copy and insert buttons", codeButtons.includes("Copy") && codeButtons.includes("Insert"), codeButtons);
    await shot(page, "chat");
    await reasoning.locator("summary").click();
    step("reasoning expands on click", await reasoning.evaluate((d) => d.open), undefined);
    await shot(page, "chat_reasoning_open");
    if (A.insertExpect) await insertCode(page, A);
    if (A.stopMessage) await stopAnswer(page, A);
    if (A.explainExpect) await explainIntoChat(page, A);
  },
};

Object.assign(
  scenarios,
  proposalScenarios({ step, shot, until, norm, chatFrame, openFile, runCommand, editorText, gotoPosition, waitLanguageServer, statusItem }),
);

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
let workbench = false;
try {
  await page.goto(P.url, { waitUntil: "domcontentloaded" });
  await page.locator(".monaco-workbench").waitFor({ timeout: 60000 });
  await page.locator(".statusbar").waitFor({ timeout: 60000 });
  workbench = true;
  console.log(`[${secs().toFixed(2)}s] workbench loaded`);
} catch (error) {
  R.error = `workbench did not load: ${String(error?.message ?? error).split("\n")[0]}`;
  await page.screenshot({ path: `${P.out}/failure_workbench.png` }).catch(() => {});
}
for (const A of workbench ? P.scenarios : []) {
  S = { ok: false, steps: [], screenshots: [], started: secs() };
  R.scenarios[A.name] = S;
  try {
    const scenario = scenarios[A.name];
    if (!scenario) throw new Error(`unknown scenario ${A.name}`);
    await scenario(page, A);
    S.ok = true;
  } catch (error) {
    S.error = String(error?.message ?? error).split("\n")[0];
    await shot(page, `failure_${A.name}`).catch(() => {});
    S.statusItem = await statusItem(page).catch(() => undefined);
    S.statusBar = await page.locator(".statusbar").innerText().catch(() => undefined);
    // Leave the workbench usable for the next scenario.
    for (let i = 0; i < 3; i++) await page.keyboard.press("Escape").catch(() => {});
  }
  S.finished = secs();
}
R.ok = workbench && P.scenarios.every((A) => R.scenarios[A.name]?.ok);
R.total = secs();
fs.writeFileSync(`${P.out}/console_errors.json`, JSON.stringify(consoleErrors, null, 1));
fs.writeFileSync(P.result, JSON.stringify(R, null, 1));
await browser.close();
process.exit(R.ok ? 0 : 1);
