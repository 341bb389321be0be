-- :GlmEdit {instruction} on a line range: the server streams the rewrite into the buffer
-- through workspace/applyEdit; the lines outside the range stay as they were.
local T = dofile(os.getenv('GLM_TESTS') .. '/harness.lua')

T.run(function()
  T.setup()
  local buf = T.open('calc.py')
  local done
  vim.api.nvim_create_autocmd('User', {
    pattern = 'GlmEditDone',
    callback = function(ev)
      done = ev.data
    end,
  })
  T.R.before = T.lines(buf)

  T.step(':1,2GlmEdit')
  vim.cmd('1,2GlmEdit add type hints')
  T.wait(function()
    return done
  end, 'the edit to finish')
  T.R.result = done.result
  T.R.error = done.error
  T.R.after = T.lines(buf)
  T.R.modified = vim.bo[buf].modified

  T.step('undo restores the file')
  vim.cmd('silent undo')
  T.R.after_undo = T.lines(buf)
end)
