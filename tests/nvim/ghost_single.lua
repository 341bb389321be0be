-- Ghost text on one line: typing asks for a suggestion, it shows as an inline extmark, the
-- dismiss key hides it, the trigger key brings it back, <Tab> inserts exactly it and reports
-- the acceptance through the item's command.
local T = dofile(os.getenv('GLM_TESTS') .. '/harness.lua')

local function ghost_shown()
  return #T.ghost() > 0
end

T.run(function()
  T.setup()
  local buf = T.open('ghost.py')
  T.ready()
  local client = require('glm').client()
  local sent = {}
  local request = client.request
  client.request = function(self, method, params, ...)
    sent[#sent + 1] = { method = method, params = params }
    return request(self, method, params, ...)
  end
  local function count(method, command)
    local n = 0
    for _, m in ipairs(sent) do
      if m.method == method and (not command or m.params.command == command) then
        n = n + 1
      end
    end
    return n
  end

  T.step('type, ghost appears')
  vim.api.nvim_win_set_cursor(0, { 3, 0 })
  T.input('A a')
  T.wait(ghost_shown, 'ghost text after typing')
  T.R.ghost = T.ghost()
  T.R.lines_with_ghost = T.lines(buf)
  T.R.inline_requests = count('textDocument/inlineCompletion')

  T.step('dismiss key hides it')
  T.input('<C-]>')
  T.wait(function()
    return not ghost_shown()
  end, 'ghost gone after <C-]>')
  T.R.mode_after_dismiss = vim.api.nvim_get_mode().mode

  T.step('trigger key asks again')
  T.input('<M-\\>')
  T.wait(ghost_shown, 'ghost text after the trigger key')
  T.R.inline_requests_after_trigger = count('textDocument/inlineCompletion')
  for _, m in ipairs(sent) do
    if m.method == 'textDocument/inlineCompletion' then
      T.R.last_trigger_kind = m.params.context.triggerKind
    end
  end

  T.step('tab accepts')
  T.input('<Tab>')
  T.wait(function()
    return T.lines(buf)[3] ~= '    return a'
  end, 'the accepted text')
  T.R.lines_after_accept = T.lines(buf)
  T.R.cursor_after_accept = vim.api.nvim_win_get_cursor(0)
  T.R.mode_after_accept = vim.api.nvim_get_mode().mode
  T.wait(function()
    return count('workspace/executeCommand', 'glm.inline.accepted') > 0
  end, 'glm.inline.accepted sent')
  for _, m in ipairs(sent) do
    if m.params and m.params.command == 'glm.inline.accepted' then
      T.R.accepted_arguments = m.params.arguments
    end
  end
  T.input('<Esc>')
  T.R.ghost_after_esc = T.ghost()
end)
