// Markdown for the chat panel: markdown-it with raw HTML off, code blocks with copy/insert
// buttons, then DOMPurify over the result. The purifier is passed in so that unit tests can use
// jsdom's window and the webview its own.

import MarkdownIt from "markdown-it";
import type { Config, DOMPurify } from "dompurify";

export const PURIFY_CONFIG: Config = {
  USE_PROFILES: { html: true },
  FORBID_TAGS: ["style", "form", "input", "textarea", "select", "iframe", "object", "embed", "svg", "math"],
  FORBID_ATTR: ["style", "srcset", "action", "formaction"],
  ALLOW_DATA_ATTR: true,
};

const SAFE_HREF = /^(?:https?:|mailto:|#)/i;
const SAFE_SRC = /^(?:https:|data:image\/(?:png|gif|jpeg|webp);)/i;
const configured = new WeakSet<DOMPurify>();

/** Adds the panel's link policy to a DOMPurify instance (once): links only to http(s)/mail. */
export function configurePurify(purify: DOMPurify): DOMPurify {
  if (!configured.has(purify)) {
    purify.addHook("afterSanitizeAttributes", (node) => {
      const href = node.getAttribute("href");
      if (href !== null && !SAFE_HREF.test(href.trim())) node.removeAttribute("href");
      const src = node.getAttribute("src");
      if (src !== null && !SAFE_SRC.test(src.trim())) node.removeAttribute("src");
    });
    configured.add(purify);
  }
  return purify;
}

function escapeHtml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

export function createMarkdown(): MarkdownIt {
  const md = new MarkdownIt({ html: false, linkify: true, breaks: false });
  md.renderer.rules.fence = (tokens, idx) => {
    const token = tokens[idx];
    const lang = (token.info || "").trim().split(/\s+/)[0] ?? "";
    const cls = lang ? ` class="language-${escapeHtml(lang)}"` : "";
    const label = lang ? `<span class="code-lang">${escapeHtml(lang)}</span>` : "<span class=\"code-lang\"></span>";
    return (
      `<div class="code-block">` +
      `<div class="code-toolbar">${label}` +
      `<button type="button" class="code-button" data-action="copy" title="Copy code">Copy</button>` +
      `<button type="button" class="code-button" data-action="insert" title="Insert at cursor">Insert</button>` +
      `</div><pre><code${cls}>${escapeHtml(token.content)}</code></pre></div>\n`
    );
  };
  const defaultLink =
    md.renderer.rules.link_open ?? ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));
  md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
    tokens[idx].attrSet("rel", "noopener noreferrer");
    return defaultLink(tokens, idx, options, env, self);
  };
  return md;
}

/** Sanitises HTML with the given DOMPurify instance and the panel's policy. */
export function sanitize(purify: DOMPurify, html: string): string {
  return configurePurify(purify).sanitize(html, { ...PURIFY_CONFIG, RETURN_TRUSTED_TYPE: false }) as string;
}

/** Renders untrusted model markdown to sanitised HTML. */
export function renderMarkdown(md: MarkdownIt, purify: DOMPurify, source: string): string {
  return sanitize(purify, md.render(source));
}
