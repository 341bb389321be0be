-- Chat buffers: markdown, one per chat, streaming `glm/chat/delta` as it arrives.
-- Layout of a buffer:
--   ## You            the user's message (typed under the last "## You")
--   ## GLM            the answer; reasoning goes under "### Reasoning" as a folded quote
local config = require('glm.config')
local glsp = require('glm.lsp')

local M = {}

local api = vim.api
local YOU, GLM, REASONING = '## You', '## GLM', '### Reasoning'

---@class glm.Chat
---@field bufnr integer
---@field id string?          chatId once the server named it
---@field turn string?        the turn being streamed
---@field waiting boolean     a send/explain is waiting for its {chatId, turnId}
---@field section string?     'reasoning' | 'content' while a turn streams
---@field source integer?     the file buffer the chat was opened from
---@field cancel_wanted boolean

---@type glm.Chat[]
M.chats = {}
---@type table<string, glm.Chat>
local by_id = {}
---@type table<string, { method: string, params: table }[]>
local pending = {}
local counter = 0

local function valid(chat)
  return chat and api.nvim_buf_is_valid(chat.bufnr)
end

---The chat shown in the current window, else the most recent one.
---@return glm.Chat?
function M.current()
  local bufnr = api.nvim_get_current_buf()
  for _, chat in ipairs(M.chats) do
    if chat.bufnr == bufnr then
      return chat
    end
  end
  for i = #M.chats, 1, -1 do
    if valid(M.chats[i]) then
      return M.chats[i]
    end
  end
end

---Fold expression for chat windows: reasoning sections fold.
function M.foldexpr(lnum)
  local line = vim.fn.getline(lnum or vim.v.lnum)
  if line == REASONING then
    return '>1'
  end
  if line:sub(1, 1) == '>' then
    return '='
  end
  return '0'
end

local function last_line(bufnr)
  local n = api.nvim_buf_line_count(bufnr)
  return n - 1, api.nvim_buf_get_lines(bufnr, n - 1, n, false)[1] or ''
end

---Append text at the end of the buffer; new lines start with `prefix`.
local function write(bufnr, text, prefix)
  prefix = prefix or ''
  local lines = vim.split(text, '\n', { plain = true })
  for i = 2, #lines do
    lines[i] = prefix .. lines[i]
  end
  local row, line = last_line(bufnr)
  api.nvim_buf_set_text(bufnr, row, #line, row, #line, lines)
end

local function add_lines(bufnr, lines)
  local row, line = last_line(bufnr)
  if line == '' and row > 0 then
    api.nvim_buf_set_lines(bufnr, row, row + 1, false, lines)
  else
    api.nvim_buf_set_lines(bufnr, -1, -1, false, lines)
  end
end

-- Windows whose cursor is on the last line: they keep following the answer as it grows.
local function at_bottom(chat)
  local wins = {}
  local last = api.nvim_buf_line_count(chat.bufnr)
  for _, win in ipairs(vim.fn.win_findbuf(chat.bufnr)) do
    if api.nvim_win_get_cursor(win)[1] >= last - 1 then
      wins[#wins + 1] = win
    end
  end
  return wins
end

local function follow(chat, wins)
  local insert = api.nvim_get_mode().mode:sub(1, 1) == 'i'
  for _, win in ipairs(wins or vim.fn.win_findbuf(chat.bufnr)) do
    if api.nvim_win_is_valid(win) and not (insert and api.nvim_get_current_win() == win) then
      api.nvim_win_set_cursor(win, { api.nvim_buf_line_count(chat.bufnr), 0 })
    end
  end
end

local function size(value, total)
  return value > 1 and math.floor(value) or math.floor(total * value)
end

local function open_window(bufnr)
  local wins = vim.fn.win_findbuf(bufnr)
  if wins[1] then
    api.nvim_set_current_win(wins[1])
    return wins[1]
  end
  local opts = config.options.chat
  local win
  if opts.layout == 'float' then
    local width, height = size(opts.width, vim.o.columns), size(opts.height, vim.o.lines)
    win = api.nvim_open_win(bufnr, true, {
      relative = 'editor',
      width = width,
      height = height,
      row = math.floor((vim.o.lines - height) / 2),
      col = math.floor((vim.o.columns - width) / 2),
      border = 'rounded',
      title = ' GLM chat ',
      title_pos = 'center',
    })
  else
    if opts.layout == 'tab' then
      vim.cmd('tab split')
    elseif opts.layout == 'split' then
      vim.cmd(('botright %dsplit'):format(math.floor(size(opts.height, vim.o.lines) / 2)))
    else
      vim.cmd(('vertical botright %dsplit'):format(size(opts.width, vim.o.columns)))
    end
    win = api.nvim_get_current_win()
    api.nvim_win_set_buf(win, bufnr)
  end
  local wo = vim.wo[win]
  wo.wrap, wo.linebreak, wo.number, wo.relativenumber = true, true, false, false
  if opts.fold_reasoning then
    wo.foldmethod = 'expr'
    wo.foldexpr = "v:lua.require'glm.chat'.foldexpr()"
    wo.foldlevel = 0
    wo.foldenable = true
  end
  return win
end

local function set_keys(chat)
  local keys = config.options.chat.keys
  local function bmap(mode, lhs, fn, desc)
    if lhs and lhs ~= '' then
      vim.keymap.set(mode, lhs, fn, { buffer = chat.bufnr, desc = 'glm chat: ' .. desc })
    end
  end
  bmap('n', keys.send, function()
    M.send(chat)
  end, 'send message')
  bmap('i', keys.send_insert, function()
    M.send(chat)
  end, 'send message')
  bmap('n', keys.cancel, function()
    M.cancel(chat)
  end, 'stop the answer')
  bmap('n', keys.close, '<Cmd>close<CR>', 'close window')
end

---A new chat buffer (not shown yet).
---@return glm.Chat
function M.new(source)
  counter = counter + 1
  local bufnr = api.nvim_create_buf(true, true)
  api.nvim_buf_set_name(bufnr, ('glm://chat/%d'):format(counter))
  local bo = vim.bo[bufnr]
  bo.buftype, bo.bufhidden, bo.swapfile = 'nofile', 'hide', false
  bo.filetype = 'markdown'
  api.nvim_buf_set_lines(bufnr, 0, -1, false, { YOU, '' })
  local chat = { bufnr = bufnr, waiting = false, cancel_wanted = false, source = source }
  M.chats[#M.chats + 1] = chat
  vim.b[bufnr].glm_chat = true
  set_keys(chat)
  return chat
end

---Show a chat in a window and put the cursor where the next message is typed.
function M.show(chat)
  local win = open_window(chat.bufnr)
  if not chat.turn and not chat.waiting then
    api.nvim_win_set_cursor(win, { api.nvim_buf_line_count(chat.bufnr), 0 })
  end
  return win
end

---The text typed under the last "## You".
local function typed_message(chat)
  local lines = api.nvim_buf_get_lines(chat.bufnr, 0, -1, false)
  local start
  for i = #lines, 1, -1 do
    if lines[i] == YOU then
      start = i
      break
    end
  end
  if not start then
    return nil
  end
  return vim.trim(table.concat(lines, '\n', start + 1))
end

local function flush_pending(chat)
  local queued = chat.id and pending[chat.id]
  if queued then
    pending[chat.id] = nil
    for _, note in ipairs(queued) do
      M['on_' .. note.method](nil, note.params)
    end
  end
end

local someone_waiting

-- Notifications held back while a send was waiting, for chats that turned out not to be ours.
local function replay_orphans()
  if someone_waiting() then
    return
  end
  local orphans = pending
  pending = {}
  for _, list in pairs(orphans) do
    for _, note in ipairs(list) do
      M['on_' .. note.method](nil, note.params)
    end
  end
end

---Start a turn: `glm.explain` or `glm.chat.send`; the buffer already shows the question.
local function start_turn(chat, command, argument)
  chat.waiting, chat.section, chat.cancel_wanted = true, nil, false
  add_lines(chat.bufnr, { '', GLM, '' })
  for _, win in ipairs(vim.fn.win_findbuf(chat.bufnr)) do
    api.nvim_win_set_cursor(win, { api.nvim_buf_line_count(chat.bufnr), 0 })
  end
  glsp.command(command, argument, function(err, result)
    chat.waiting = false
    if err or type(result) ~= 'table' or not result.chatId then
      M.on_done(nil, { chatId = chat.id, turnId = chat.turn, error = { message = err and err.message or 'no answer' } }, chat)
      return
    end
    if chat.id and chat.id ~= result.chatId then
      by_id[chat.id] = nil
    end
    chat.id, chat.turn = result.chatId, result.turnId
    by_id[chat.id] = chat
    if chat.cancel_wanted then
      M.cancel(chat)
    end
    flush_pending(chat)
    replay_orphans()
  end, { bufnr = chat.source, any = true })
end

---Send what is typed under the last "## You".
function M.send(chat, range)
  chat = chat or M.current()
  if not valid(chat) then
    return
  end
  if chat.turn or chat.waiting then
    vim.notify('glm: an answer is still streaming; cancel it first', vim.log.levels.WARN)
    return
  end
  local message = typed_message(chat)
  if not message or message == '' then
    vim.notify('glm: type a message under "' .. YOU .. '" first', vim.log.levels.WARN)
    return
  end
  local argument = { message = message, chatId = chat.id }
  local source = chat.source and api.nvim_buf_is_valid(chat.source) and chat.source
  if source and api.nvim_buf_get_name(source) ~= '' then
    argument.uri = vim.uri_from_bufnr(source)
    argument.range = range
  end
  if api.nvim_get_current_buf() == chat.bufnr and api.nvim_get_mode().mode:sub(1, 1) == 'i' then
    vim.cmd.stopinsert() -- read the answer; `i`/`o` to type the next message
  end
  start_turn(chat, 'glm.chat.send', argument)
end

---Ask the server to explain a range; the answer streams into a new chat.
function M.explain(bufnr, range, line1, line2)
  local chat = M.new(bufnr)
  local name = vim.fn.fnamemodify(api.nvim_buf_get_name(bufnr), ':~:.')
  api.nvim_buf_set_lines(chat.bufnr, 0, -1, false, { YOU, ('Explain lines %d-%d of `%s`.'):format(line1, line2, name) })
  M.show(chat)
  start_turn(chat, 'glm.explain', { uri = vim.uri_from_bufnr(bufnr), range = range })
  return chat
end

---Stop the running turn of a chat.
function M.cancel(chat)
  chat = chat or M.current()
  if not chat then
    return false
  end
  if chat.waiting then
    chat.cancel_wanted = true
    return true
  end
  if not chat.turn or not chat.id then
    return false
  end
  glsp.command('glm.chat.cancel', { chatId = chat.id }, function() end, { bufnr = chat.source, any = true })
  return true
end

local function queue(method, params)
  local list = pending[params.chatId] or {}
  list[#list + 1] = { method = method, params = params }
  pending[params.chatId] = list
end

function someone_waiting()
  for _, chat in ipairs(M.chats) do
    if chat.waiting and valid(chat) then
      return true
    end
  end
  return false
end

-- A turn nobody here started (a code action such as "GLM: Explain"): show it in a new chat.
local function adopt(params)
  local chat = M.new(nil)
  chat.id, chat.turn = params.chatId, params.turnId
  by_id[chat.id] = chat
  api.nvim_buf_set_lines(chat.bufnr, 0, -1, false, { GLM, '' })
  M.show(chat)
  return chat
end

---`glm/chat/delta` handler.
function M.on_delta(_, params)
  if type(params) ~= 'table' or not params.chatId then
    return
  end
  local chat = by_id[params.chatId]
  if not chat then
    if someone_waiting() then
      queue('delta', params)
      return
    end
    chat = adopt(params)
  end
  if not valid(chat) or (chat.turn and params.turnId ~= chat.turn) then
    return
  end
  local reasoning, content = params.reasoning, params.content
  local sticky = at_bottom(chat)
  if type(reasoning) == 'string' and reasoning ~= '' then
    if chat.section ~= 'reasoning' then
      add_lines(chat.bufnr, { REASONING, '> ' })
      chat.section = 'reasoning'
    end
    write(chat.bufnr, reasoning, '> ')
  end
  if type(content) == 'string' and content ~= '' then
    if chat.section == 'reasoning' then
      api.nvim_buf_set_lines(chat.bufnr, -1, -1, false, { '', '' })
    end
    chat.section = 'content'
    write(chat.bufnr, content)
  end
  follow(chat, sticky)
end

-- The chat of a notification, adopting a turn nobody here started; nil when it was queued
-- (a send is still waiting for its chatId) or belongs to a closed buffer or another turn.
local function chat_of(method, params)
  if type(params) ~= 'table' or not params.chatId then
    return nil
  end
  local chat = by_id[params.chatId]
  if not chat then
    if someone_waiting() then
      queue(method, params)
      return nil
    end
    chat = adopt(params)
  end
  if not valid(chat) or (chat.turn and params.turnId and params.turnId ~= chat.turn) then
    return nil
  end
  return chat
end

---`glm/chat/proposal` handler: the block under the turn (lua/glm/proposals.lua).
function M.on_proposal(_, params)
  local chat = chat_of('proposal', params)
  if chat then
    require('glm.proposals').on_proposal(chat, params)
  end
end

---`glm/chat/progress` handler: step, tokens and activity of the running turn.
function M.on_progress(_, params)
  local chat = chat_of('progress', params)
  if chat then
    require('glm.progress').on_progress(chat, params)
  end
end

---`glm/chat/done` handler (also used for a failed send).
function M.on_done(_, params, chat)
  if type(params) ~= 'table' then
    return
  end
  chat = chat or (params.chatId and by_id[params.chatId])
  if not chat then
    if not params.chatId then
      return
    end
    if someone_waiting() then
      queue('done', params)
      return
    end
    chat = adopt(params)
  end
  if not valid(chat) or (chat.turn and params.turnId and params.turnId ~= chat.turn) then
    return
  end
  local err = params.error
  if err then
    local message = type(err) == 'table' and (err.message or vim.inspect(err)) or tostring(err)
    add_lines(chat.bufnr, { '', '> **Error:** ' .. message:gsub('\n', ' ') })
  elseif params.finishReason == 'cancelled' then
    add_lines(chat.bufnr, { '', '_(stopped)_' })
  end
  chat.turn, chat.section = nil, nil
  require('glm.progress').on_done(chat)
  require('glm.proposals').on_done(params)
  local sticky = at_bottom(chat)
  add_lines(chat.bufnr, { '', YOU, '' })
  follow(chat, sticky)
  api.nvim_exec_autocmds('User', { pattern = 'GlmChatDone', data = params, modeline = false })
end

---Render a stored chat ({role, content, reasoning?} list) into a buffer. The entries of one
---answer (tool calls, tool results, the answer) go under one "## GLM"; a tool result shows as
---its one-line summary (`> edit_file: edited src/a.py (proposed)`).
local function render_history(chat, history)
  local lines = {}
  local function text(s, prefix)
    for _, l in ipairs(vim.split(s or '', '\n', { plain = true })) do
      lines[#lines + 1] = (prefix or '') .. l
    end
  end
  local answering = false
  for _, msg in ipairs(history) do
    if msg.role == 'user' then
      lines[#lines + 1] = YOU
      answering = false
      text(msg.content)
      lines[#lines + 1] = ''
    elseif msg.role == 'tool' then
      if not answering then
        lines[#lines + 1] = GLM
        answering = true
      end
      local summary = vim.split(msg.content or '', '\n', { plain = true })[1]
      lines[#lines + 1] = ('> %s: %s'):format(msg.name or 'tool', summary)
    else
      if not answering then
        lines[#lines + 1] = GLM
        answering = true
      elseif lines[#lines]:sub(1, 2) == '> ' then
        lines[#lines + 1] = '' -- after tool summaries
      end
      if msg.reasoning and msg.reasoning ~= '' then
        lines[#lines + 1] = REASONING
        text(msg.reasoning, '> ')
        lines[#lines + 1] = ''
      end
      if (msg.content or '') ~= '' or not msg.toolCalls then
        text(msg.content)
        lines[#lines + 1] = ''
      end
    end
  end
  if lines[#lines] and lines[#lines] ~= '' then
    lines[#lines + 1] = ''
  end
  vim.list_extend(lines, { YOU, '' })
  api.nvim_buf_set_lines(chat.bufnr, 0, -1, false, lines)
end

---Open a stored chat by id (reuses its buffer when open).
function M.open_stored(chat_id, callback)
  local chat = by_id[chat_id]
  if valid(chat) then
    M.show(chat)
    return callback and callback(chat)
  end
  chat = M.new(api.nvim_get_current_buf())
  chat.id = chat_id
  by_id[chat_id] = chat
  glsp.command('glm.chat.history', { chatId = chat_id }, function(err, history)
    if err then
      vim.notify('glm: ' .. err.message, vim.log.levels.ERROR)
      return
    end
    render_history(chat, history or {})
    M.show(chat)
    if callback then
      callback(chat)
    end
  end, { any = true })
end

---Pick a stored chat and open it.
function M.list()
  glsp.command('glm.chat.list', {}, function(err, chats)
    if err then
      vim.notify('glm: ' .. err.message, vim.log.levels.ERROR)
      return
    end
    if not chats or #chats == 0 then
      vim.notify('glm: no chats yet (:GlmChat starts one)', vim.log.levels.INFO)
      return
    end
    vim.ui.select(chats, {
      prompt = 'GLM chats',
      format_item = function(c)
        return ('%s  (%s)'):format(c.title or c.chatId, c.updatedAt or '')
      end,
    }, function(choice)
      if choice then
        M.open_stored(choice.chatId)
      end
    end)
  end, { any = true })
end

---:GlmChat — open the last chat (or a new one with `bang`), optionally sending `message`.
function M.command(opts)
  local source = api.nvim_get_current_buf()
  if vim.b[source].glm_chat then
    source = nil
  end
  local range
  if source and opts.range and opts.range > 0 then
    local client = glsp.client(source)
    range = glsp.command_range(source, opts, client and client.offset_encoding or 'utf-16')
  end
  local chat = not opts.bang and M.current() or nil
  if not valid(chat) then
    chat = M.new(source)
  elseif source then
    chat.source = source
  end
  M.show(chat)
  if not chat.turn and not chat.waiting and (not opts.args or opts.args == '') then
    vim.cmd.startinsert() -- the cursor is on the line under the last "## You": type the message
  end
  if opts.args and opts.args ~= '' then
    local row, line = last_line(chat.bufnr)
    if line ~= '' then
      api.nvim_buf_set_lines(chat.bufnr, -1, -1, false, { opts.args })
    else
      api.nvim_buf_set_lines(chat.bufnr, row, row + 1, false, { opts.args })
    end
    M.send(chat, range)
  end
  return chat
end

return M
