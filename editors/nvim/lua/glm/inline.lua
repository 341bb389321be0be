-- Ghost text: ask glm-lsp for `textDocument/inlineCompletion` at every change in insert mode,
-- draw the answer as extmarks, accept all / a word / a line, report acceptance.
-- The server debounces (adapting to the typing rhythm) and answers from what it already
-- suggested while the user types a suggestion's first characters, so the plugin neither
-- waits nor matches typed text itself: it cancels the stale request and asks again.
-- On Neovim 0.12+ `vim.lsp.inline_completion` does the drawing when `inline.native` allows it.
local buffer_feature = require('glm.buffer_feature')
local config = require('glm.config')
local glsp = require('glm.lsp')

local M = {}

local api = vim.api
M.ns = api.nvim_create_namespace('glm.inline')
local group = api.nvim_create_augroup('glm.inline', { clear = true })

local AUTOMATIC, INVOKED = 2, 1

---@class glm.Suggestion
---@field client_id integer
---@field item table        the InlineCompletionItem
---@field text string       what is still to be inserted (the ghost)
---@field row integer       0-based row of the cursor the ghost starts at
---@field col integer       byte column of that cursor
---@field replace_to integer byte column up to which text after the cursor is replaced on the last accept
---@field tick integer      b:changedtick the ghost was drawn for

---@type table<integer, { request: { client: vim.lsp.Client, id: integer }?, asked: string?, sugg: glm.Suggestion?, extmark: integer? }>
local buffers = {}
M.enabled = true

local function state(bufnr)
  local s = buffers[bufnr]
  if not s then
    s = {}
    buffers[bufnr] = s
  end
  return s
end

---True on Neovim 0.12+ when the built-in inline completion is to be used.
function M.native()
  local opt = config.options.inline.native
  return opt ~= false and vim.lsp.inline_completion ~= nil and vim.lsp.inline_completion.get ~= nil
end

local function cursor()
  local pos = api.nvim_win_get_cursor(0)
  return pos[1] - 1, pos[2]
end

local function cancel(bufnr)
  local s = buffers[bufnr]
  if not s then
    return
  end
  s.asked = nil
  if s.request then
    pcall(s.request.client.cancel_request, s.request.client, s.request.id)
    s.request = nil
  end
end

local function undraw(bufnr)
  local s = buffers[bufnr]
  if s and s.extmark then
    pcall(api.nvim_buf_del_extmark, bufnr, M.ns, s.extmark)
    s.extmark = nil
  end
end

---Hide the suggestion and stop any pending request for the buffer.
function M.clear(bufnr)
  bufnr = bufnr or api.nvim_get_current_buf()
  cancel(bufnr)
  undraw(bufnr)
  if buffers[bufnr] then
    buffers[bufnr].sugg = nil
  end
end

local function draw(bufnr)
  local s = state(bufnr)
  undraw(bufnr)
  local sugg = s.sugg
  if not sugg or sugg.text == '' then
    return
  end
  local hl = config.options.inline.hl_group
  local lines = vim.split(sugg.text, '\n', { plain = true })
  local opts = { hl_mode = 'combine', right_gravity = false }
  if lines[1] ~= '' then
    opts.virt_text = { { lines[1], hl } }
    opts.virt_text_pos = 'inline'
  end
  if #lines > 1 then
    opts.virt_lines = {}
    for i = 2, #lines do
      -- a blank virtual line still needs one chunk to take up its row
      opts.virt_lines[#opts.virt_lines + 1] = { { lines[i] == '' and ' ' or lines[i], hl } }
    end
  end
  s.extmark = api.nvim_buf_set_extmark(bufnr, M.ns, sugg.row, sugg.col, opts)
end

local function item_text(item)
  local text = item.insertText
  if type(text) == 'table' then
    text = text.value or ''
    -- snippets: show and insert the plain text; placeholders keep their default
    local ok, parsed = pcall(function()
      return tostring(vim.lsp._snippet_grammar.parse(text))
    end)
    if ok and parsed then
      text = parsed
    end
  end
  return (text or ''):gsub('\r\n', '\n')
end

---Turn an item into the ghost at the cursor, or nil when it does not fit what is typed.
local function to_suggestion(bufnr, client, item)
  local row, col = cursor()
  local line = api.nvim_buf_get_lines(bufnr, row, row + 1, false)[1] or ''
  local text = item_text(item)
  local scol, ecol = col, col
  if item.range then
    local r = item.range
    if r.start.line ~= row or r['end'].line ~= row then
      return nil
    end
    scol = glsp.byte_col(bufnr, r.start, client.offset_encoding)
    ecol = glsp.byte_col(bufnr, r['end'], client.offset_encoding)
    if scol > col or ecol < col then
      return nil
    end
  end
  local typed = line:sub(scol + 1, col)
  if text:sub(1, #typed) ~= typed then
    return nil
  end
  local ghost = text:sub(#typed + 1)
  if ghost == '' then
    return nil
  end
  return {
    client_id = client.id,
    item = item,
    text = ghost,
    row = row,
    col = col,
    replace_to = ecol,
    tick = api.nvim_buf_get_changedtick(bufnr),
  }
end

local function allowed(bufnr)
  local opts = config.options.inline
  return M.enabled
    and opts.enabled
    and vim.b[bufnr].glm_inline ~= false
    and api.nvim_get_mode().mode:sub(1, 1) == 'i'
    and bufnr == api.nvim_get_current_buf()
    and not vim.list_contains(opts.disabled_filetypes, vim.bo[bufnr].filetype)
end

---The text and place a request is made for: b:changedtick, row and column of the cursor.
local function place(bufnr)
  local row, col = cursor()
  return table.concat({ api.nvim_buf_get_changedtick(bufnr), row, col }, ':')
end

---True when the last request was made for the current text and place.
local function asked_here(bufnr)
  local s = buffers[bufnr]
  return s ~= nil and s.asked == place(bufnr)
end

---Ask for a suggestion at the cursor now (`invoked` for a key press, else automatic).
---An automatic request for the text and place already asked about is not sent twice.
function M.request(bufnr, invoked)
  bufnr = bufnr or api.nvim_get_current_buf()
  if not invoked and asked_here(bufnr) then
    return
  end
  local row, col = cursor()
  local tick = api.nvim_buf_get_changedtick(bufnr)
  local here = place(bufnr)
  cancel(bufnr)
  if not allowed(bufnr) then
    return
  end
  local client = glsp.client(bufnr)
  if not client or not client:supports_method('textDocument/inlineCompletion') then
    return
  end
  local params = {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) },
    position = { line = row, character = glsp.lsp_char(bufnr, row, col, client.offset_encoding) },
    context = { triggerKind = invoked and INVOKED or AUTOMATIC },
  }
  local s = state(bufnr)
  local ok, id
  ok, id = client:request('textDocument/inlineCompletion', params, function(err, result)
    if not s.request or s.request.id ~= id then
      return
    end
    s.request = nil
    if err or not result then
      return
    end
    local items = result.items or result
    if type(items) ~= 'table' or not items[1] then
      return
    end
    local r, c = cursor()
    if
      not allowed(bufnr)
      or api.nvim_buf_get_changedtick(bufnr) ~= tick
      or r ~= row
      or c ~= col
    then
      return
    end
    for _, item in ipairs(items) do
      local sugg = to_suggestion(bufnr, client, item)
      if sugg then
        s.sugg = sugg
        draw(bufnr)
        return
      end
    end
  end, bufnr)
  if ok and id then
    s.request = { client = client, id = id }
    s.asked = here
  end
end

---The ghost text still to be inserted in the current buffer, or nil.
---@return string?
function M.suggestion(bufnr)
  local s = buffers[bufnr or api.nvim_get_current_buf()]
  return s and s.sugg and s.sugg.text or nil
end

---True when a suggestion is shown in the current buffer.
function M.visible(bufnr)
  return M.suggestion(bufnr) ~= nil
end

local WORD = '[%w_\128-\255]'

local function next_piece(text, kind)
  if kind == 'all' then
    return text
  end
  if kind == 'line' then
    local rest = text:match('^[^\n]+')
    return rest or text:match('^\n[^\n]*')
  end
  return text:match('^\n[ \t]*')
    or text:match('^[ \t]*' .. WORD .. '+')
    or text:match('^[ \t]*[^%w_\128-\255%s]+')
    or text:match('^%s+')
    or text
end

---Accept the whole suggestion (`all`), its next word (`word`) or its next line (`line`).
---Returns false when nothing is shown.
---@param kind? 'all'|'word'|'line'
---@return boolean
function M.accept(kind)
  local bufnr = api.nvim_get_current_buf()
  local s = buffers[bufnr]
  local sugg = s and s.sugg
  if not sugg then
    return false
  end
  cancel(bufnr)
  local piece = next_piece(sugg.text, kind or 'all')
  local rest = sugg.text:sub(#piece + 1)
  local lines = vim.split(piece, '\n', { plain = true })
  local end_col = rest == '' and math.max(sugg.replace_to, sugg.col) or sugg.col
  api.nvim_buf_set_text(bufnr, sugg.row, sugg.col, sugg.row, end_col, lines)
  local row = sugg.row + #lines - 1
  local col = (#lines == 1 and sugg.col or 0) + #lines[#lines]
  api.nvim_win_set_cursor(0, { row + 1, col })
  if rest == '' then
    undraw(bufnr)
    s.sugg = nil
    local client = vim.lsp.get_client_by_id(sugg.client_id)
    if client and sugg.item.command then
      client:exec_cmd(sugg.item.command, { bufnr = bufnr })
    end
  else
    sugg.replace_to = col + (sugg.replace_to - sugg.col)
    sugg.text, sugg.row, sugg.col = rest, row, col
    sugg.tick = api.nvim_buf_get_changedtick(bufnr)
    draw(bufnr)
  end
  return true
end

---Hide the suggestion. Returns false when nothing was shown.
function M.dismiss()
  local shown = M.visible()
  M.clear()
  return shown
end

-- Any change but our own accept asks again; typing through a suggestion is the server's:
-- it answers with the rest of what it suggested.
local function on_text_changed(bufnr)
  local s = buffers[bufnr]
  local sugg = s and s.sugg
  if sugg and api.nvim_buf_get_changedtick(bufnr) == sugg.tick or asked_here(bufnr) then
    return
  end
  M.clear(bufnr)
  M.request(bufnr)
end

local function on_cursor_moved(bufnr)
  local s = buffers[bufnr]
  if not s then
    return
  end
  if s.sugg and api.nvim_buf_get_changedtick(bufnr) ~= s.sugg.tick then
    return -- a text change: TextChangedI decides
  end
  local row, col = cursor()
  if s.sugg and row == s.sugg.row and col == s.sugg.col or asked_here(bufnr) then
    return
  end
  -- moved without typing: what was shown or asked for no longer fits; ask for this place
  M.clear(bufnr)
  M.request(bufnr)
end

---Start ghost text for a buffer the glm client attached to.
function M.attach(bufnr, client)
  if M.native() then
    pcall(vim.lsp.inline_completion.enable, true, { bufnr = bufnr, client_id = client.id })
    return
  end
  api.nvim_clear_autocmds({ group = group, buffer = bufnr })
  api.nvim_create_autocmd('TextChangedI', {
    group = group,
    buffer = bufnr,
    callback = function(ev)
      on_text_changed(ev.buf)
    end,
  })
  api.nvim_create_autocmd('InsertEnter', {
    group = group,
    buffer = bufnr,
    callback = function(ev)
      -- InsertEnter fires before the mode changes: ask once insert mode is on
      vim.schedule(function()
        if api.nvim_buf_is_valid(ev.buf) then
          M.request(ev.buf)
        end
      end)
    end,
  })
  api.nvim_create_autocmd('CursorMovedI', {
    group = group,
    buffer = bufnr,
    callback = function(ev)
      on_cursor_moved(ev.buf)
    end,
  })
  api.nvim_create_autocmd({ 'InsertLeave', 'BufLeave', 'TextChangedP' }, {
    group = group,
    buffer = bufnr,
    callback = function(ev)
      M.clear(ev.buf)
    end,
  })
  buffer_feature.forget_on_unload(group, bufnr, M, buffers)
end

---Turn ghost text on or off everywhere (`nil` toggles).
function M.set_enabled(on)
  return buffer_feature.set_enabled(M, buffers, on)
end

return M
