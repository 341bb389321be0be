-- Headless Neovim smoke test: the glm plugin starts glm-lsp, it attaches to a Python buffer,
-- and glm.status answers through the client. Writes a JSON result to $RESULT.
vim.g.loaded_python3_provider = 0
vim.g.loaded_node_provider = 0
vim.g.loaded_perl_provider = 0
vim.g.loaded_ruby_provider = 0
vim.opt.runtimepath:prepend(os.getenv('GLM_PLUGIN'))

local R = { steps = {} }
local function finish(code, err)
  R.error = err
  vim.fn.writefile({ vim.json.encode(R) }, os.getenv('RESULT'))
  for _, c in ipairs(vim.lsp.get_clients()) do c:stop(true) end
  if code == 0 then vim.cmd('qall!') else vim.cmd('cquit ' .. code) end
end
vim.defer_fn(function() finish(3, 'deadline') end, 30000)

vim.api.nvim_create_autocmd('VimEnter', { nested = true, callback = function()
  local ok, err = pcall(function()
    local glm = require('glm')
    glm.setup({ cmd = { os.getenv('GLM_PY'), '-m', 'glm_lsp' }, settings = { model = 'glm-4.7' } })
    vim.cmd.edit(os.getenv('GLM_WS') .. '/sample.py')
    R.filetype = vim.bo.filetype
    local attached = vim.wait(15000, function() return glm.client() ~= nil and glm.client().initialized end, 20)
    assert(attached, 'glm-lsp did not attach')
    R.attached = true
    local done, result, cmd_err
    glm.exec('glm.status', {}, function(e, res) done, result, cmd_err = true, res, e end)
    assert(vim.wait(10000, function() return done end, 10), 'glm.status did not answer')
    R.status = result
    R.status_error = cmd_err
    R.capabilities = glm.client().server_capabilities.executeCommandProvider
  end)
  if ok then finish(0) else finish(1, tostring(err)) end
end })
