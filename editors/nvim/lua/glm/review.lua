-- :GlmDiff [file]: a tab with a vertical diff of one file of a proposal. Left: the file as it
-- is now (its buffer, loaded from disk if needed; an empty scratch buffer for a file to
-- create). Right: the proposed text in a read-only scratch buffer (empty for a delete). `]f` /
-- `[f` step through the proposal's files, `q` closes the tab.
local proposals = require('glm.proposals')

local M = {}

local api = vim.api
local counter = 0
local KEYS = { 'q', ']f', '[f' }

---@class glm.Review
---@field proposal glm.Proposal
---@field index integer
---@field tab integer
---@field left integer   window of the current text
---@field right integer  window of the proposed text
---@field saved table<integer, table<string, table>>  file buffers given our keys: their own maps

---@type glm.Review?
M.current = nil

local function split_text(text)
  if not text or text == '' then
    return {}
  end
  local lines = vim.split(text, '\n', { plain = true })
  if lines[#lines] == '' then
    lines[#lines] = nil
  end
  return lines
end

local function scratch(name, lines, path)
  counter = counter + 1
  local bufnr = api.nvim_create_buf(false, true)
  local bo = vim.bo[bufnr]
  bo.buftype, bo.bufhidden, bo.swapfile = 'nofile', 'wipe', false
  api.nvim_buf_set_lines(bufnr, 0, -1, false, lines)
  api.nvim_buf_set_name(bufnr, ('glm://proposal/%d/%s'):format(counter, name))
  bo.modifiable, bo.readonly, bo.modified = false, true, false
  local ft = path and vim.filetype.match({ filename = path })
  if ft then
    bo.filetype = ft
  end
  return bufnr
end

local function map_keys(review, bufnr, scratch_buf)
  if not scratch_buf and not review.saved[bufnr] then
    local saved = {}
    for _, lhs in ipairs(KEYS) do
      local old = vim.fn.maparg(lhs, 'n', false, true)
      saved[lhs] = (old.buffer == 1) and old or false
    end
    review.saved[bufnr] = saved
  end
  local function bmap(lhs, fn, desc)
    vim.keymap.set('n', lhs, fn, { buffer = bufnr, nowait = true, desc = 'glm review: ' .. desc })
  end
  bmap('q', M.close, 'close the diff tab')
  bmap(']f', function()
    M.step(1)
  end, 'next file of the proposal')
  bmap('[f', function()
    M.step(-1)
  end, 'previous file of the proposal')
end

-- Give file buffers back their own mappings of our keys.
local function unmap(review, keep)
  for bufnr, saved in pairs(review.saved) do
    if bufnr ~= keep then
      review.saved[bufnr] = nil
      if api.nvim_buf_is_valid(bufnr) then
        for lhs, old in pairs(saved) do
          pcall(vim.keymap.del, 'n', lhs, { buffer = bufnr })
          if old then
            api.nvim_buf_call(bufnr, function()
              vim.fn.mapset('n', false, old)
            end)
          end
        end
      end
    end
  end
end

local function winbar(review, file)
  local text = ('GLM proposal %d/%d: %s (%s, %s) · ]f next · [f previous · q close'):format(
    review.index,
    #review.proposal.files,
    proposals.label(file),
    file.change,
    file.state
  )
  return text:gsub('%%', '%%%%')
end

local function show(review)
  local file = review.proposal.files[review.index]
  for _, win in ipairs({ review.left, review.right }) do
    api.nvim_win_call(win, function()
      vim.cmd('diffoff')
    end)
  end
  local left
  if file.change == 'create' then
    left = scratch('(new) ' .. file.path, {}, file.path)
    api.nvim_win_set_buf(review.left, left)
  else
    local name = vim.uri_to_fname(file.uri)
    local ok = pcall(api.nvim_win_call, review.left, function()
      vim.cmd.edit(vim.fn.fnameescape(name))
    end)
    if not ok then -- 'nohidden' and a changed buffer in the window: show the file without :edit
      local bufnr = vim.fn.bufadd(name)
      vim.fn.bufload(bufnr)
      vim.bo[bufnr].buflisted = true
      api.nvim_win_set_buf(review.left, bufnr)
    end
    left = api.nvim_win_get_buf(review.left)
  end
  unmap(review, left)
  map_keys(review, left, file.change == 'create')
  local name = file.newPath or file.path
  local right = scratch(name, file.change == 'delete' and {} or split_text(file.text), name)
  api.nvim_win_set_buf(review.right, right)
  map_keys(review, right, true)
  vim.wo[review.right].winbar = winbar(review, file)
  for _, win in ipairs({ review.left, review.right }) do
    api.nvim_win_call(win, function()
      vim.cmd('diffthis')
    end)
  end
  api.nvim_set_current_win(review.right)
  api.nvim_exec_autocmds('User', {
    pattern = 'GlmDiffShown',
    data = { proposalId = review.proposal.id, path = file.path, left = left, right = right },
    modeline = false,
  })
end

---Close the diff tab; file buffers keep their text and get their own mappings back.
function M.close()
  local review = M.current
  if not review then
    return
  end
  M.current = nil
  unmap(review, nil)
  if api.nvim_win_is_valid(review.left) then
    api.nvim_win_call(review.left, function()
      vim.cmd('diffoff')
    end)
  end
  if api.nvim_tabpage_is_valid(review.tab) then
    if #api.nvim_list_tabpages() > 1 then
      vim.cmd.tabclose(api.nvim_tabpage_get_number(review.tab))
    elseif api.nvim_win_is_valid(review.right) then
      api.nvim_win_close(review.right, true)
    end
  end
end

---Show the next (1) or previous (-1) file of the proposal, wrapping around.
function M.step(delta)
  local review = M.current
  if not review then
    return
  end
  local n = #review.proposal.files
  review.index = (review.index - 1 + delta) % n + 1
  show(review)
end

local function any()
  return true
end

---:GlmDiff [file]: the file named, else the current buffer's file when the proposal has it,
---else its first file.
function M.open(arg)
  local p = proposals.target() or proposals.target(any)
  if p then
    return M.open_file(p, arg)
  end
  proposals.with_target(function(q)
    M.open_file(q, arg)
  end, 'no proposal to show (a chat turn that changes files makes one)')
end

---Open the diff tab on a file of `p` (see M.open).
function M.open_file(p, arg)
  if #p.files == 0 then
    return
  end
  local index
  local wanted = arg and arg ~= '' and proposals.file_of(p, arg)
  if arg and arg ~= '' and not wanted then
    local all = table.concat(vim.tbl_map(proposals.label, p.files), ', ')
    vim.notify(('glm: %s is not in the proposal (its files: %s)'):format(arg, all), vim.log.levels.ERROR)
    return
  end
  wanted = wanted or proposals.file_of(p, api.nvim_buf_get_name(0))
  for i, f in ipairs(p.files) do
    if f == wanted then
      index = i
    end
  end
  M.close()
  vim.cmd('tabnew')
  local placeholder = api.nvim_get_current_buf()
  vim.bo[placeholder].bufhidden = 'wipe'
  local review = { proposal = p, index = index or 1, tab = api.nvim_get_current_tabpage(), saved = {} }
  review.left = api.nvim_get_current_win()
  vim.cmd('rightbelow vsplit')
  review.right = api.nvim_get_current_win()
  M.current = review
  api.nvim_create_autocmd('WinClosed', {
    pattern = tostring(review.right),
    once = true,
    callback = function()
      if M.current == review then
        M.current = nil
        unmap(review, nil)
      end
    end,
  })
  show(review)
  return review
end

return M
