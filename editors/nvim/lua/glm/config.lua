-- Options of the glm plugin: defaults, merging, and how to start the server.
local M = {}

---@class glm.Keys
---@field accept string|false       accept the whole suggestion (falls back to the key's normal meaning)
---@field accept_word string|false  accept the next word
---@field accept_line string|false  accept the rest of the current line of the suggestion
---@field dismiss string|false      hide the suggestion
---@field trigger string|false      ask for a suggestion now

---@class glm.NextEditKeys
---@field accept string|false   normal mode: jump to the suggestion when it is away from the cursor, else accept it
---@field dismiss string|false  normal mode: hide the suggestion

M.defaults = {
  -- command that starts the server; nil: `glm-lsp` on PATH, else the one :GlmInstall installed
  cmd = nil,
  -- extra environment for the server process (e.g. { GLM_API_KEY = ... } read from a vault)
  cmd_env = nil,
  -- filetypes to attach to; nil attaches to every buffer that is a file
  filetypes = nil,
  root_markers = { '.git', 'pyproject.toml', 'package.json', 'go.mod', 'Cargo.toml' },
  -- the `glm` settings object, keys as in the protocol (provider, baseUrl, model, inline.*,
  -- chat.*, context.*, exclude). Prefer GLM_API_KEY in the environment to apiKey here.
  settings = {},
  inline = {
    enabled = true,
    -- 'auto': use vim.lsp.inline_completion on Neovim 0.12+, our own ghost text on 0.11;
    -- false: always our own ghost text (it has accept word / accept line)
    native = 'auto',
    -- filetypes without ghost text
    disabled_filetypes = { 'gitcommit', 'gitrebase', 'help' },
    keys = {
      accept = '<Tab>',
      accept_word = '<M-Right>',
      accept_line = '<M-Down>',
      dismiss = '<C-]>',
      trigger = '<M-\\>',
    },
    hl_group = 'GlmGhostText',
  },
  -- next-edit suggestions: the edit that follows from your last ones, anywhere near the cursor,
  -- previewed with extmarks (see :help glm-next-edit)
  next_edit = {
    enabled = true,
    -- filetypes without next-edit suggestions
    disabled_filetypes = { 'gitcommit', 'gitrebase', 'help' },
    -- normal-mode keys; each keeps its normal meaning when no suggestion is shown
    keys = {
      accept = '<Tab>',
      dismiss = '<Esc>',
    },
  },
  chat = {
    -- 'vsplit', 'split', 'tab' or 'float'
    layout = 'vsplit',
    width = 0.4, -- vsplit / float: fraction of the editor (or columns when > 1)
    height = 0.8, -- float: fraction of the editor (or lines when > 1); a split takes half
    -- send the typed message: in normal mode and in insert mode
    keys = { send = '<CR>', send_insert = '<C-s>', cancel = '<C-c>', close = 'q' },
    -- fold reasoning ("thinking") sections when they are written
    fold_reasoning = true,
  },
  statusline = {
    icons = { ready = 'GLM', busy = 'GLM …', error = 'GLM !', unconfigured = 'GLM ?', off = '' },
  },
}

M.options = vim.deepcopy(M.defaults)

local function check(opts)
  vim.validate('settings', opts.settings, 'table')
  vim.validate('inline', opts.inline, 'table')
  vim.validate('next_edit', opts.next_edit, 'table')
  vim.validate('next_edit.keys', opts.next_edit.keys, 'table')
  vim.validate('chat.layout', opts.chat.layout, function(v)
    return vim.list_contains({ 'vsplit', 'split', 'tab', 'float' }, v)
  end, false, "'vsplit', 'split', 'tab' or 'float'")
  if opts.cmd ~= nil then
    vim.validate('cmd', opts.cmd, { 'table', 'function' })
  end
end

---Options that are accepted and ignored, with the note shown once when one is set.
M.removed = {
  debounce_ms = 'glm: inline.debounce_ms is ignored: glm-lsp waits after keystrokes itself '
    .. '(adapting to your typing); set settings.inline.debounceMs to fix its wait',
}

local function drop_removed(inline)
  for key, note in pairs(M.removed) do
    if inline[key] ~= nil then
      inline[key] = nil
      vim.notify_once(note, vim.log.levels.WARN)
    end
  end
end

---Merge user options over the defaults (lists are replaced, not merged).
function M.set(opts)
  local merged = vim.tbl_deep_extend('force', vim.deepcopy(M.defaults), opts or {})
  if opts and opts.inline and opts.inline.disabled_filetypes then
    merged.inline.disabled_filetypes = opts.inline.disabled_filetypes
  end
  if opts and type(opts.next_edit) == 'table' and opts.next_edit.disabled_filetypes then
    merged.next_edit.disabled_filetypes = opts.next_edit.disabled_filetypes
  end
  if opts and opts.root_markers then
    merged.root_markers = opts.root_markers
  end
  check(merged)
  drop_removed(merged.inline)
  M.options = merged
  return merged
end

---The command that starts glm-lsp: the `cmd` option, else `glm-lsp` on PATH, else the server
---:GlmInstall put in its venv; nil when there is none.
---@return string[]|function|nil cmd, string source 'option' | 'PATH' | 'venv' | 'none'
function M.server_cmd(opts)
  opts = opts or M.options
  return require('glm.install').find_server(opts.cmd)
end

---Environment variables that make `glm-lsp doctor` see the settings given to setup().
---@return table<string, string>
function M.doctor_env(opts)
  opts = opts or M.options
  local s = opts.settings or {}
  local env = vim.deepcopy(opts.cmd_env or {})
  local map = { provider = 'GLM_PROVIDER', baseUrl = 'GLM_BASE_URL', model = 'GLM_MODEL', apiKey = 'GLM_API_KEY' }
  for key, var in pairs(map) do
    if type(s[key]) == 'string' and s[key] ~= '' then
      env[var] = s[key]
    end
  end
  if type(s.inline) == 'table' and type(s.inline.model) == 'string' then
    env.GLM_INLINE_MODEL = s.inline.model
  end
  return env
end

return M
