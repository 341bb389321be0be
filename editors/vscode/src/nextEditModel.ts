// Next-edit suggestions, the pure part: which edit of a `glm/nextEdit` answer fits the document,
// whether it is shown as an inline completion (at the cursor) or as a decoration elsewhere, what
// the preview shows, and what Tab does. No `vscode` import, so node's test runner can load it.

export type Pos = { line: number; character: number };
export type Span = { start: Pos; end: Pos };

/** One edit of a `glm/nextEdit` answer (protocol: replace `range` in the document at `version`). */
export type NextEdit = {
  range: Span;
  text: string;
  textDocument: { uri: string; version: number };
  command?: { title?: string; command: string; arguments?: unknown[] };
};

export type Placement = "inline" | "decoration";

function isPos(p: unknown): p is Pos {
  const q = p as Pos | undefined;
  return typeof q?.line === "number" && typeof q?.character === "number" && q.line >= 0 && q.character >= 0;
}

function before(a: Pos, b: Pos): boolean {
  return a.line < b.line || (a.line === b.line && a.character < b.character);
}

/**
 * The first edit of `result` for this document at this version, or undefined: an answer for an
 * older text (the user typed meanwhile) or another document is never shown.
 */
export function pickEdit(result: unknown, uri: string, version: number): NextEdit | undefined {
  const edits = (result as { edits?: unknown } | null | undefined)?.edits;
  if (!Array.isArray(edits)) return undefined;
  for (const raw of edits) {
    const e = raw as NextEdit;
    if (typeof e?.text !== "string" || !e.range || !isPos(e.range.start) || !isPos(e.range.end)) continue;
    if (before(e.range.end, e.range.start)) continue;
    const doc = e.textDocument ?? { uri, version };
    if ((doc.uri !== undefined && doc.uri !== uri) || (doc.version !== undefined && doc.version !== version)) continue;
    return { ...e, textDocument: { uri, version } };
  }
  return undefined;
}

/**
 * Inline (VS Code's ghost text, an item replacing the edit's range) when the edit is on the
 * cursor's line, contains the cursor and keeps what is typed before it (ghost text can only
 * extend the text left of the cursor); a decoration with a preview otherwise.
 * `lineText` is the cursor's line.
 */
export function placement(edit: NextEdit, cursor: Pos, lineText: string): Placement {
  const { start, end } = edit.range;
  if (start.line !== cursor.line || end.line !== cursor.line || edit.text.includes("\n")) return "decoration";
  if (cursor.character < start.character || cursor.character > end.character) return "decoration";
  const typed = lineText.slice(start.character, cursor.character);
  return edit.text.startsWith(typed) && edit.text !== lineText.slice(start.character, end.character)
    ? "inline"
    : "decoration";
}

/** The cursor is on the lines the edit changes: Tab accepts it; elsewhere Tab jumps to it. */
export function tabAction(edit: NextEdit, cursor: Pos): "accept" | "jump" {
  return cursor.line >= edit.range.start.line && cursor.line <= edit.range.end.line ? "accept" : "jump";
}

/**
 * The preview stays while the cursor is between where it was when shown (or jumped to) and
 * the edit; moving beyond drops it (as the Neovim client does).
 */
export function keepsPreview(edit: NextEdit, origin: number, cursorLine: number): boolean {
  const top = Math.min(origin, edit.range.start.line);
  const bottom = Math.max(origin, edit.range.end.line);
  return cursorLine >= top && cursorLine <= bottom;
}

/** The text shown after the replaced range: one line, later lines marked with ⏎. */
export function afterText(text: string, max = 80): string {
  const shown = text.replace(/\r\n?/g, "\n").split("\n").join(" ⏎ ");
  return shown.length > max ? `${shown.slice(0, max - 1)}…` : shown;
}

/** A unified-diff-like preview of the replaced lines (for the hover): `-` old, `+` new. */
export function diffPreview(oldLines: string[], newLines: string[]): string {
  return [...oldLines.map((l) => `- ${l}`), ...newLines.map((l) => `+ ${l}`)].join("\n");
}

/**
 * The lines the document has after the edit over lines `first..last` whose text is
 * `oldLines`, for the hover (the edit's range starts at `start` and ends at `end`).
 */
export function editedLines(oldLines: string[], edit: NextEdit): string[] {
  const first = oldLines[0] ?? "";
  const last = oldLines[oldLines.length - 1] ?? "";
  const joined = first.slice(0, edit.range.start.character) + edit.text.replace(/\r\n?/g, "\n") + last.slice(edit.range.end.character);
  return joined.split("\n");
}

/** Where the cursor goes after accepting: the end of the inserted text. */
export function endAfterAccept(edit: NextEdit): Pos {
  const lines = edit.text.replace(/\r\n?/g, "\n").split("\n");
  const tail = lines[lines.length - 1].length;
  return lines.length === 1
    ? { line: edit.range.start.line, character: edit.range.start.character + tail }
    : { line: edit.range.start.line + lines.length - 1, character: tail };
}

/** The `{id}` argument of the item's `glm.nextEdit.accepted` command, if it carries one. */
export function acceptedArgument(edit: NextEdit): object | undefined {
  const arg = edit.command?.arguments?.[0];
  return edit.command?.command === "glm.nextEdit.accepted" && arg && typeof arg === "object" ? arg : undefined;
}
