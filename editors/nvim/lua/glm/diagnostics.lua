-- `glm/diagnostics` (server -> client request): the diagnostics Neovim shows for some files,
-- from every source (all language servers, linters), as LSP Diagnostics in glm-lsp's position
-- encoding. The chat's agent loop reads them after editing a file. Advertised by
-- `capabilities.experimental.glmDiagnostics` (init.lua).
local glsp = require('glm.lsp')

local M = {}


local function position(bufnr, row, col, encoding)
  row = math.max(row or 0, 0)
  return { line = row, character = glsp.lsp_char(bufnr, row, math.max(col or 0, 0), encoding) }
end

---One vim.diagnostic item as an LSP Diagnostic (0-based lines, characters in `encoding`).
function M.to_lsp(bufnr, d, encoding)
  local end_row = d.end_lnum or d.lnum
  local end_col = d.end_col or d.col
  if end_row < d.lnum or (end_row == d.lnum and end_col < d.col) then
    end_row, end_col = d.lnum, d.col
  end
  local out = {
    range = {
      start = position(bufnr, d.lnum, d.col, encoding),
      ['end'] = position(bufnr, end_row, end_col, encoding),
    },
    -- vim.diagnostic.severity and LSP DiagnosticSeverity share the numbers 1..4
    severity = tonumber(d.severity) or vim.diagnostic.severity.ERROR,
    message = tostring(d.message or ''),
  }
  if d.source then
    out.source = tostring(d.source)
  end
  if type(d.code) == 'string' or type(d.code) == 'number' then
    out.code = d.code
  end
  local lsp = type(d.user_data) == 'table' and d.user_data.lsp
  if type(lsp) == 'table' and type(lsp.tags) == 'table' then
    out.tags = lsp.tags
  end
  return out
end

---The diagnostics of one file URI: empty when no loaded buffer holds it.
function M.of_uri(uri, encoding)
  local bufnr = glsp.buffer_of(uri)
  if not bufnr then
    return {}
  end
  local out = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    out[#out + 1] = M.to_lsp(bufnr, d, encoding)
  end
  return out
end

---Handler of the `glm/diagnostics` request: `{uris}` -> `{items: [{uri, diagnostics}]}`.
function M.on_request(_, params, ctx)
  local client = ctx and vim.lsp.get_client_by_id(ctx.client_id)
  local encoding = client and client.offset_encoding or 'utf-16'
  local items = {}
  local uris = type(params) == 'table' and params.uris
  for _, uri in ipairs(type(uris) == 'table' and uris or {}) do
    if type(uri) == 'string' then
      items[#items + 1] = { uri = uri, diagnostics = M.of_uri(uri, encoding) } -- {} encodes as []
    end
  end
  return { items = items }
end

return M
