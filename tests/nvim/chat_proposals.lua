-- A chat turn whose model edits sample.py and creates new.py ends with a proposal: the block in
-- the chat buffer, :GlmDiff, then by MODE: `apply` (:GlmApply then :GlmUndo), `conflict` (the
-- user types in sample.py, then :GlmApply from the chat buffer), `discard` (:GlmDiscard),
-- `propose` (stop there), `auto` (chat.autoApply: the block follows the server's states).
local T = dofile(os.getenv('GLM_TESTS') .. '/harness.lua')
local MODE = os.getenv('MODE') or 'apply'

local events = {}
for _, name in ipairs({ 'GlmProposal', 'GlmChatDone', 'GlmApplyDone', 'GlmUndoDone', 'GlmDiscardDone' }) do
  vim.api.nvim_create_autocmd('User', {
    pattern = name,
    callback = function(ev)
      events[name] = ev.data or true
    end,
  })
end

local function wait_event(name)
  T.wait(function()
    return events[name]
  end, name)
  local data = events[name]
  events[name] = nil
  return data
end

local function file_lines(name)
  local path = os.getenv('GLM_WS') .. '/' .. name
  for _, b in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_get_name(b) == path and vim.api.nvim_buf_is_loaded(b) then
      return T.lines(b)
    end
  end
  return nil
end

local function on_disk(name)
  local path = os.getenv('GLM_WS') .. '/' .. name
  return vim.fn.filereadable(path) == 1 and vim.fn.readfile(path) or false
end

local function messages_since(n)
  local out = {}
  for i = n + 1, #T.R.messages do
    out[#out + 1] = T.R.messages[i]
  end
  return out
end

T.run(function()
  T.setup(MODE == 'auto' and { settings = { chat = { autoApply = true } } } or nil)
  local file_buf = T.open('sample.py')
  T.R.glm_diagnostics_advertised = vim.tbl_get(require('glm').client().capabilities, 'experimental', 'glmDiagnostics')
  local statuslines = {}
  local timer = vim.uv.new_timer()
  timer:start(0, 5, vim.schedule_wrap(function()
    local s = require('glm').statusline()
    if s ~= statuslines[#statuslines] then
      statuslines[#statuslines + 1] = s
    end
  end))

  T.step(':GlmChat bump')
  vim.cmd('GlmChat bump the checks')
  local chat_buf = vim.api.nvim_get_current_buf()
  T.R.proposal = wait_event('GlmProposal')
  T.R.done = wait_event('GlmChatDone')
  timer:stop()
  T.R.statuslines = statuslines
  T.R.chat = T.lines(chat_buf)
  T.R.progress_after_done = require('glm.progress').shown(chat_buf)
  vim.cmd('stopinsert')
  if MODE == 'auto' then
    T.wait(function()
      return table.concat(T.lines(chat_buf), '\n'):find('· applied', 1, true)
    end, 'the block to show the files applied')
    T.R.chat_auto = T.lines(chat_buf)
    T.R.sample_auto = file_lines('sample.py')
    T.R.new_auto = file_lines('new.py')
    return
  end
  if MODE == 'propose' then
    return -- the proposal stays pending; chat_proposals_reopen.lua applies it after a restart
  end

  T.step(':GlmDiff sample.py')
  vim.cmd('GlmDiff sample.py')
  local review = require('glm.review').current
  local function diff_state()
    local right_buf = vim.api.nvim_win_get_buf(review.right)
    local left_buf = vim.api.nvim_win_get_buf(review.left)
    return {
      tabs = #vim.api.nvim_list_tabpages(),
      left_diff = vim.wo[review.left].diff,
      right_diff = vim.wo[review.right].diff,
      left_name = vim.api.nvim_buf_get_name(left_buf),
      left_lines = T.lines(left_buf),
      left_buftype = vim.bo[left_buf].buftype,
      right_lines = T.lines(right_buf),
      right_modifiable = vim.bo[right_buf].modifiable,
      right_readonly = vim.bo[right_buf].readonly,
      right_filetype = vim.bo[right_buf].filetype,
      winbar = vim.wo[review.right].winbar,
      current_is_right = vim.api.nvim_get_current_win() == review.right,
    }
  end
  T.R.diff1 = diff_state()
  T.step(']f')
  T.input(']f')
  T.R.diff2 = diff_state()
  T.step('q')
  T.input('q')
  T.wait(function()
    return #vim.api.nvim_list_tabpages() == 1
  end, 'the diff tab to close')
  T.R.review_after_q = require('glm.review').current ~= nil
  T.R.q_map_after = vim.fn.maparg('q', 'n', false, true).buffer == 1
    and vim.api.nvim_get_current_buf() == file_buf

  if MODE == 'apply' then
    T.step(':GlmApply in sample.py')
    vim.cmd('wincmd p') -- back to a window; the file's is fine
    vim.api.nvim_set_current_buf(file_buf)
    local seen = #T.R.messages
    vim.cmd('GlmApply')
    T.R.apply = wait_event('GlmApplyDone')
    T.R.apply_messages = messages_since(seen)
    T.R.sample_after_apply = file_lines('sample.py')
    T.R.new_after_apply = file_lines('new.py')
    T.R.new_on_disk_after_apply = on_disk('new.py')
    T.R.chat_after_apply = T.lines(chat_buf)

    T.step(':GlmUndo')
    seen = #T.R.messages
    vim.cmd('GlmUndo')
    T.R.undo = wait_event('GlmUndoDone')
    T.R.undo_messages = messages_since(seen)
    T.R.sample_after_undo = file_lines('sample.py')
    T.R.new_on_disk_after_undo = on_disk('new.py')
    T.R.chat_after_undo = T.lines(chat_buf)
  elseif MODE == 'conflict' then
    T.step('user edit, then :GlmApply from the chat')
    vim.api.nvim_buf_set_lines(file_buf, 0, 0, false, { '# mine' })
    vim.api.nvim_set_current_buf(chat_buf)
    vim.api.nvim_win_set_cursor(0, { vim.api.nvim_buf_line_count(chat_buf), 0 })
    local seen = #T.R.messages
    vim.cmd('GlmApply')
    T.R.apply = wait_event('GlmApplyDone')
    T.R.apply_messages = messages_since(seen)
    T.R.sample_after_apply = file_lines('sample.py')
    T.R.new_after_apply = file_lines('new.py')
    T.R.chat_after_apply = T.lines(chat_buf)
  else
    T.step(':GlmDiscard')
    local seen = #T.R.messages
    vim.cmd('GlmDiscard')
    T.R.discard = wait_event('GlmDiscardDone')
    T.R.discard_messages = messages_since(seen)
    T.R.chat_after_discard = T.lines(chat_buf)
    T.R.sample_after_discard = file_lines('sample.py')
    T.R.new_on_disk_after_discard = on_disk('new.py')
    T.step(':GlmApply after discard')
    seen = #T.R.messages
    vim.cmd('GlmApply')
    T.wait(function()
      return #T.R.messages > seen
    end, 'the answer to :GlmApply')
    T.R.apply_after_discard_messages = messages_since(seen)
    local err
    require('glm').exec('glm.chat.apply', { proposalId = T.R.proposal.proposalId }, function(e)
      err = e or { message = 'no error' }
    end)
    T.wait(function()
      return err
    end, 'the server to answer glm.chat.apply')
    T.R.server_apply_after_discard = err.message
  end
end)
