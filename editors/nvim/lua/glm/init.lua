-- glm-lsp for Neovim 0.11+: starts the server through vim.lsp.config / vim.lsp.enable.
-- All model logic lives in the server; this file only wires it into Neovim.
local M = {}

M.defaults = {
  -- command that starts the server; falls back to `python3 -m glm_lsp` when glm-lsp is not on PATH
  cmd = nil,
  -- filetypes to attach to; nil attaches to every buffer with a file
  filetypes = nil,
  root_markers = { '.git', 'pyproject.toml', 'package.json', 'go.mod', 'Cargo.toml' },
  -- the `glm` settings object (protocol: provider, baseUrl, model, inline.*, chat.*, context.*, exclude)
  settings = {},
}

M.config = vim.deepcopy(M.defaults)

local function server_cmd(opts)
  if opts.cmd then
    return opts.cmd
  end
  if vim.fn.executable('glm-lsp') == 1 then
    return { 'glm-lsp' }
  end
  return { 'python3', '-m', 'glm_lsp' }
end

function M.setup(opts)
  M.config = vim.tbl_deep_extend('force', vim.deepcopy(M.defaults), opts or {})
  vim.lsp.config('glm', {
    cmd = server_cmd(M.config),
    filetypes = M.config.filetypes,
    root_markers = M.config.root_markers,
    init_options = { glm = M.config.settings },
    settings = { glm = M.config.settings },
  })
  vim.lsp.enable('glm')
end

-- The running glm-lsp client for a buffer (current buffer by default).
function M.client(bufnr)
  return vim.lsp.get_clients({ bufnr = bufnr or 0, name = 'glm' })[1]
end

-- Run a glm.* command; `callback(err, result)`.
function M.exec(command, argument, callback, bufnr)
  local client = M.client(bufnr)
  if not client then
    callback({ message = 'glm-lsp is not attached to this buffer' }, nil)
    return
  end
  client:exec_cmd({ title = command, command = command, arguments = { argument or vim.empty_dict() } },
    { bufnr = bufnr or 0 }, callback)
end

return M
