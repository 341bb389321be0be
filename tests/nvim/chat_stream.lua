-- :GlmChat opens a markdown chat buffer in insert mode under "## You"; a message typed there
-- (no `i` first) and sent with <C-s>
-- streams the answer into the buffer as glm/chat/delta arrives, reasoning in a closed fold.
local T = dofile(os.getenv('GLM_TESTS') .. '/harness.lua')

T.run(function()
  T.setup()
  T.open('sample.py')

  T.step(':GlmChat')
  vim.cmd('GlmChat')
  local chat_buf = vim.api.nvim_get_current_buf()
  T.R.chat_name = vim.api.nvim_buf_get_name(chat_buf)
  T.R.filetype = vim.bo[chat_buf].filetype
  T.R.windows = #vim.api.nvim_tabpage_list_wins(0)
  T.R.initial = T.lines(chat_buf)
  -- :startinsert from a command takes effect once the main loop runs again (late on a busy machine)
  pcall(T.wait, function()
    return vim.api.nvim_get_mode().mode == 'i'
  end, 'insert mode in the chat buffer')
  T.R.cursor_initial = vim.api.nvim_win_get_cursor(0)
  T.R.mode_initial = vim.api.nvim_get_mode().mode

  -- every state the buffer goes through while the answer streams
  local states = {}
  vim.api.nvim_buf_attach(chat_buf, false, {
    on_lines = function()
      vim.schedule(function()
        local text = table.concat(T.lines(chat_buf), '\n')
        if states[#states] ~= text then
          states[#states + 1] = text
        end
      end)
    end,
  })
  local done
  vim.api.nvim_create_autocmd('User', {
    pattern = 'GlmChatDone',
    callback = function(ev)
      done = ev.data
    end,
  })

  T.step('type and send')
  T.input('What does add do?<C-s>')
  T.wait(function()
    return done
  end, 'glm/chat/done')
  T.R.done = done
  T.R.states = states
  T.R.final = T.lines(chat_buf)
  local reasoning_line
  for i, line in ipairs(T.R.final) do
    if line:match('^> ') and not reasoning_line then
      reasoning_line = i
    end
  end
  T.R.reasoning_line = reasoning_line
  T.R.reasoning_folded = reasoning_line and vim.fn.foldclosed(reasoning_line) ~= -1
  T.R.mode = vim.api.nvim_get_mode().mode
  T.R.cursor_final = vim.api.nvim_win_get_cursor(0)
end)
