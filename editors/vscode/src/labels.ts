// Human labels for ranges ("3-7"), shared by commands and the chat. Pure.

export type LineRange = {
  start: { line: number; character?: number };
  end: { line: number; character?: number };
};

/** 1-based "first-last" lines of a range; a range ending at column 0 ends on the line before. */
export function lineSpan(range: LineRange): string {
  const first = range.start.line + 1;
  const endsAtLineStart = range.end.character === 0 && range.end.line > range.start.line;
  const last = range.end.line + (endsAtLineStart ? 0 : 1);
  return first === last ? `${first}` : `${first}-${last}`;
}
