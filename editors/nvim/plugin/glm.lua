-- User commands of the glm plugin; they load the Lua modules on first use.
-- The server starts only after require('glm').setup().
if vim.g.loaded_glm then
  return
end
vim.g.loaded_glm = true

local cmd = vim.api.nvim_create_user_command

cmd('GlmChat', function(opts)
  require('glm.chat').command(opts)
end, { nargs = '*', range = true, bang = true, desc = 'Open the GLM chat (! = new chat); send [message]' })

cmd('GlmChatList', function()
  require('glm.chat').list()
end, { desc = 'Pick a stored GLM chat and open it' })

cmd('GlmExplain', function(opts)
  require('glm.commands').explain_command(opts)
end, { range = true, desc = 'Explain the lines in a GLM chat' })

cmd('GlmEdit', function(opts)
  require('glm.commands').edit_command(opts)
end, { nargs = '*', range = true, desc = 'Rewrite the lines following {instruction}' })

cmd('GlmCancel', function()
  require('glm.commands').cancel()
end, { desc = 'Stop running GLM edits, chat answers and suggestions' })

cmd('GlmStatus', function()
  require('glm.commands').status()
end, { desc = 'Show glm-lsp status, settings and usage' })

cmd('GlmInline', function(opts)
  local arg = opts.args
  local on = require('glm.inline').set_enabled(arg == 'on' or (arg ~= 'off' and nil))
  vim.notify('glm: ghost text ' .. (on and 'on' or 'off'))
end, {
  nargs = '?',
  complete = function()
    return { 'on', 'off', 'toggle' }
  end,
  desc = 'Turn ghost text on, off or toggle it',
})
