-- :GlmInstall in an environment where it cannot succeed (set up by the test): what it says.
local T = dofile(os.getenv('GLM_TESTS') .. '/harness.lua')

T.run(function()
  if os.getenv('UNSET_PIP_FIND_LINKS') then
    vim.env.PIP_FIND_LINKS = nil -- no local wheel folder: pip must reach the (dead) index
  end
  T.step(':GlmInstall')
  vim.cmd('runtime plugin/glm.lua')
  -- an ERROR message inside a command makes the command fail (as lazy's build log shows it)
  local ok, err = pcall(vim.cmd, 'GlmInstall')
  T.R.command_failed = not ok
  T.R.command_error = not ok and tostring(err) or nil
  T.R.running = require('glm.install').state.running
  T.R.server = require('glm.install').installed_server()
  T.R.venv_exists = vim.fn.isdirectory(require('glm.install').venv_dir())
end)
