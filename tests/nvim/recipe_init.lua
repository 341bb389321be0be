-- The runtimepath recipe of editors/nvim/README.md as a user's init.lua: the plugin folder on
-- the runtimepath and setup(), nothing else (no :helptags, no cmd, no PATH change).
vim.g.loaded_python3_provider = 0
vim.opt.swapfile = false
vim.opt.runtimepath:append(os.getenv('GLM_PLUGIN'))
require('glm').setup({
  settings = { provider = 'custom', baseUrl = os.getenv('GLM_BASE_URL'), model = 'glm-4.6' },
})
