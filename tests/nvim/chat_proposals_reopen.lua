-- A new Neovim and a new server: the chat of chat_proposals.lua (MODE=propose) is reopened
-- with :GlmChatList, and :GlmApply in it applies the pending proposal the server kept.
local T = dofile(os.getenv('GLM_TESTS') .. '/harness.lua')

T.run(function()
  T.setup()
  local file_buf = T.open('sample.py')
  T.R.known_before = #require('glm.proposals').list

  T.step(':GlmChatList')
  vim.ui.select = function(items, _, on_choice)
    on_choice(items[1], 1)
  end
  vim.cmd('GlmChatList')
  T.wait(function()
    return vim.b.glm_chat and #T.lines() > 3
  end, 'the stored chat to open')
  local chat_buf = vim.api.nvim_get_current_buf()

  T.step(':GlmApply in the reopened chat')
  local result
  vim.api.nvim_create_autocmd('User', {
    pattern = 'GlmApplyDone',
    once = true,
    callback = function(ev)
      result = ev.data
    end,
  })
  vim.cmd('GlmApply sample.py')
  T.wait(function()
    return result
  end, 'GlmApplyDone')
  T.R.apply = result
  T.R.chat = T.lines(chat_buf)
  T.R.sample = T.lines(file_buf)
end)
