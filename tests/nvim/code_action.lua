-- The server's code actions through Neovim's own code-action UI (what `gra` runs):
-- "GLM: Explain" streams into a new chat window, "GLM: Add docstring" edits the buffer.
local T = dofile(os.getenv('GLM_TESTS') .. '/harness.lua')

T.run(function()
  T.setup()
  local buf = T.open('sample.py')
  local offered
  vim.ui.select = function(items, opts, on_choice)
    offered = {}
    local want = os.getenv('ACTION')
    local choice
    for i, item in ipairs(items) do
      local title = opts.format_item(item)
      offered[#offered + 1] = title
      if not choice and title:find(want, 1, true) then
        choice = i
      end
    end
    on_choice(items[choice], choice)
  end
  local done
  vim.api.nvim_create_autocmd('User', {
    pattern = 'GlmChatDone',
    callback = function(ev)
      done = ev.data
    end,
  })

  T.step('GLM: Explain from the code-action menu')
  vim.api.nvim_win_set_cursor(0, { 2, 4 })
  vim.env.ACTION = 'GLM: Explain'
  vim.lsp.buf.code_action()
  T.wait(function()
    return done
  end, 'the explanation')
  T.R.offered = offered
  T.R.chat = T.lines()
  T.R.chat_is_current = vim.b.glm_chat == true
  T.R.windows = #vim.api.nvim_tabpage_list_wins(0)

  T.step('GLM: Add docstring from the code-action menu')
  vim.cmd('wincmd p')
  T.R.back_in_file = vim.api.nvim_get_current_buf() == buf
  vim.api.nvim_win_set_cursor(0, { 2, 4 })
  vim.env.ACTION = 'GLM: Add docstring'
  vim.lsp.buf.code_action()
  T.wait(function()
    return #T.lines(buf) > 2
  end, 'the docstring edit')
  T.sleep(200)
  T.R.file = T.lines(buf)
end)
