-- With no suggestion shown, the accept key does what it did before: <Tab> inserts a tab, and a
-- mapping the user had on the key (here <C-l>) still runs.
local T = dofile(os.getenv('GLM_TESTS') .. '/harness.lua')

T.run(function()
  vim.keymap.set('i', '<C-l>', function()
    vim.api.nvim_put({ 'LEFT' }, 'c', false, true)
  end, { desc = 'user mapping' })
  T.setup({ inline = { keys = { accept = '<Tab>', accept_word = '<C-l>' } } })
  local buf = T.open('sample.py')
  vim.bo[buf].expandtab = false
  vim.bo[buf].softtabstop = 0
  vim.bo[buf].tabstop = 8
  vim.o.smarttab = false
  T.step('tab falls back')
  vim.api.nvim_win_set_cursor(0, { 2, 0 })
  local t0 = vim.uv.hrtime()
  T.input('0i<Tab><Esc>')
  T.wait(function()
    return vim.api.nvim_get_mode().mode == 'n'
  end, 'normal mode')
  T.R.tab_ms = (vim.uv.hrtime() - t0) / 1e6
  T.R.after_tab = T.lines(buf)
  T.R.ghost_after_tab = T.ghost(buf)
  T.step('previous mapping runs')
  T.input('o<C-l><Esc>')
  T.wait(function()
    return vim.api.nvim_get_mode().mode == 'n'
  end, 'normal mode')
  T.R.after_mapping = T.lines(buf)
  T.R.tab_map = vim.fn.maparg('<Tab>', 'i', false, true).desc
end)
