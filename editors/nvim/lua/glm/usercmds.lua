-- User commands of the glm plugin; they load the Lua modules on first use. Defined by
-- plugin/glm.lua at startup and again by setup() (a plugin manager may put the plugin on the
-- runtimepath after startup, when plugin/ files are no longer sourced).
local M = {}

local function cmd(name, fn, opts)
  vim.api.nvim_create_user_command(name, fn, vim.tbl_extend('force', opts, { force = true }))
end

function M.define()

  cmd('GlmChat', function(opts)
    require('glm.chat').command(opts)
  end, { nargs = '*', range = true, bang = true, desc = 'Open the GLM chat (! = new chat); send [message]' })

  cmd('GlmChatList', function()
    require('glm.chat').list()
  end, { desc = 'Pick a stored GLM chat and open it' })

  local function proposal_files(arglead)
    return require('glm.proposals').complete(arglead)
  end

  cmd('GlmApply', function(opts)
    require('glm.proposals').apply({ files = opts.fargs, write = opts.bang })
  end, {
    nargs = '*',
    bang = true,
    complete = proposal_files,
    desc = 'Apply the chat proposal (all files or those named; ! = write them)',
  })

  cmd('GlmDiscard', function()
    require('glm.proposals').discard()
  end, { desc = 'Discard the chat proposal (the files not applied yet)' })

  cmd('GlmUndo', function()
    require('glm.proposals').undo()
  end, { desc = "Undo the chat's last applied changes" })

  cmd('GlmDiff', function(opts)
    require('glm.review').open(opts.args)
  end, { nargs = '?', complete = proposal_files, desc = 'Diff a file of the chat proposal in a new tab' })

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

  cmd('GlmNextEdit', function(opts)
    local arg = opts.args
    local on = require('glm.next_edit').set_enabled(arg == 'on' or (arg ~= 'off' and nil))
    vim.notify('glm: next-edit suggestions ' .. (on and 'on' or 'off'))
  end, {
    nargs = '?',
    complete = function()
      return { 'on', 'off', 'toggle' }
    end,
    desc = 'Turn next-edit suggestions on, off or toggle them',
  })

  cmd('GlmInstall', function(opts)
    require('glm.install').install({ force = opts.bang })
  end, { bang = true, desc = 'Install glm-lsp in a private venv (! = recreate the venv)' })
end

return M
