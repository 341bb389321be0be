-- A keystroke while a suggestion is still being computed cancels that request
-- ($/cancelRequest) and asks again for the new text.
local T = dofile(os.getenv('GLM_TESTS') .. '/harness.lua')

T.run(function()
  T.setup()
  T.open('ghost.py')
  T.ready()
  local client = require('glm').client()
  local cancels = {}
  local notify = client.rpc.notify
  client.rpc.notify = function(method, params)
    if method == '$/cancelRequest' then
      cancels[#cancels + 1] = params.id
    end
    return notify(method, params)
  end

  T.step('type a space: the first request reaches the model and stalls')
  vim.api.nvim_win_set_cursor(0, { 3, 0 })
  T.input('A ')
  local mark = os.getenv('MARK')
  T.wait(function()
    return vim.uv.fs_stat(mark) ~= nil
  end, 'the first inline request at the endpoint')
  T.R.ghost_while_stalled = T.ghost()

  T.step('type a: the stale request is cancelled, the new one answered')
  T.input('a')
  T.wait(function()
    return #T.ghost() > 0
  end, 'ghost text for the new text')
  T.R.ghost = T.ghost()
  T.R.cancels = #cancels
  T.input('<Esc>')
end)
