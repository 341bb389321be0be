// The chat proposal review scenario for drive.mjs (tests/vscode/test_vscode_chat_proposals.py).
// drive.mjs hands in its helpers (step, shot, until, ...), so this file only adds scenarios.

import fs from "node:fs";
import path from "node:path";

export function proposalScenarios(h) {
  const { step, shot, until, norm, chatFrame, openFile, runCommand, editorText, gotoPosition, waitLanguageServer, statusItem } = h;

  const tab = (page, name) => page.locator(`.tab[aria-label^="${name}"]`).first();

  /** The text of `name`'s editor, shown through its tab. */
  async function bufferOf(page, name) {
    await tab(page, name).click();
    await page.locator(".editor-instance .monaco-editor .view-lines").first().waitFor({ timeout: 10000 });
    return editorText(page);
  }

  /** Waits until `name`'s buffer passes `test`; returns its last text. */
  async function waitBuffer(page, name, test, timeout = 15000) {
    let last = "";
    const ok = await until(async () => {
      last = await bufferOf(page, name);
      return test(last) ? true : undefined;
    }, timeout, 200);
    return { ok: !!ok, text: last };
  }

  /** The card of the chat's last turn that has one: {state, busy, files: {name: {state, text,
   * reason}}, message}, read in one evaluation (the panel redraws a turn as a whole, so reading
   * piece by piece could mix two renders). Never waits for an element. */
  async function cardOf(frame) {
    const cards = frame.locator(".turn .proposal");
    const count = await cards.count();
    if (count === 0) return undefined;
    const card = cards.nth(count - 1);
    const read = await card.evaluate((el) => {
      const files = {};
      for (const row of el.querySelectorAll(".proposal-file")) {
        files[(row.dataset.uri ?? "").split("/").pop()] = {
          state: row.dataset.state,
          text: row.innerText,
          reason: row.querySelector(".proposal-reason")?.innerText ?? "",
        };
      }
      const message = el.querySelector(".proposal-message")?.innerText ?? "";
      return { state: el.dataset.state, busy: el.dataset.busy === "true", files, message };
    });
    for (const f of Object.values(read.files)) {
      f.text = norm(f.text);
      f.reason = norm(f.reason);
    }
    return { ...read, card, message: norm(read.message) };
  }

  const fileButton = (card, name, op) => card.locator(`.proposal-file[data-uri$="/${name}"] button.proposal-${op}`);
  const barButton = (card, op) => card.locator(`.proposal-bar button.proposal-${op}`);

  async function send(page, frame, message) {
    const input = frame.locator("#input");
    await input.waitFor({ state: "visible", timeout: 20000 });
    await input.fill(message);
    await input.press("Enter");
  }

  return {
    /**
     * A turn whose model edits two open files and creates a third ends with a proposal card;
     * Diff, Accept one file, a conflicting user edit then Accept all, Undo; a second turn's
     * proposal rejected with Reject all; a third accepted and undone from the command palette.
     */
    async chat_proposals(page, A) {
      step("language server running", await waitLanguageServer(page), await statusItem(page));
      const ws = A.workspace;
      await openFile(page, A.other);
      await openFile(page, A.file);
      await runCommand(page, "GLM: Open Chat");
      const frame = chatFrame(page);
      await send(page, frame, A.message);

      const first = await until(async () => {
        const c = await cardOf(frame);
        const done = (await frame.locator(".turn.turn-done").count()) > 0;
        return c && done && Object.keys(c.files).length === 3 ? c : undefined;
      }, 60000, 100);
      step("the proposal card lists the three files", first, first && Object.fromEntries(Object.entries(first.files).map(([k, v]) => [k, v.text])));
      step("each file is pending with its kind and counts", first.files[A.file].state === "pending" && /edit/.test(first.files[A.file].text) && /\+1/.test(first.files[A.file].text) && /create/.test(first.files[A.created].text), first.files);
      step("nothing was written yet", (await bufferOf(page, A.file)).includes(A.oldLine) && !fs.existsSync(path.join(ws, A.created)), await editorText(page));
      await shot(page, "proposal_card");

      // Diff opens VS Code's diff editor with the proposed line on the modified side.
      await fileButton(first.card, A.file, "diff").click();
      const modified = await until(async () => {
        const side = page.locator(".monaco-diff-editor .editor.modified .view-lines").first();
        const text = norm(await side.innerText());
        return text.includes(A.newLine) ? text : undefined;
      }, 20000);
      step("Diff opens a diff editor showing the new line", modified, modified);
      const original = norm(await page.locator(".monaco-diff-editor .editor.original .view-lines").first().innerText());
      step("the left side is the file as it is now", original.includes(A.oldLine), original);
      await shot(page, "proposal_diff");
      // Close the diff tab itself ("View: Close Editor" in Quick Open can land on "Close Editor Group").
      const diffTab = page.locator('.tab[aria-label*="proposed edit"]').first();
      step("the diff tab is titled as the proposal's", (await diffTab.count()) > 0, await diffTab.getAttribute("aria-label").catch(() => null));
      await diffTab.locator(".codicon-close").first().click({ force: true });
      await diffTab.waitFor({ state: "detached", timeout: 10000 });

      // Accept one file: only that buffer changes.
      await fileButton(first.card, A.file, "accept").click();
      const accepted = await until(async () => {
        const c = await cardOf(frame);
        return c?.files[A.file].state === "applied" && !c.busy ? c : undefined;
      }, 20000);
      step("Accept marks the file applied", accepted, accepted?.files);
      const afterAccept = await waitBuffer(page, A.file, (t) => t.includes(A.newLine));
      step("Accept changed that buffer", afterAccept.ok, afterAccept.text);
      step("the other files are untouched", accepted.files[A.other].state === "pending" && (await bufferOf(page, A.other)).includes(A.otherOld) && !fs.existsSync(path.join(ws, A.created)), await editorText(page));

      // The user types into the other file during review; Accept all refuses that file.
      await tab(page, A.other).click();
      await gotoPosition(page, 1, 1);
      await page.keyboard.type(A.userText, { delay: 30 });
      const typed = await waitBuffer(page, A.other, (t) => t.startsWith(A.userText.trim()));
      step("the user's edit is in the buffer", typed.ok, typed.text);
      await barButton(accepted.card, "accept").click();
      const all = await until(async () => {
        const c = await cardOf(frame);
        return c && !c.busy && c.files[A.other].state === "refused" ? c : undefined;
      }, 20000);
      step("Accept all refuses the file changed since the proposal", all, (await cardOf(frame))?.files);
      step("the refusal's reason is shown in the card", all.files[A.other].reason.length > 0 && all.files[A.created].state === "applied", all.files);
      const toast = await until(async () => {
        const t = page.locator(".notification-toast", { hasText: "not applied" }).first();
        return (await t.count()) > 0 ? norm(await t.innerText()) : undefined;
      }, 10000);
      step("a warning names the refused file", toast && toast.includes(A.other), toast);
      const kept = await bufferOf(page, A.other);
      step("the user's text is kept and the model's change not written", kept.startsWith(A.userText.trim()) && kept.includes(A.otherOld) && !kept.includes(A.otherNew), kept);
      step("the new file was created", await until(async () => fs.existsSync(path.join(ws, A.created)) || undefined, 10000), undefined);
      await shot(page, "proposal_refused");

      // Undo restores what the turn applied.
      await barButton(all.card, "undo").click();
      const undone = await until(async () => {
        const c = await cardOf(frame);
        return c && !c.busy && c.state === "undone" ? c : undefined;
      }, 20000);
      step("Undo reports the restored files", undone && undone.files[A.file].state === "restored" && undone.files[A.created].state === "restored", undone ?? (await cardOf(frame)));
      const restored = await waitBuffer(page, A.file, (t) => t.includes(A.oldLine) && !t.includes(A.newLine));
      step("Undo restores the accepted file", restored.ok, restored.text);
      step("Undo removes the created file", await until(async () => (!fs.existsSync(path.join(ws, A.created)) ? true : undefined), 10000), undefined);
      step("the user's edit survives the undo", (await bufferOf(page, A.other)).startsWith(A.userText.trim()), await editorText(page));
      await shot(page, "proposal_undone");

      // A second turn's proposal, rejected as a whole.
      await send(page, frame, A.rejectMessage);
      const second = await until(async () => {
        const count = await frame.locator(".turn .proposal").count();
        const c = count >= 2 ? await cardOf(frame) : undefined;
        return c && c.state === "open" ? c : undefined;
      }, 60000, 100);
      step("a second proposal arrives", second, second?.files);
      const before = { file: await bufferOf(page, A.file), other: await bufferOf(page, A.other) };
      await barButton(second.card, "reject").click();
      const rejected = await until(async () => {
        const c = await cardOf(frame);
        return c && c.state === "discarded" ? c : undefined;
      }, 20000);
      step("Reject all discards the proposal", rejected, rejected?.message);
      const after = { file: await bufferOf(page, A.file), other: await bufferOf(page, A.other) };
      step("Reject all leaves the files untouched", after.file === before.file && after.other === before.other, after);
      await shot(page, "proposal_rejected");

      // The palette commands act on the newest proposal waiting for review / applied.
      await send(page, frame, A.paletteMessage);
      const third = await until(async () => {
        const count = await frame.locator(".turn .proposal").count();
        const c = count >= 3 ? await cardOf(frame) : undefined;
        return c && c.state === "open" ? c : undefined;
      }, 60000, 100);
      step("a third proposal arrives", third, third?.files);
      await runCommand(page, "GLM: Accept Proposal");
      const viaPalette = await until(async () => {
        const c = await cardOf(frame);
        return c && !c.busy && c.files[A.other]?.state === "applied" ? c : undefined;
      }, 20000);
      step("GLM: Accept Proposal applies it", viaPalette, (await cardOf(frame))?.files);
      const changed = await waitBuffer(page, A.other, (t) => t.includes(A.paletteLine));
      step("the buffer has the accepted change", changed.ok, changed.text);
      await runCommand(page, "GLM: Undo Last Chat Change");
      const back = await until(async () => {
        const c = await cardOf(frame);
        return c && !c.busy && c.state === "undone" ? c : undefined;
      }, 20000);
      step("GLM: Undo Last Chat Change restores it", back && back.files[A.other].state === "restored", back ?? (await cardOf(frame)));
      const reverted = await waitBuffer(page, A.other, (t) => t.includes(A.otherOld) && !t.includes(A.paletteLine));
      step("the buffer is back to the user's text", reverted.ok && reverted.text.startsWith(A.userText.trim()), reverted.text);
    },

    /**
     * A turn whose model calls get_diagnostics on a JSON file with a syntax error: the server asks
     * the extension (glm/diagnostics), which answers with what VS Code shows; the running turn
     * shows its progress line. Every progress line drawn is recorded by an observer in the panel.
     */
    async chat_progress_diagnostics(page, A) {
      await openFile(page, A.jsonFile);
      const squiggle = await until(async () => ((await page.locator(".editor-instance .squiggly-error").count()) > 0 ? true : undefined), 30000);
      step("VS Code shows the JSON error", squiggle, undefined);
      await runCommand(page, "GLM: Open Chat");
      const frame = chatFrame(page);
      await frame.locator("body").evaluate(() => {
        window.glmSeenProgress = [];
        new MutationObserver(() => {
          for (const el of document.querySelectorAll(".turn-progress")) {
            if (!window.glmSeenProgress.includes(el.textContent)) window.glmSeenProgress.push(el.textContent);
          }
        }).observe(document.body, { childList: true, subtree: true, characterData: true });
      });
      const turnsBefore = await frame.locator(".turn").count();
      await send(page, frame, A.message);
      const done = await until(async () => {
        const turns = frame.locator(".turn");
        if ((await turns.count()) <= turnsBefore) return undefined;
        const last = turns.last();
        const cls = (await last.getAttribute("class")) ?? "";
        return cls.includes("turn-done") ? norm(await last.locator(".answer").innerText()) : undefined;
      }, 60000, 100);
      step("the turn finished", done && done.includes(A.expectAnswer), done);
      const seen = await frame.locator("body").evaluate(() => window.glmSeenProgress);
      step("the progress line showed the step and the tokens against the budget", seen.some((l) => /^step \d+\/8 · [\d.]+k?\/200k tokens/.test(norm(l))), seen);
      step("the progress line showed the diagnostics check", seen.some((l) => norm(l).includes(`checking diagnostics of ${A.jsonFile}`)), seen);
      const gone = (await frame.locator(".turn").last().locator(".turn-progress").count()) === 0;
      step("the progress line is gone once the turn is done", gone, undefined);
      const tool = norm((await frame.locator(".turn").last().locator(".tool-step").allInnerTexts()).join("\n"));
      step("the tool step is listed", tool.includes("get_diagnostics"), tool);
      await shot(page, "chat_diagnostics");
    },

    /**
     * After "Developer: Reload Window" (new extension host and server) the chat's turns get their
     * cards back from glm.chat.proposals, with the stored states, and Diff still works.
     */
    async proposals_after_reload(page, A) {
      await runCommand(page, "Developer: Reload Window");
      await page.locator(".monaco-workbench").waitFor({ timeout: 60000 });
      step("language server running after reload", await waitLanguageServer(page), await statusItem(page));
      await runCommand(page, "GLM: Open Chat");
      const frame = chatFrame(page);
      const option = await until(async () => (await frame.locator("#chat-select option").allInnerTexts()).find((t) => t.includes(A.chatTitle)), 20000);
      step("the chat is listed", option, await frame.locator("#chat-select option").allInnerTexts().catch(() => []));
      await frame.locator("#chat-select").selectOption({ label: option });
      const cards = await until(async () => {
        const all = await frame.locator(".turn .proposal").evaluateAll((els) =>
          els.map((el) => ({
            state: el.dataset.state,
            files: Object.fromEntries(Array.from(el.querySelectorAll(".proposal-file")).map((r) => [(r.dataset.uri ?? "").split("/").pop(), r.dataset.state])),
          })),
        );
        return all.length >= 3 ? all : undefined;
      }, 30000, 200);
      step("the turns have their cards again", cards, cards);
      step("the first card has the stored states", cards[0].files[A.file] === "restored" && cards[0].files[A.created] === "restored" && cards[0].files[A.other] === "pending", cards[0]);
      step("the rejected proposal is shown as discarded", cards[1].state === "discarded", cards[1]);
      await frame.locator(".turn .proposal").first().locator(`.proposal-file[data-uri$="/${A.other}"] button.proposal-diff`).click();
      const modified = await until(async () => {
        const text = norm(await page.locator(".monaco-diff-editor .editor.modified .view-lines").first().innerText());
        return text.includes(A.otherNew) ? text : undefined;
      }, 20000);
      step("Diff shows the stored proposed text", modified, modified);
      await shot(page, "proposals_after_reload");
    },
  };
}
