-- Next-edit suggestions: after a pause in editing ask glm-lsp (`glm/nextEdit`) for the edit
-- that follows from the last ones, preview it with extmarks (the text it removes highlighted,
-- the text it adds as virtual text or virtual lines), jump to it and accept it with a key
-- (lua/glm/keys.lua), and drop it when the text changes or the cursor moves away.
-- The server waits for the pause (adapting to the typing rhythm, as for ghost text): the
-- plugin only coalesces the events of one change, cancels the stale request and asks again.
local buffer_feature = require('glm.buffer_feature')
local config = require('glm.config')
local glsp = require('glm.lsp')

local M = {}

local api = vim.api
M.ns = api.nvim_create_namespace('glm.next_edit')
M.method = 'glm/nextEdit'
local group = api.nvim_create_augroup('glm.next_edit', { clear = true })

-- The events of one change (TextChangedI, CursorMovedI, InsertLeave, TextChanged) arrive
-- within a few milliseconds; one request is sent for all of them.
local COALESCE_MS = 20
local METHOD_NOT_FOUND = -32601

---@class glm.NextEdit
---@field client_id integer
---@field edit table         the edit as received: { range, text, textDocument, command? }
---@field text string        its new text (line breaks as \n; see clamp())
---@field tick integer       b:changedtick the preview was drawn for
---@field version integer    the document version of the edit
---@field srow integer       0-based start row of the replaced range
---@field scol integer       byte column of its start
---@field erow integer       0-based end row
---@field ecol integer       byte column of its end
---@field top integer        first row the preview covers
---@field bottom integer     last row the preview covers
---@field origin integer     row of the cursor when the preview was drawn (or jumped to)

---@type table<integer, { timer: uv.uv_timer_t?, request: { client: vim.lsp.Client, id: integer }?, asked: integer?, sugg: glm.NextEdit? }>
local buffers = {}
---@type table<integer, boolean> clients whose server does not answer glm/nextEdit
local unsupported = {}
M.enabled = true

local function state(bufnr)
  local s = buffers[bufnr]
  if not s then
    s = {}
    buffers[bufnr] = s
  end
  return s
end

local function options()
  return config.options.next_edit or {}
end

local function cursor()
  local pos = api.nvim_win_get_cursor(0)
  return pos[1] - 1, pos[2]
end

---The document version Neovim sent the server last (b:changedtick once changed).
local function version(bufnr)
  return vim.lsp.util.buf_versions[bufnr] or api.nvim_buf_get_changedtick(bufnr)
end

local function server_enabled()
  local settings = config.options.settings or {}
  return not (type(settings.nextEdit) == 'table' and settings.nextEdit.enabled == false)
end

local function allowed(bufnr)
  local opts = options()
  return M.enabled
    and opts.enabled
    and server_enabled()
    and vim.b[bufnr].glm_next_edit ~= false
    and api.nvim_buf_is_valid(bufnr)
    and bufnr == api.nvim_get_current_buf()
    and vim.bo[bufnr].buftype == ''
    and not vim.list_contains(opts.disabled_filetypes or {}, vim.bo[bufnr].filetype)
end

local function stop_timer(s)
  if s.timer then
    s.timer:stop()
    s.timer:close()
    s.timer = nil
  end
end

local function cancel(bufnr)
  local s = buffers[bufnr]
  if not s then
    return
  end
  stop_timer(s)
  if s.request then
    pcall(s.request.client.cancel_request, s.request.client, s.request.id)
    s.request = nil
  end
end

local function undraw(bufnr)
  if api.nvim_buf_is_valid(bufnr) then
    api.nvim_buf_clear_namespace(bufnr, M.ns, 0, -1)
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

local function get_line(bufnr, row)
  return api.nvim_buf_get_lines(bufnr, row, row + 1, false)[1] or ''
end

local function virt_lines(lines, hl)
  local out = {}
  for _, line in ipairs(lines) do
    -- a blank virtual line still needs one chunk to take up its row
    out[#out + 1] = { { line == '' and ' ' or line, hl } }
  end
  return out
end

-- A one-line edit: the removed text highlighted, the new text inline right after it.
local function draw_inline(bufnr, sugg, text)
  if sugg.ecol > sugg.scol then
    api.nvim_buf_set_extmark(bufnr, M.ns, sugg.srow, sugg.scol, {
      end_row = sugg.erow,
      end_col = sugg.ecol,
      hl_group = 'GlmNextEditDelete',
    })
  end
  if text ~= '' then
    api.nvim_buf_set_extmark(bufnr, M.ns, sugg.erow, sugg.ecol, {
      virt_text = { { text, 'GlmNextEditAdd' } },
      virt_text_pos = 'inline',
    })
  end
  sugg.top, sugg.bottom = sugg.srow, sugg.erow
end

-- An edit over lines: the lines it changes highlighted as removed, the lines they become shown
-- as virtual lines below them (lines the edit leaves as they are are not repeated).
local function draw_lines(bufnr, sugg, text)
  local old = api.nvim_buf_get_lines(bufnr, sugg.srow, sugg.erow + 1, false)
  local new = vim.split(text, '\n', { plain = true })
  new[1] = (old[1] or ''):sub(1, sugg.scol) .. new[1]
  new[#new] = new[#new] .. (old[#old] or ''):sub(sugg.ecol + 1)
  local head = 0
  while head < #old and head < #new and old[head + 1] == new[head + 1] do
    head = head + 1
  end
  local tail = 0
  while
    tail < #old - head
    and tail < #new - head
    and old[#old - tail] == new[#new - tail]
  do
    tail = tail + 1
  end
  local first, last = sugg.srow + head, sugg.erow - tail -- removed rows (none when first > last)
  if first <= last then
    api.nvim_buf_set_extmark(bufnr, M.ns, first, 0, {
      end_row = last,
      end_col = #get_line(bufnr, last),
      hl_group = 'GlmNextEditDelete',
      hl_eol = true,
    })
  end
  local added = vim.list_slice(new, head + 1, #new - tail)
  local anchor = math.max(first <= last and last or first - 1, 0)
  if #added > 0 then
    api.nvim_buf_set_extmark(bufnr, M.ns, anchor, 0, {
      virt_lines = virt_lines(added, 'GlmNextEditAdd'),
      virt_lines_above = first > last and first == 0,
    })
  end
  sugg.top, sugg.bottom = math.min(first, anchor), math.max(last, anchor)
end

local function draw(bufnr, sugg)
  undraw(bufnr)
  local text = sugg.text
  if sugg.srow == sugg.erow and not text:find('\n', 1, true) then
    draw_inline(bufnr, sugg, text)
  else
    draw_lines(bufnr, sugg, text)
  end
end

-- A position past the last line (the end of a document whose last line ends in a newline)
-- has no place in Neovim's lines: rewrite the edit to the same change of the buffer's lines,
-- ending at the end of the last line. Returns nil when nothing is left to change.
local function clamp(bufnr, s, e, text)
  local count = api.nvim_buf_line_count(bufnr)
  if not e.line then
    return s, e, text
  end
  local last = { count - 1, #get_line(bufnr, count - 1) }
  local past = s.line ~= nil
  e = last
  if text:sub(-1) == '\n' then
    text = text:sub(1, -2)
    if past then
      s, text = last, '\n' .. text
    end
  elseif text == '' then
    if past then
      return nil
    end
    if s[2] == 0 and s[1] > 0 then
      s = { s[1] - 1, #get_line(bufnr, s[1] - 1) } -- the lines go with the newline before them
    end
  elseif past then
    s, text = last, '\n' .. text
  end
  return s, e, text
end

---The suggestion for the edit, or nil when it does not fit the buffer as it is now.
local function to_suggestion(bufnr, client, edit, tick)
  if type(edit) ~= 'table' or type(edit.range) ~= 'table' or type(edit.text) ~= 'string' then
    return nil
  end
  local doc = edit.textDocument or {}
  if doc.uri and doc.uri ~= vim.uri_from_bufnr(bufnr) then
    return nil
  end
  if doc.version ~= nil and doc.version ~= version(bufnr) then
    return nil
  end
  local r, enc = edit.range, client.offset_encoding
  if r['end'].line < r.start.line then
    return nil
  end
  -- byte positions { row, col } for rows in the buffer, { line = n } past its last line
  local function at(p)
    if p.line >= api.nvim_buf_line_count(bufnr) then
      return { line = p.line }
    end
    return { p.line, glsp.byte_col(bufnr, p, enc) }
  end
  local s, e, text = clamp(bufnr, at(r.start), at(r['end']), (edit.text:gsub('\r\n?', '\n')))
  if not s or s[1] == nil or (s[1] == e[1] and e[2] < s[2]) then
    return nil
  end
  local old = table.concat(api.nvim_buf_get_text(bufnr, s[1], s[2], e[1], e[2], {}), '\n')
  if old == text then
    return nil
  end
  return {
    client_id = client.id,
    edit = edit,
    text = text,
    tick = tick,
    version = doc.version or version(bufnr),
    srow = s[1],
    scol = s[2],
    erow = e[1],
    ecol = e[2],
  }
end

---Ask for the next edit at the cursor now. The text already asked about (b:changedtick) is
---not asked about again (unless `force`): leaving insert mode after typing, or moving the
---cursor, keeps the request or suggestion made for that text.
function M.request(bufnr, force)
  bufnr = bufnr or api.nvim_get_current_buf()
  if not allowed(bufnr) then
    return
  end
  local here = api.nvim_buf_get_changedtick(bufnr)
  local s = state(bufnr)
  if not force and s.asked == here then
    return
  end
  cancel(bufnr)
  local client = glsp.client(bufnr)
  if not client or unsupported[client.id] then
    return
  end
  local row, col = cursor()
  local tick = api.nvim_buf_get_changedtick(bufnr)
  local params = {
    textDocument = { uri = vim.uri_from_bufnr(bufnr), version = version(bufnr) },
    position = { line = row, character = glsp.lsp_char(bufnr, row, col, client.offset_encoding) },
  }
  local ok, id
  ok, id = client:request(M.method, params, function(err, result)
    if not s.request or s.request.id ~= id then
      return
    end
    s.request = nil
    if err then
      if err.code == METHOD_NOT_FOUND then
        unsupported[client.id] = true
      end
      return
    end
    if
      type(result) ~= 'table'
      or not allowed(bufnr)
      or api.nvim_buf_get_changedtick(bufnr) ~= tick
    then
      return
    end
    for _, edit in ipairs(result.edits or {}) do
      local sugg = to_suggestion(bufnr, client, edit, tick)
      if sugg then
        sugg.origin = cursor()
        s.sugg = sugg
        if not pcall(draw, bufnr, sugg) then -- an edit the buffer cannot show: drop it
          M.clear(bufnr)
          return
        end
        api.nvim_exec_autocmds('User', {
          pattern = 'GlmNextEditShown',
          modeline = false,
          data = { bufnr = bufnr, edit = sugg.edit },
        })
        return
      end
    end
  end, bufnr)
  if ok and id then
    s.request = { client = client, id = id }
    s.asked = here
  end
end

---Ask once the events of the current change are in.
local function schedule(bufnr)
  if not allowed(bufnr) then
    return
  end
  local s = state(bufnr)
  stop_timer(s)
  s.timer = vim.uv.new_timer()
  s.timer:start(
    COALESCE_MS,
    0,
    vim.schedule_wrap(function()
      stop_timer(s)
      if api.nvim_buf_is_valid(bufnr) then
        M.request(bufnr)
      end
    end)
  )
end

---The suggested edit shown in a buffer (current by default): `{ range, text, textDocument,
---command? }`, or nil.
function M.suggestion(bufnr)
  local s = buffers[bufnr or api.nvim_get_current_buf()]
  return s and s.sugg and s.sugg.edit or nil
end

---True when the suggestion still fits the buffer: nothing changed since it was drawn.
local function fresh(bufnr, sugg)
  return api.nvim_buf_get_changedtick(bufnr) == sugg.tick and version(bufnr) == sugg.version
end

---True when a suggestion is shown in the buffer (current by default) for its text as it is
---(a change typed ahead of the key, before TextChanged ran, makes it stale).
function M.visible(bufnr)
  bufnr = bufnr or api.nvim_get_current_buf()
  local s = buffers[bufnr]
  return s ~= nil and s.sugg ~= nil and fresh(bufnr, s.sugg)
end

---The suggestion shown in `bufnr`, or nil; a stale one (drawn for another text) is cleared.
local function current(bufnr)
  local s = buffers[bufnr]
  local sugg = s and s.sugg
  if sugg and not fresh(bufnr, sugg) then
    M.clear(bufnr)
    return nil
  end
  return sugg
end

---True when the cursor is on the lines the suggestion changes.
local function at_suggestion(sugg)
  local row = cursor()
  return row >= sugg.srow and row <= math.max(sugg.erow, sugg.srow)
end

---Move the cursor to the start of the suggested edit. Returns false when nothing is shown.
function M.jump()
  local bufnr = api.nvim_get_current_buf()
  local sugg = current(bufnr)
  if not sugg then
    return false
  end
  sugg.origin = sugg.srow
  vim.cmd("normal! m'") -- <C-o> goes back
  api.nvim_win_set_cursor(0, { sugg.srow + 1, sugg.scol })
  return true
end

---Apply the suggested edit, tell the server (the item's command) and ask for the next one.
---A suggestion drawn for another text is dropped, never applied. Returns false when nothing
---was applied.
function M.accept()
  local bufnr = api.nvim_get_current_buf()
  local sugg = current(bufnr)
  if not sugg then
    return false
  end
  local client = vim.lsp.get_client_by_id(sugg.client_id)
  if not client then
    M.clear(bufnr)
    return false
  end
  M.clear(bufnr)
  local edit, enc = sugg.edit, client.offset_encoding
  local range = {
    start = { line = sugg.srow, character = glsp.lsp_char(bufnr, sugg.srow, sugg.scol, enc) },
    ['end'] = { line = sugg.erow, character = glsp.lsp_char(bufnr, sugg.erow, sugg.ecol, enc) },
  }
  vim.lsp.util.apply_text_edits({ { range = range, newText = sugg.text } }, bufnr, enc)
  local lines = vim.split(sugg.text, '\n', { plain = true })
  local row = sugg.srow + #lines - 1
  local col = (#lines == 1 and sugg.scol or 0) + #lines[#lines]
  if api.nvim_get_mode().mode:sub(1, 1) ~= 'i' and #lines[#lines] > 0 then
    col = col - 1 -- normal mode: on the last character of the new text
  end
  pcall(api.nvim_win_set_cursor, 0, { row + 1, col })
  if edit.command then
    client:exec_cmd(edit.command, { bufnr = bufnr })
  end
  api.nvim_exec_autocmds('User', {
    pattern = 'GlmNextEditAccepted',
    modeline = false,
    data = { bufnr = bufnr, edit = edit },
  })
  return true
end

---The accept key: jump to the suggestion when the cursor is away from it, else accept it.
---Returns false when nothing is shown.
function M.jump_or_accept()
  local bufnr = api.nvim_get_current_buf()
  local s = buffers[bufnr]
  local sugg = s and s.sugg
  if not sugg then
    return false
  end
  if at_suggestion(sugg) then
    return M.accept()
  end
  return M.jump()
end

---Hide the suggestion. Returns false when nothing was shown.
function M.dismiss()
  local shown = M.visible()
  M.clear()
  return shown
end

-- Any change drops what is shown (it was for the old text) and asks again after the pause.
local function on_text_changed(bufnr)
  local s = buffers[bufnr]
  if s and s.sugg and not fresh(bufnr, s.sugg) then
    M.clear(bufnr)
  end
  schedule(bufnr)
end

-- The preview stays while the cursor moves between where it was and the suggestion; moving
-- beyond drops it.
local function on_cursor_moved(bufnr)
  local s = buffers[bufnr]
  local sugg = s and s.sugg
  if not sugg or not fresh(bufnr, sugg) then
    return -- a text change: TextChanged decides
  end
  local row = cursor()
  if row < math.min(sugg.origin, sugg.top) or row > math.max(sugg.origin, sugg.bottom) then
    M.clear(bufnr)
  end
end

---Start next-edit suggestions for a buffer the glm client attached to.
function M.attach(bufnr)
  api.nvim_clear_autocmds({ group = group, buffer = bufnr })
  api.nvim_create_autocmd({ 'TextChanged', 'TextChangedI' }, {
    group = group,
    buffer = bufnr,
    callback = function(ev)
      on_text_changed(ev.buf)
    end,
  })
  api.nvim_create_autocmd('InsertLeave', {
    group = group,
    buffer = bufnr,
    callback = function(ev)
      schedule(ev.buf)
    end,
  })
  api.nvim_create_autocmd({ 'CursorMoved', 'CursorMovedI' }, {
    group = group,
    buffer = bufnr,
    callback = function(ev)
      on_cursor_moved(ev.buf)
    end,
  })
  api.nvim_create_autocmd('BufLeave', {
    group = group,
    buffer = bufnr,
    callback = function(ev)
      M.clear(ev.buf)
    end,
  })
  buffer_feature.forget_on_unload(group, bufnr, M, buffers)
end

---Turn next-edit suggestions on or off everywhere (`nil` toggles).
function M.set_enabled(on)
  return buffer_feature.set_enabled(M, buffers, on)
end

return M
