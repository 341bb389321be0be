-- What lazy.nvim does with the spec of editors/nvim/README.md when it installs the plugin
-- headless (`nvim --headless "+Lazy! sync" +qa`), minus the git clone CI cannot make: the spec
-- is read from the README itself, `dir` is this repository, its `config` runs (lazy loads the
-- plugin before a ":" build), then the build command runs through nvim_cmd with its output
-- captured, as lazy's build task calls it. Writes { output, error } to $RESULT and quits.
vim.g.loaded_python3_provider = 0
vim.opt.swapfile = false

local function readme_spec()
  local readme = table.concat(vim.fn.readfile(os.getenv('GLM_PLUGIN') .. '/README.md'), '\n')
  local after = readme:match('%*%*lazy%.nvim%*%*.-```lua\n(.-)\n```')
  return assert(loadstring('return ' .. after))()
end

vim.api.nvim_create_autocmd('VimEnter', {
  callback = function()
    local result = {}
    local ok, err = pcall(function()
      local spec = readme_spec()
      result.url = spec[1]
      result.build = spec.build
      local plugin = vim.tbl_extend('force', spec, { dir = vim.fs.dirname(vim.fs.dirname(os.getenv('GLM_PLUGIN'))) })
      spec.config(plugin, {})
      local cmd = vim.api.nvim_parse_cmd(spec.build:sub(2), {})
      result.output = vim.api.nvim_cmd(cmd, { output = true })
      result.venv_server = require('glm.install').installed_server()
    end)
    result.error = not ok and tostring(err) or nil
    vim.fn.writefile({ vim.json.encode(result) }, os.getenv('RESULT'))
    vim.cmd('qall!')
  end,
})
