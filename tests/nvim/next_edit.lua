-- Next-edit suggestions in real Neovim with glm-lsp and the loopback GLM endpoint. $SCENARIO:
--   flow      rename a parameter -> preview at its use; <Tab> jumps, <Tab> accepts (the item's
--             command is sent); a second rename -> preview; <Esc> dismisses it
--   stale     a user edit while the preview is shown drops it (already when TextChanged runs);
--             a change typed ahead of <Tab> makes <Tab> fall back, the stale edit is not applied
--   fallback  with nothing shown, normal-mode <Tab> jumps forward in the jumplist, <Esc> runs
--             the user's earlier mapping, insert-mode <Tab> inserts a tab
--   lines     an edit that adds a line is previewed as a virtual line and accepted exactly
--   move      the preview stays while the cursor moves towards it, goes when it moves beyond;
--             moving asks for nothing new
--   cancel    an edit made while the model is still answering cancels that request
--   insert    typing in insert mode: the preview shows while typing and stays on <Esc>
--   accept    $KEYS typed at line $ROW, byte column $COL; the preview, <Tab>, <Tab>
--             ($ENCODING: the only position encoding the client offers)
-- Ghost text is off, so every request the endpoint sees is a next-edit one.
local T = dofile(os.getenv('GLM_TESTS') .. '/harness.lua')
local api = vim.api

---The preview's extmarks: { row, col, end_row?, end_col?, hl?, text? (inline), lines? }.
local function marks(bufnr)
  local ns = require('glm.next_edit').ns
  local out = {}
  for _, m in ipairs(api.nvim_buf_get_extmarks(bufnr or 0, ns, 0, -1, { details = true })) do
    local d = m[4]
    local mark = { row = m[2], col = m[3], end_row = d.end_row, end_col = d.end_col, hl = d.hl_group }
    if d.virt_text then
      mark.text = d.virt_text[1][1]
      mark.text_hl = d.virt_text[1][2]
    end
    if d.virt_lines then
      mark.lines = {}
      for _, vl in ipairs(d.virt_lines) do
        mark.lines[#mark.lines + 1] = vl[1][1]
        mark.lines_hl = vl[1][2]
      end
    end
    out[#out + 1] = mark
  end
  return out
end

local function shown()
  return #marks() > 0
end

local function gone()
  return not shown()
end

local function cursor()
  return api.nvim_win_get_cursor(0)
end

---Record the requests and commands the plugin sends.
local function spy(client)
  local sent = {}
  local request = client.request
  client.request = function(self, method, params, ...)
    sent[#sent + 1] = { method = method, params = vim.deepcopy(params) }
    return request(self, method, params, ...)
  end
  return sent
end

local function commands(sent, name)
  local out = {}
  for _, m in ipairs(sent) do
    if m.method == 'workspace/executeCommand' and m.params.command == name then
      out[#out + 1] = m.params.arguments
    end
  end
  return out
end

local function requests(sent)
  local out = {}
  for _, m in ipairs(sent) do
    if m.method == 'glm/nextEdit' then
      out[#out + 1] = m.params
    end
  end
  return out
end

local function start(opts)
  opts = vim.tbl_deep_extend('force', { inline = { enabled = false } }, opts or {})
  if os.getenv('ENCODING') then -- offer only this position encoding (setup() keeps it)
    vim.lsp.config('glm', {
      capabilities = { general = { positionEncodings = { os.getenv('ENCODING') } } },
    })
  end
  T.setup(opts)
  local buf = T.open(os.getenv('FILE'))
  T.ready()
  return buf, spy(require('glm').client())
end

local scenarios = {}

function scenarios.flow()
  local buf, sent = start()
  T.step('rename the parameter')
  api.nvim_win_set_cursor(0, { 1, 10 })
  local t0 = vim.uv.hrtime()
  T.input('ciwlength<Esc>')
  T.wait(shown, 'the preview at the use')
  T.R.ms_to_preview = (vim.uv.hrtime() - t0) / 1e6 -- a figure for reports, never asserted
  T.R.lines_with_preview = T.lines(buf)
  T.R.preview = marks()
  T.R.cursor_with_preview = cursor()
  T.R.version = vim.lsp.util.buf_versions[buf]
  T.R.request = requests(sent)[#requests(sent)]
  T.R.suggestion = require('glm.next_edit').suggestion()

  T.step('<Tab> jumps')
  T.input('<Tab>')
  T.R.cursor_after_jump = cursor()
  T.R.preview_after_jump = marks()
  T.R.lines_after_jump = T.lines(buf)

  T.step('<Tab> accepts')
  T.input('<Tab>')
  T.wait(function()
    return T.lines(buf)[3] ~= T.R.lines_after_jump[3]
  end, 'the accepted edit')
  T.R.lines_after_accept = T.lines(buf)
  T.R.cursor_after_accept = cursor()
  T.R.mode_after_accept = api.nvim_get_mode().mode
  T.R.preview_after_accept = marks()
  T.wait(function()
    return #commands(sent, 'glm.nextEdit.accepted') > 0
  end, 'glm.nextEdit.accepted sent')
  T.R.accepted = commands(sent, 'glm.nextEdit.accepted')
  local status
  require('glm.commands').status(function(_, result)
    status = result
  end)
  T.wait(function()
    return status ~= nil
  end, 'the glm.status result')
  T.R.status_line = require('glm.commands').status_lines(status)[7]

  T.step('a second rename, <Esc> dismisses')
  api.nvim_win_set_cursor(0, { 1, 18 })
  T.input('ciwk<Esc>')
  T.wait(shown, 'the second preview')
  T.R.second_preview = marks()
  local before = T.lines(buf)
  T.input('<Esc>')
  T.wait(gone, 'the preview dismissed')
  T.R.lines_after_dismiss = T.lines(buf)
  T.R.unchanged_by_dismiss = vim.deep_equal(before, T.R.lines_after_dismiss)
  T.R.mode_after_dismiss = api.nvim_get_mode().mode
  T.R.visible_after_dismiss = require('glm.next_edit').visible()
end

function scenarios.stale()
  local buf = start()
  local at_change = {}
  api.nvim_create_autocmd({ 'TextChanged', 'TextChangedI' }, {
    buffer = buf,
    callback = function()
      at_change[#at_change + 1] = #marks(buf)
    end,
  })
  T.step('rename, preview')
  api.nvim_win_set_cursor(0, { 1, 10 })
  T.input('ciwlength<Esc>')
  T.wait(shown, 'the preview at the use')
  T.step('a user edit drops it')
  at_change = {}
  T.input('A  # scaled<Esc>')
  T.R.marks_when_text_changed = at_change
  T.R.lines_after_edit = T.lines(buf)
  T.step('the preview comes back for the new text')
  T.wait(shown, 'a preview for the new text')
  T.R.preview_for_new_text = marks()
  T.step('a change typed ahead of <Tab> makes <Tab> fall back')
  T.input('<Tab>') -- jump to the use
  T.R.cursor_on_use = cursor()
  T.input('x<Tab>')
  T.wait(function()
    return api.nvim_get_mode().mode == 'n'
  end, 'normal mode')
  T.sleep(200)
  T.R.lines_after_stale_tab = T.lines(buf)
end

function scenarios.fallback()
  vim.g.user_esc = 0
  vim.keymap.set('n', '<Esc>', function()
    vim.g.user_esc = vim.g.user_esc + 1
  end, { desc = 'user mapping' })
  local buf = start()
  vim.bo[buf].expandtab = false
  vim.bo[buf].softtabstop = 0
  vim.o.smarttab = false
  T.step('normal <Tab> jumps forward in the jumplist')
  api.nvim_win_set_cursor(0, { 1, 0 })
  T.input('G')
  T.input('<C-o>')
  T.R.cursor_after_back = cursor()
  T.input('<Tab>')
  T.R.cursor_after_tab = cursor()
  T.step('normal <Esc> runs the earlier mapping')
  T.input('<Esc>')
  T.R.user_esc = vim.g.user_esc
  T.R.mode_after_esc = api.nvim_get_mode().mode
  T.step('insert <Tab> inserts a tab')
  T.input('gg0i<Tab><Esc>')
  T.wait(function()
    return api.nvim_get_mode().mode == 'n'
  end, 'normal mode')
  T.R.first_line = T.lines(buf)[1]
  T.R.normal_tab_desc = vim.fn.maparg('<Tab>', 'n', false, true).desc
  T.R.normal_esc_desc = vim.fn.maparg('<Esc>', 'n', false, true).desc
end

function scenarios.lines()
  local buf, sent = start()
  T.step('add a parameter')
  api.nvim_win_set_cursor(0, { 2, 27 })
  T.input('i, z<Esc>')
  T.wait(shown, 'the preview of the added line')
  T.R.preview = marks()
  T.R.cursor_with_preview = cursor()
  T.input('<Tab>')
  T.R.cursor_after_jump = cursor()
  T.input('<Tab>')
  T.wait(function()
    return #T.lines(buf) > 4
  end, 'the added line')
  T.R.lines_after_accept = T.lines(buf)
  T.R.preview_after_accept = marks()
  T.wait(function()
    return #commands(sent, 'glm.nextEdit.accepted') > 0
  end, 'glm.nextEdit.accepted sent')
end

function scenarios.move()
  local _, sent = start()
  T.step('rename, preview')
  api.nvim_win_set_cursor(0, { 1, 10 })
  T.input('ciwlength<Esc>')
  T.wait(shown, 'the preview at the use')
  local asked = #requests(sent)
  T.step('towards the suggestion')
  T.input('j')
  T.R.cursor_between = cursor()
  T.R.marks_between = #marks()
  T.step('beyond it')
  T.input('G')
  T.R.cursor_beyond = cursor()
  T.R.marks_beyond = #marks()
  T.sleep(100)
  T.R.requests_after_moves = #requests(sent) - asked
end

function scenarios.cancel()
  local buf, sent = start()
  local client = require('glm').client()
  local cancels = 0
  local cancel_request = client.cancel_request
  client.cancel_request = function(self, id)
    cancels = cancels + 1
    return cancel_request(self, id)
  end
  T.step('rename; the model stalls')
  api.nvim_win_set_cursor(0, { 1, 10 })
  T.input('ciwlength<Esc>')
  T.wait(function()
    return vim.uv.fs_stat(os.getenv('MARK'))
  end, 'the stalled model request')
  T.R.preview_while_stalled = marks()
  T.step('another edit')
  T.input('A  # scaled<Esc>')
  T.wait(shown, 'the preview for the new text')
  T.R.cancels = cancels
  T.R.preview = marks()
  T.R.lines = T.lines(buf)
  T.R.requests = #requests(sent)
end

function scenarios.insert()
  local buf, sent = start()
  api.nvim_win_set_cursor(0, { 1, 10 })
  T.input('inew_')
  T.wait(shown, 'the preview while typing')
  T.R.mode_with_preview = api.nvim_get_mode().mode
  T.R.preview = marks()
  local asked = #requests(sent)
  T.input('<Esc>')
  T.sleep(200)
  T.R.mode_after_esc = api.nvim_get_mode().mode
  T.R.preview_after_esc = marks()
  T.R.requests_after_esc = #requests(sent) - asked
  T.input('<Tab>')
  T.input('<Tab>')
  T.wait(function()
    return T.lines(buf)[3] ~= '    result = size * factor'
  end, 'the accepted edit')
  T.R.lines_after_accept = T.lines(buf)
end

function scenarios.accept()
  local buf, sent = start()
  api.nvim_win_set_cursor(0, { tonumber(os.getenv('ROW')), tonumber(os.getenv('COL')) })
  T.input(os.getenv('KEYS'))
  T.wait(shown, 'the preview')
  T.R.preview = marks()
  T.R.client_encoding = require('glm').client().offset_encoding
  T.R.suggestion = require('glm.next_edit').suggestion()
  local before = T.lines(buf)
  T.input('<Tab>')
  T.R.cursor_after_jump = cursor()
  T.input('<Tab>')
  T.wait(function()
    return not vim.deep_equal(T.lines(buf), before)
  end, 'the accepted edit')
  T.R.lines_after_accept = T.lines(buf)
  T.R.cursor_after_accept = cursor()
  T.R.accepted = #commands(sent, 'glm.nextEdit.accepted')
end

T.run(function()
  scenarios[os.getenv('SCENARIO')]()
end)
