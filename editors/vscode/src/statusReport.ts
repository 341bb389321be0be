// Formats the `glm.status` result (protocol §4) for the status output channel. Pure.

export interface StatusResult {
  provider?: string;
  model?: string;
  baseUrl?: string;
  keyPresent?: boolean;
  usage?: {
    requests?: number;
    promptTokens?: number;
    completionTokens?: number;
    cachedTokens?: number;
    costUsd?: number;
  };
  nextEdit?: { shown?: number; accepted?: number };
}

export interface ClientFacts {
  serverCommand?: string;
  serverSource?: string;
  state: string;
  stateMessage?: string;
  keyInSecretStorage: boolean;
  extensionVersion: string;
  editorVersion: string;
}

function num(value: number | undefined): string {
  return value === undefined ? "?" : value.toLocaleString("en-US");
}

export function formatStatus(facts: ClientFacts, result: StatusResult | undefined, error?: string): string {
  const lines = [
    `GLM status at ${new Date().toISOString()}`,
    `  extension        ${facts.extensionVersion} (VS Code ${facts.editorVersion})`,
    `  server command   ${facts.serverCommand ?? "(none found)"}${facts.serverSource ? ` [${facts.serverSource}]` : ""}`,
    `  state            ${facts.state}${facts.stateMessage ? ` - ${facts.stateMessage}` : ""}`,
    `  key in VS Code   ${facts.keyInSecretStorage ? "yes (SecretStorage)" : "no"}`,
  ];
  if (error) {
    lines.push(`  glm.status       failed: ${error}`);
  }
  if (result) {
    const u = result.usage ?? {};
    lines.push(
      `  provider         ${result.provider ?? "?"}`,
      `  model            ${result.model ?? "?"}`,
      `  base URL         ${result.baseUrl ?? "?"}`,
      `  key present      ${result.keyPresent === undefined ? "?" : result.keyPresent ? "yes" : "no"}`,
      `  requests         ${num(u.requests)}`,
      `  tokens           ${num(u.promptTokens)} prompt, ${num(u.completionTokens)} completion, ${num(u.cachedTokens)} cached`,
      `  estimated cost   ${u.costUsd === undefined ? "?" : `$${u.costUsd.toFixed(4)}`}`,
    );
    if (result.nextEdit) {
      lines.push(`  next edit        ${num(result.nextEdit.shown)} shown, ${num(result.nextEdit.accepted)} accepted`);
    }
    if (result.keyPresent === false) {
      lines.push("", 'No API key: run "GLM: Set API Key", or set GLM_API_KEY (or the provider\'s own variable).');
    }
  }
  return lines.join("\n");
}
