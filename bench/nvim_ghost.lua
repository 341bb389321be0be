-- Driven by bench/nvim_ghost.py: ghost text timings of the Neovim plugin in $GLM_PLUGIN.
-- Rounds: on the `return` line of a new function, type " a" and time the last keystroke to
-- the ghost text; then type the suggestion's first three characters one by one and time each
-- to the rest of the suggestion. Keys are PACE_MS apart (a steady typist), as far as the
-- answers allow. Counts the inlineCompletion requests the plugin sends.
local T = dofile(os.getenv('GLM_TESTS') .. '/harness.lua')

local ROUNDS = tonumber(os.getenv('ROUNDS') or '10')
local PACE_MS = tonumber(os.getenv('PACE_MS') or '60')

---Milliseconds until `pred()` holds, polling every millisecond while Neovim runs.
local function time_until(pred, what)
  local start = vim.uv.hrtime()
  local deadline = start + 30e9
  while not pred() do
    if vim.uv.hrtime() > deadline then
      error('timed out waiting for ' .. what)
    end
    T.sleep(1)
  end
  return (vim.uv.hrtime() - start) / 1e6
end

T.run(function()
  T.setup()
  T.open('bench.py')
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
  T.R.fresh_ms, T.R.through_ms, T.R.fresh_asked, T.R.through_asked = {}, {}, {}, {}
  for round = 1, ROUNDS do
    T.step('round ' .. round)
    vim.api.nvim_win_set_cursor(0, { 2 * round, 0 })
    local before = asked
    vim.api.nvim_input('A')
    T.sleep(PACE_MS)
    vim.api.nvim_input(' ')
    T.sleep(PACE_MS)
    vim.api.nvim_input('a')
    T.R.fresh_ms[#T.R.fresh_ms + 1] = time_until(function()
      return #T.ghost() > 0
    end, 'ghost text')
    T.R.fresh_asked[#T.R.fresh_asked + 1] = asked - before
    before = asked
    for _, key in ipairs({ ' ', '+', ' ' }) do
      T.sleep(PACE_MS)
      local col = vim.api.nvim_win_get_cursor(0)[2]
      vim.api.nvim_input(key)
      T.R.through_ms[#T.R.through_ms + 1] = time_until(function()
        local ghost = T.ghost()[1]
        return ghost ~= nil and ghost.col == col + 1
      end, 'the rest of the suggestion')
    end
    T.R.through_asked[#T.R.through_asked + 1] = asked - before
    vim.api.nvim_input('<Esc>')
    time_until(function()
      return #T.ghost() == 0 and vim.api.nvim_get_mode().mode == 'n'
    end, 'normal mode')
  end
end)
