-- In a running editor (the runtimepath recipe's setup(), a file open, no server anywhere), the
-- install that :GlmInstall starts when a UI is attached (sync = false) runs in the background:
-- the call returns at once and typed keys are handled meanwhile, progress shows on single
-- lines, and when it ends the server starts for the open buffer by itself.
local T = dofile(os.getenv('GLM_TESTS') .. '/harness.lua')

T.run(function()
  require('glm').setup({ settings = T.settings() })
  vim.cmd.edit(os.getenv('GLM_WS') .. '/sample.py')
  T.step('install in the background')
  local done
  require('glm.install').install({
    sync = false,
    on_done = function(ok, cmd)
      done = { ok = ok, cmd = cmd }
    end,
  })
  T.R.returned_while_running = require('glm.install').state.running
  T.input('ione line<Esc>')
  T.R.typed_while_installing = T.lines()[1]
  T.R.running_after_typing = require('glm.install').state.running
  local deadline = vim.uv.now() + 600000 -- hang guard for a cold pip cache
  while not done and vim.uv.now() < deadline do
    T.sleep(100)
  end
  T.R.done = done
  T.step('the server starts by itself')
  T.wait(function()
    local c = require('glm').client()
    return c and c.initialized
  end, 'glm-lsp to attach after the install')
  T.R.server_cmd = require('glm').client().config.cmd
  T.R.progress = T.R.messages
end)
