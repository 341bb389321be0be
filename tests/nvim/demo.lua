-- Init file for the terminal captures (capture.py): the glm plugin against the loopback
-- endpoint in $GLM_BASE_URL, a statusline with the glm component, nothing else.
vim.g.loaded_python3_provider = 0
vim.g.loaded_node_provider = 0
vim.g.loaded_perl_provider = 0
vim.g.loaded_ruby_provider = 0
vim.opt.runtimepath:prepend(os.getenv('GLM_PLUGIN'))
vim.opt.swapfile = false
vim.opt.shortmess:append('I')
vim.o.number = true
vim.o.laststatus = 2
vim.o.termguicolors = false
vim.o.statusline = "%f %m%=%{v:lua.require'glm'.statusline()} "

require('glm').setup({
  cmd = { os.getenv('GLM_PY'), '-m', 'glm_lsp' },
  settings = { provider = 'custom', baseUrl = os.getenv('GLM_BASE_URL'), model = 'glm-4.6' },
  chat = { width = 0.5 },
})
