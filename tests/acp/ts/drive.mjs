// Drives `glm-lsp acp` with the TypeScript ACP SDK's client: initialize with fs capabilities,
// session/new in the folder given, one prompt whose turn reads a file and asks to edit it.
// The client allows the write, keeps the written text as an editor buffer, and prints one JSON
// line describing what it saw. Usage: node drive.mjs PYTHON CWD PROMPT
import { spawn } from "node:child_process";
import { readFile } from "node:fs/promises";
import { Readable, Writable } from "node:stream";
import { PROTOCOL_VERSION, client, methods, ndJsonStream } from "@agentclientprotocol/sdk";

const [python, cwd, prompt] = process.argv.slice(2);
const agent = spawn(python, ["-m", "glm_lsp", "acp"], { stdio: ["pipe", "pipe", "inherit"] });
const stream = ndJsonStream(Writable.toWeb(agent.stdin), Readable.toWeb(agent.stdout));

const seen = { updates: [], permissions: [], reads: [], writes: [] };
const buffers = new Map();

const app = client({ name: "glm-lsp-ts-test" })
  .onNotification(methods.client.session.update, ({ params }) => {
    seen.updates.push(params.update);
  })
  .onRequest(methods.client.session.requestPermission, ({ params }) => {
    seen.permissions.push(params.toolCall);
    const allow = params.options.find((o) => o.kind === "allow_once");
    return { outcome: { outcome: "selected", optionId: allow.optionId } };
  })
  .onRequest(methods.client.fs.readTextFile, async ({ params }) => {
    seen.reads.push(params.path);
    const text = buffers.has(params.path) ? buffers.get(params.path) : await readFile(params.path, "utf8");
    return { content: text };
  })
  .onRequest(methods.client.fs.writeTextFile, ({ params }) => {
    seen.writes.push([params.path, params.content]);
    buffers.set(params.path, params.content);
    return {};
  });

const result = await app.connectWith(stream, async (ctx) => {
  const init = await ctx.request(methods.agent.initialize, {
    protocolVersion: PROTOCOL_VERSION,
    clientCapabilities: { fs: { readTextFile: true, writeTextFile: true }, terminal: false },
  });
  const session = await ctx.request(methods.agent.session.new, { cwd, mcpServers: [] });
  const answer = await ctx.request(methods.agent.session.prompt, {
    sessionId: session.sessionId,
    prompt: [{ type: "text", text: prompt }],
  });
  return { agent: init.agentInfo?.name, stopReason: answer.stopReason };
});
agent.stdin.end();
const text = seen.updates
  .filter((u) => u.sessionUpdate === "agent_message_chunk" && u.content.type === "text")
  .map((u) => u.content.text)
  .join("");
const tools = seen.updates
  .filter((u) => u.sessionUpdate === "tool_call")
  .map((u) => ({ id: u.toolCallId, kind: u.kind }));
process.stdout.write(
  JSON.stringify({ ...result, text, tools, permissions: seen.permissions.map((p) => p.toolCallId),
    reads: seen.reads, writes: seen.writes }) + "\n",
);
process.exit(0);
