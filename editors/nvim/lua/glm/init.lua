-- glm-lsp for Neovim 0.11+: starts the server through vim.lsp.config / vim.lsp.enable, draws
-- ghost text, hosts chat buffers. All model logic lives in the server. See :help glm.
local config = require('glm.config')
local glsp = require('glm.lsp')
local status = require('glm.status')

local M = {}

M.version = '0.1.0'

local function handlers()
  local chat = require('glm.chat')
  return {
    ['glm/status'] = status.on_status,
    ['window/showMessage'] = require('glm.notify').show_message,
    ['workspace/applyEdit'] = function(...)
      return require('glm.commands').apply_edit(...)
    end,
    ['glm/chat/delta'] = function(err, params)
      chat.on_delta(err, params)
    end,
    ['glm/chat/done'] = function(err, params)
      chat.on_done(err, params)
    end,
    ['glm/chat/proposal'] = function(err, params)
      chat.on_proposal(err, params)
    end,
    ['glm/chat/progress'] = function(err, params)
      chat.on_progress(err, params)
    end,
    ['glm/diagnostics'] = function(err, params, ctx)
      return require('glm.diagnostics').on_request(err, params, ctx)
    end,
  }
end

local function configure(options, cmd)
  vim.lsp.config(glsp.name, {
    cmd = cmd,
    cmd_env = options.cmd_env,
    filetypes = options.filetypes,
    root_markers = options.root_markers,
    init_options = { glm = options.settings },
    settings = { glm = options.settings },
    handlers = handlers(),
    capabilities = {
      -- Neovim applies documentChanges (versioned edits, create/rename/delete) but 0.11 does not
      -- say so; chat proposals need it for new, renamed and deleted files
      workspace = { workspaceEdit = { documentChanges = true } },
      -- the server may ask for the editor's diagnostics (`glm/diagnostics`) during a chat turn
      experimental = { glmDiagnostics = true },
    },
    on_exit = status.on_exit,
  })
  vim.lsp.enable(glsp.name)
end

-- No server yet: say so once (after startup, on one line), unless :GlmInstall is running; start
-- the server for the open buffers when :GlmInstall has put it in place.
local function wait_for_install(options)
  local install = require('glm.install')
  install.after_install = function(cmd)
    configure(options, cmd)
  end
  vim.schedule(function()
    if not install.state.running and not install.installed_server() then
      require('glm.notify').once(
        'glm: no glm-lsp server yet: run :GlmInstall (:help glm-install)',
        vim.log.levels.WARN
      )
    end
  end)
end

---Start glm-lsp for matching buffers and set up ghost text keys.
---@param opts? table see :help glm-options
function M.setup(opts)
  if vim.fn.has('nvim-0.11') == 0 then
    vim.notify('glm: Neovim 0.11 or newer is needed', vim.log.levels.ERROR)
    return
  end
  require('glm.usercmds').define()
  local options = config.set(opts)
  M.config = options
  vim.api.nvim_set_hl(0, 'GlmGhostText', { link = 'Comment', default = true })
  vim.api.nvim_set_hl(0, 'GlmNextEditDelete', { link = 'DiffDelete', default = true })
  vim.api.nvim_set_hl(0, 'GlmNextEditAdd', { link = 'DiffAdd', default = true })
  local group = vim.api.nvim_create_augroup('glm', { clear = true })
  vim.api.nvim_create_autocmd('LspAttach', {
    group = group,
    callback = function(ev)
      local client = vim.lsp.get_client_by_id(ev.data.client_id)
      if client and client.name == glsp.name then
        require('glm.inline').attach(ev.buf, client)
        require('glm.next_edit').attach(ev.buf)
      end
    end,
  })
  require('glm.keys').setup()
  local cmd = config.server_cmd(options)
  require('glm.install').after_install = nil
  if cmd then
    configure(options, cmd)
  else
    wait_for_install(options)
  end
end

---Replace the `glm` settings of running servers (and of servers started later).
---@param settings table keys as in the protocol (provider, baseUrl, model, inline.*, ...)
function M.set_settings(settings)
  config.options.settings = settings
  vim.lsp.config(glsp.name, { settings = { glm = settings }, init_options = { glm = settings } })
  for _, client in ipairs(vim.lsp.get_clients({ name = glsp.name })) do
    client.settings = { glm = settings }
    client:notify('workspace/didChangeConfiguration', { settings = client.settings })
  end
end

---The running glm-lsp client for a buffer (current buffer by default).
M.client = glsp.client

---Run a glm.* command; `callback(err, result)`.
function M.exec(command, argument, callback, bufnr)
  glsp.command(command, argument, callback or function() end, { bufnr = bufnr, any = true })
end

---Statusline component: `set statusline+=%{v:lua.require'glm'.statusline()}`.
M.statusline = status.statusline

return M
