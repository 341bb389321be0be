-- A user's init.lua for a terminal Neovim started with a file and no API key (test_nvim_install
-- runs it in a pseudo-terminal): once the server has said it has no key and a message has been
-- shown, wait a second and write what the editor is doing to $RESULT.
vim.g.loaded_python3_provider = 0
vim.g.loaded_node_provider = 0
vim.g.loaded_perl_provider = 0
vim.g.loaded_ruby_provider = 0
vim.opt.swapfile = false
vim.opt.shortmess:append('I')
vim.opt.runtimepath:prepend(os.getenv('GLM_PLUGIN'))

local shown = {}
local notify = vim.notify
vim.notify = function(msg, level, opts)
  shown[#shown + 1] = msg
  return notify(msg, level, opts)
end

require('glm').setup({ cmd = { os.getenv('GLM_PY'), '-m', 'glm_lsp' }, settings = { provider = 'zai' } })

local timer = vim.uv.new_timer()
local since
timer:start(50, 50, vim.schedule_wrap(function()
  local state = require('glm.status').current.state
  if state ~= 'unconfigured' or #shown == 0 then
    return
  end
  since = since or vim.uv.now()
  if vim.uv.now() - since < 1000 then
    return
  end
  timer:stop()
  local screen = {}
  for row = 1, vim.o.lines do
    local chars = {}
    for col = 1, vim.o.columns do
      chars[#chars + 1] = vim.fn.screenstring(row, col)
    end
    screen[#screen + 1] = table.concat(chars)
  end
  local mode = vim.api.nvim_get_mode()
  vim.fn.writefile({ vim.json.encode({ mode = mode.mode, blocking = mode.blocking, messages = shown, screen = screen }) }, os.getenv('RESULT'))
end))
