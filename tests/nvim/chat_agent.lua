-- A chat turn whose model asks for diagnostics (get_diagnostics): the server asks Neovim
-- (glm/diagnostics), which answers with vim.diagnostic.get of the loaded buffer; the turn's
-- glm/chat/progress shows after its heading and in the statusline, and goes at done.
local T = dofile(os.getenv('GLM_TESTS') .. '/harness.lua')

T.run(function()
  T.setup()
  local file_buf = T.open('sample.py')
  local lint = vim.api.nvim_create_namespace('test_linter')
  vim.diagnostic.set(lint, file_buf, {
    {
      lnum = 1,
      col = 18, -- the `b` of "    return 'é' + b" (byte 18; character 17 in UTF-16)
      end_lnum = 1,
      end_col = 19,
      severity = vim.diagnostic.severity.WARN,
      message = 'a + b may overflow',
      source = 'testlint',
      code = 'W42',
    },
  })

  local progress, done = {}, nil
  local chat_buf
  vim.api.nvim_create_autocmd('User', {
    pattern = 'GlmChatProgress',
    callback = function(ev)
      progress[#progress + 1] = {
        params = ev.data,
        shown = chat_buf and require('glm.progress').shown(chat_buf) or '',
        statusline = require('glm').statusline(),
      }
    end,
  })
  vim.api.nvim_create_autocmd('User', {
    pattern = 'GlmChatDone',
    callback = function(ev)
      done = ev.data
    end,
  })
  T.step(':GlmChat')
  vim.cmd('GlmChat check the problems')
  chat_buf = vim.api.nvim_get_current_buf()
  T.wait(function()
    return done
  end, 'glm/chat/done')
  T.R.done = done
  T.R.progress = progress
  T.R.shown_after_done = require('glm.progress').shown(chat_buf)
  T.R.statusline_after_done = require('glm').statusline()
  T.R.chat = T.lines(chat_buf)

  T.step('the glm/diagnostics answer itself')
  local client = require('glm').client(file_buf)
  T.R.encoding = client.offset_encoding
  local ws = os.getenv('GLM_WS')
  T.R.answer = require('glm.diagnostics').on_request(nil, {
    uris = { vim.uri_from_fname(ws .. '/sample.py'), vim.uri_from_fname(ws .. '/other.py') },
  }, { client_id = client.id })
end)
