-- The statusline component follows glm/status; :GlmStatus shows the server's report;
-- :help glm finds the plugin's help once its tags are built.
local T = dofile(os.getenv('GLM_TESTS') .. '/harness.lua')

T.run(function()
  local provider = os.getenv('STATUS_PROVIDER')
  local glm = T.setup({ settings = provider and { provider = provider } or nil })
  T.R.before_start = glm.statusline()
  local events = {}
  vim.api.nvim_create_autocmd('User', {
    pattern = 'GlmStatus',
    callback = function(ev)
      events[#events + 1] = ev.data.state
    end,
  })
  T.open('sample.py')
  T.wait(function()
    return #events > 0
  end, 'a glm/status notification')
  T.R.events = events
  T.R.statusline = glm.statusline()
  vim.o.statusline = "%f %{v:lua.require'glm'.statusline()}"
  T.R.rendered = vim.api.nvim_eval_statusline(vim.o.statusline, {}).str

  T.step(':GlmStatus')
  local n = #T.R.messages
  vim.cmd('GlmStatus')
  -- the server's "no API key" message may still arrive meanwhile: take the report itself
  T.R.report = T.wait(function()
    for i = n + 1, #T.R.messages do
      if T.R.messages[i].msg:find('provider:', 1, true) then
        return T.R.messages[i].msg
      end
    end
  end, 'the :GlmStatus report')

  T.step(':help glm')
  local doc = vim.fn.tempname()
  vim.fn.mkdir(doc .. '/doc', 'p')
  vim.fn.writefile(vim.fn.readfile(os.getenv('GLM_PLUGIN') .. '/doc/glm.txt'), doc .. '/doc/glm.txt')
  vim.cmd('helptags ' .. doc .. '/doc')
  vim.opt.runtimepath:append(doc)
  vim.cmd('help glm-ghost-text')
  T.R.help_file = vim.fn.expand('%:t')
  T.R.help_line = vim.api.nvim_get_current_line()
end)
