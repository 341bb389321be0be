-- A proposal that renames old.py to renamed.py (with an edit) and deletes gone.py, neither open:
-- :GlmDiff of the delete, :GlmApply, then :GlmUndo; file argument completion.
local T = dofile(os.getenv('GLM_TESTS') .. '/harness.lua')

local events = {}
for _, name in ipairs({ 'GlmProposal', 'GlmChatDone', 'GlmApplyDone', 'GlmUndoDone' }) do
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

local function disk()
  local ws = os.getenv('GLM_WS')
  local out = {}
  for _, name in ipairs({ 'old.py', 'renamed.py', 'gone.py' }) do
    local path = ws .. '/' .. name
    out[name] = vim.fn.filereadable(path) == 1 and table.concat(vim.fn.readfile(path), '\n') or false
  end
  return out
end

local function buffer_text(name)
  local b = require('glm.lsp').buffer_of(vim.uri_from_fname(os.getenv('GLM_WS') .. '/' .. name))
  return b and T.lines(b) or false
end

T.run(function()
  T.setup()
  T.open('sample.py')
  vim.cmd('GlmChat tidy up')
  local chat_buf = vim.api.nvim_get_current_buf()
  T.R.proposal = wait_event('GlmProposal')
  wait_event('GlmChatDone')
  vim.cmd('stopinsert')
  T.R.chat = T.lines(chat_buf)
  T.R.completion = vim.fn.getcompletion('GlmApply ', 'cmdline')
  T.R.completion_g = vim.fn.getcompletion('GlmDiff g', 'cmdline')

  T.step(':GlmDiff gone.py')
  vim.cmd('GlmDiff gone.py')
  local review = require('glm.review').current
  T.R.delete_left = T.lines(vim.api.nvim_win_get_buf(review.left))
  T.R.delete_right = T.lines(vim.api.nvim_win_get_buf(review.right))
  T.input('[f')
  T.R.rename_right_name = vim.api.nvim_buf_get_name(vim.api.nvim_win_get_buf(review.right))
  T.R.rename_right = T.lines(vim.api.nvim_win_get_buf(review.right))
  T.input('q')
  T.wait(function()
    return #vim.api.nvim_list_tabpages() == 1
  end, 'the diff tab to close')

  T.step(':GlmApply!')
  vim.cmd('GlmApply!')
  T.R.apply = wait_event('GlmApplyDone')
  T.R.disk_after_apply = disk()
  T.R.renamed_buffer = buffer_text('renamed.py')

  T.step(':GlmUndo')
  vim.cmd('GlmUndo')
  T.R.undo = wait_event('GlmUndoDone')
  T.R.old_buffer_after_undo = buffer_text('old.py')
  T.R.gone_buffer_after_undo = buffer_text('gone.py')
  T.R.disk_after_undo = disk()
  T.R.chat_after_undo = T.lines(chat_buf)
end)
