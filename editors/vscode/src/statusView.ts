// What the status bar item shows for a `glm/status` notification (protocol §5). Pure.

export type ServerState = "starting" | "ready" | "busy" | "error" | "unconfigured" | "stopped";

export interface StatusInput {
  state: ServerState;
  message?: string;
  model?: string;
}

export interface StatusView {
  text: string;
  tooltip: string;
  /** A theme colour id for the item's background, when it must stand out. */
  background?: "statusBarItem.warningBackground" | "statusBarItem.errorBackground";
  /** Accessible label; the e2e suite finds the item through it. */
  ariaLabel: string;
}

const KNOWN: readonly string[] = ["ready", "busy", "error", "unconfigured"];

/** Narrows an untrusted notification payload to a state, or undefined when it is malformed. */
export function parseStatus(params: unknown): { state: ServerState; message?: string } | undefined {
  if (typeof params !== "object" || params === null) {
    return undefined;
  }
  const { state, message } = params as { state?: unknown; message?: unknown };
  if (typeof state !== "string" || !KNOWN.includes(state)) {
    return undefined;
  }
  return {
    state: state as ServerState,
    message: typeof message === "string" && message !== "" ? message : undefined,
  };
}

export function statusView(input: StatusInput): StatusView {
  const model = input.model || "GLM";
  const detail = input.message ? `\n${input.message}` : "";
  const click = "\nClick for status and doctor output.";
  switch (input.state) {
    case "ready":
      return {
        text: `$(sparkle) ${model}`,
        tooltip: `GLM ready: ${model}${detail}${click}`,
        ariaLabel: `GLM ready, ${model}`,
      };
    case "busy":
      return {
        text: `$(loading~spin) ${model}`,
        tooltip: `GLM working: ${model}${detail}${click}`,
        ariaLabel: `GLM busy, ${model}`,
      };
    case "unconfigured":
      return {
        text: "$(warning) GLM: no API key",
        tooltip: `GLM is not configured${detail || "\nno API key"}\nRun "GLM: Set API Key".${click}`,
        background: "statusBarItem.warningBackground",
        ariaLabel: "GLM warning: no API key",
      };
    case "error":
      return {
        text: `$(error) ${model}`,
        tooltip: `GLM error${detail}${click}`,
        background: "statusBarItem.errorBackground",
        ariaLabel: `GLM error${input.message ? `: ${input.message}` : ""}`,
      };
    case "stopped":
      return {
        text: "$(circle-slash) GLM",
        tooltip: `GLM language server is not running${detail}${click}`,
        background: "statusBarItem.errorBackground",
        ariaLabel: "GLM stopped",
      };
    case "starting":
    default:
      return {
        text: `$(loading~spin) GLM`,
        tooltip: `GLM language server starting${detail}`,
        ariaLabel: "GLM starting",
      };
  }
}
