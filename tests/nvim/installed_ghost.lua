-- After :GlmInstall: setup() with no `cmd` finds the server in the venv (glm-lsp is not on
-- PATH), attaches, and ghost text appears while typing.
local started = vim.uv.hrtime()
local T = dofile(os.getenv('GLM_TESTS') .. '/harness.lua')

T.run(function()
  require('glm').setup({ settings = T.settings() })
  local buf = T.open('ghost.py')
  local client = require('glm').client()
  T.R.server_cmd = client.config.cmd
  T.R.glm_lsp_on_path = vim.fn.executable('glm-lsp')
  T.ready()
  T.step('type, ghost appears')
  vim.api.nvim_win_set_cursor(0, { 3, 0 })
  T.input('A a')
  T.wait(function()
    return #T.ghost() > 0
  end, 'ghost text after typing')
  T.R.ghost = T.ghost()
  T.R.ms_to_ghost = (vim.uv.hrtime() - started) / 1e6
  T.R.lines_with_ghost = T.lines(buf)
  T.R.messages_seen = T.R.messages
end)
