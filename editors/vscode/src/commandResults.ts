// What the extension reads from the answers of the server's commands (protocol §4). Pure.

/**
 * The reason a streamed edit (glm.edit, glm.refactor, glm.fix, glm.docstring, or any edit
 * command a newer server adds) did not apply, read from its answer `{applied: false, reason}`;
 * undefined for any other answer. The answer's shape tells, so the extension keeps no list of
 * the server's edit commands (`glm.chat.apply` answers `applied` as a list of files, and
 * `glm.tests` answers `{uri, reason?}`: neither matches).
 */
export function editRefusal(result: unknown): string | undefined {
  if (typeof result !== "object" || result === null) {
    return undefined;
  }
  const { applied, reason } = result as { applied?: unknown; reason?: unknown };
  return applied === false && typeof reason === "string" ? reason : undefined;
}
