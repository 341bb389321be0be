-- setup() with no `cmd`, no glm-lsp on PATH and nothing installed: one message naming
-- :GlmInstall, no server started, no error; :checkhealth glm says the same.
local T = dofile(os.getenv('GLM_TESTS') .. '/harness.lua')

T.run(function()
  require('glm').setup({ settings = T.settings() })
  require('glm').setup({ settings = T.settings() }) -- a second setup() does not say it again
  vim.cmd.edit(os.getenv('GLM_WS') .. '/sample.py')
  T.wait(function()
    return #T.R.messages > 0
  end, 'the missing-server message')
  T.sleep(300)
  T.R.clients = #vim.lsp.get_clients({ name = 'glm' })
  T.R.has_install_command = vim.fn.exists(':GlmInstall')
  T.step('checkhealth')
  vim.cmd('checkhealth glm')
  T.wait(function()
    return vim.bo.filetype == 'checkhealth' and #T.lines() > 5
  end, 'the health report')
  T.R.health = T.lines()
end)
