-- A multi-line suggestion on the blank line of an empty block: the first line shows inline and
-- the rest as virtual lines; leaving insert mode hides it, entering again asks again; typing
-- its first character keeps the rest; accept word, accept line and <Tab> insert it piece by piece.
local T = dofile(os.getenv('GLM_TESTS') .. '/harness.lua')

local function ghost_shown()
  return #T.ghost() > 0
end

T.run(function()
  T.setup()
  local buf = T.open('fib.py')
  T.ready()
  vim.api.nvim_win_set_cursor(0, { 1, 0 })

  T.step('open a line in the empty block')
  T.input('o')
  T.wait(ghost_shown, 'ghost text on the new line')
  T.R.ghost = T.ghost()

  T.step('leaving insert mode hides it')
  T.input('<Esc>')
  T.wait(function()
    return not ghost_shown()
  end, 'ghost gone after <Esc>')

  T.step('entering insert mode asks again')
  T.input('cc')
  T.wait(ghost_shown, 'ghost text after cc')

  T.step('typing through')
  T.input('i')
  T.wait(function()
    local ghost = T.ghost()[1]
    return ghost ~= nil and ghost.col == 5
  end, 'the rest of the suggestion after typing its first character')
  T.R.ghost_after_typing = T.ghost()

  T.step('accept word, word, line, line')
  local pieces = {}
  for _, key in ipairs({ '<M-Right>', '<M-Right>', '<M-Down>', '<M-Down>' }) do
    local before = table.concat(T.lines(buf), '\n')
    T.input(key)
    T.wait(function()
      return table.concat(T.lines(buf), '\n') ~= before
    end, 'a piece accepted with ' .. key)
    pieces[#pieces + 1] = { lines = T.lines(buf), ghost = T.ghost(), cursor = vim.api.nvim_win_get_cursor(0) }
  end
  T.R.pieces = pieces

  T.step('tab accepts the rest')
  T.input('<Tab>')
  T.wait(function()
    return #T.lines(buf) >= 4
  end, 'the rest accepted')
  T.R.lines_after_accept = T.lines(buf)
  T.R.cursor_after_accept = vim.api.nvim_win_get_cursor(0)
  T.input('<Esc>')
end)
