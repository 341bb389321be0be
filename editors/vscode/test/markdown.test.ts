import { test } from "node:test";
import assert from "node:assert/strict";
import { JSDOM } from "jsdom";
import createDOMPurify, { type WindowLike } from "dompurify";
import { createMarkdown, renderMarkdown, sanitize } from "../src/webview/markdown";

const window = new JSDOM("").window;
const purify = createDOMPurify(window as unknown as WindowLike);
const md = createMarkdown();
const render = (src: string) => renderMarkdown(md, purify, src);
const dom = (html: string) => {
  const div = window.document.createElement("div");
  div.innerHTML = html;
  return div;
};

test("raw HTML from the model is shown as text, never parsed", () => {
  // Ensures a model answer cannot inject elements or handlers into the panel.
  const html = render('Hi <img src=x onerror="alert(1)"> <script>alert(2)</script>');
  const node = dom(html);
  assert.equal(node.querySelector("img"), null);
  assert.equal(node.querySelector("script"), null);
  assert.match(node.textContent ?? "", /<img src=x onerror="alert\(1\)">/);
});

test("javascript: and data: links lose their href", () => {
  // Ensures links can only open http(s) or mail addresses.
  for (const src of ["[x](javascript:alert(1))", "[x](data:text/html;base64,PHNjcmlwdD4=)", "[x](vbscript:msgbox)", "[x](file:///etc/passwd)", "[x](/etc/passwd)"]) {
    const a = dom(render(src)).querySelector("a");
    assert.ok(!a || !a.getAttribute("href") || /^https?:/.test(a.getAttribute("href")!), src);
  }
  const ok = dom(render("[docs](https://example.com/a)")).querySelector("a")!;
  assert.equal(ok.getAttribute("href"), "https://example.com/a");
  assert.equal(ok.getAttribute("rel"), "noopener noreferrer");
});

test("the sanitiser strips handlers, styles and forms even from trusted-looking HTML", () => {
  // Ensures the DOMPurify stage holds on its own (defence in depth behind html:false).
  const clean = sanitize(purify, '<p style="color:red" onclick="x()">a</p><form action="/x"><input></form><iframe src="https://e.com"></iframe><svg><script>1</script></svg>');
  const node = dom(clean);
  assert.equal(node.querySelector("[onclick]"), null);
  assert.equal(node.querySelector("[style]"), null);
  assert.equal(node.querySelector("form, input, iframe, svg, script"), null);
  assert.equal(node.querySelector("p")?.textContent, "a");
});

test("code blocks get copy and insert buttons and keep their text exactly", () => {
  // Ensures the buttons act on the code verbatim, including characters that need escaping.
  const code = 'if a < b && c > "d":\n    return \'<tag>\'\n';
  const node = dom(render("```python\n" + code + "```\n"));
  const block = node.querySelector(".code-block")!;
  assert.ok(block);
  assert.deepEqual(Array.from(block.querySelectorAll("button")).map((b) => b.getAttribute("data-action")), ["copy", "insert"]);
  assert.equal(block.querySelector("code")!.textContent, code);
  assert.equal(block.querySelector("code")!.className, "language-python");
  assert.equal(block.querySelector(".code-lang")!.textContent, "python");
});

test("a fence with a hostile info string cannot break out of its attribute", () => {
  // Ensures the language label is escaped.
  const node = dom(render('```x"><img src=x onerror=alert(1)>\ncode\n```\n'));
  assert.equal(node.querySelector("img"), null);
  assert.equal(node.querySelector("code")!.textContent, "code\n");
});

test("an unfinished stream still renders", () => {
  // Ensures half-received markdown (open fence, open emphasis) renders without throwing.
  const node = dom(render("Here:\n```js\nconst a = 1"));
  assert.equal(node.querySelector("code")!.textContent, "const a = 1");
  assert.match(render("**bold"), /\*\*bold/);
});
