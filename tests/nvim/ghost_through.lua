-- Typing through a suggestion: each keystroke makes the plugin ask glm-lsp again, and the
-- server answers with the rest of the suggestion it already has (no new model request).
-- Setup passes the removed option inline.debounce_ms: accepted, ignored, noted once.
local T = dofile(os.getenv('GLM_TESTS') .. '/harness.lua')

T.run(function()
  T.setup({ inline = { debounce_ms = 400 } })
  T.setup({ inline = { debounce_ms = 400 } })
  T.R.options_inline_has_debounce = require('glm.config').options.inline.debounce_ms ~= nil
  T.open('ghost.py')
  T.ready()
  local client = require('glm').client()
  local asked = 0
  local request = client.request
  client.request = function(self, method, params, ...)
    if method == 'textDocument/inlineCompletion' then
      asked = asked + 1
    end
    return request(self, method, params, ...)
  end

  T.step('type, the model is asked and the ghost appears')
  vim.api.nvim_win_set_cursor(0, { 3, 0 })
  T.input('A a')
  T.wait(function()
    return #T.ghost() > 0
  end, 'ghost text after typing')
  T.R.ghosts = { T.ghost() }
  T.R.asked = { asked }

  for _, key in ipairs({ ' ', '+', ' ' }) do
    T.step('type ' .. vim.inspect(key) .. ' of the suggestion')
    local before = asked
    local col = vim.api.nvim_win_get_cursor(0)[2]
    T.input(key)
    T.wait(function()
      local ghost = T.ghost()[1]
      return asked > before and ghost ~= nil and ghost.col == col + 1
    end, 'the rest of the suggestion after ' .. vim.inspect(key))
    T.R.ghosts[#T.R.ghosts + 1] = T.ghost()
    T.R.asked[#T.R.asked + 1] = asked
  end
  T.R.line = T.lines()[3]
  T.input('<Esc>')
end)
