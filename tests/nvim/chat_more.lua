-- :GlmExplain on a range streams into a new chat; :GlmCancel stops a running answer;
-- :GlmChatList reopens a stored chat from the server's history.
local T = dofile(os.getenv('GLM_TESTS') .. '/harness.lua')

T.run(function()
  T.setup()
  local file_buf = T.open('sample.py')
  local dones = {}
  vim.api.nvim_create_autocmd('User', {
    pattern = 'GlmChatDone',
    callback = function(ev)
      dones[#dones + 1] = ev.data
    end,
  })

  T.step(':1,2GlmExplain')
  vim.cmd('1,2GlmExplain')
  local chat_buf = vim.api.nvim_get_current_buf()
  T.R.explain_opened = T.lines(chat_buf)
  T.wait(function()
    return #dones == 1
  end, 'the explanation to finish')
  T.R.explained = T.lines(chat_buf)

  T.step('send, then :GlmCancel')
  vim.api.nvim_win_set_cursor(0, { vim.api.nvim_buf_line_count(chat_buf), 0 })
  T.input('iTell me more<C-s>')
  T.wait(function()
    return table.concat(T.lines(chat_buf), '\n'):find('Partial answer', 1, true)
  end, 'the first piece of the slow answer')
  vim.cmd('GlmCancel')
  T.wait(function()
    return #dones == 2
  end, 'glm/chat/done after cancel')
  T.R.cancel_done = dones[2]
  T.R.cancelled = T.lines(chat_buf)

  T.step(':GlmChatList')
  vim.cmd('bwipeout! ' .. chat_buf)
  vim.api.nvim_set_current_buf(file_buf)
  local offered
  vim.ui.select = function(items, opts, on_choice)
    offered = {}
    for _, item in ipairs(items) do
      offered[#offered + 1] = opts.format_item(item)
    end
    on_choice(items[1], 1)
  end
  vim.cmd('GlmChatList')
  T.wait(function()
    return vim.b.glm_chat and #T.lines() > 3
  end, 'the stored chat to open')
  T.R.offered = offered
  T.R.reopened = T.lines()
end)
