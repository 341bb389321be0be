-- Proposals of chat turns (`glm/chat/proposal`): a block under the turn in the chat buffer,
-- :GlmApply, :GlmDiscard, :GlmUndo. The server checks every file
-- and writes through `workspace/applyEdit`; this module remembers what it proposed and shows it.
local glsp = require('glm.lsp')

local M = {}

local api = vim.api
M.ns = api.nvim_create_namespace('glm_proposals')

local HEADER = '### Proposed changes'
local HINT_PENDING = ':GlmApply  :GlmDiscard  :GlmDiff {file}'
local HINT_APPLIED = ':GlmUndo  :GlmDiff {file}'

---@class glm.ProposalFile
---@field uri string
---@field path string
---@field change 'edit'|'create'|'delete'|'rename'
---@field newUri string?
---@field newPath string?
---@field diff string
---@field text string?
---@field added integer
---@field removed integer
---@field state 'pending'|'applied'|'refused'|'discarded'|'undone'
---@field reason string?

---@class glm.Proposal
---@field id string
---@field chat_id string
---@field turn_id string
---@field bufnr integer?   the chat buffer showing the block
---@field files glm.ProposalFile[]
---@field mark integer?    extmark on the block's first line
---@field shown string[]?  the block's lines as last written

---@type glm.Proposal[] oldest first
M.list = {}

---Lines added and removed by a unified diff (the `---`/`+++` heads are not counted).
---@return integer added, integer removed
function M.count(diff)
  local added, removed, body = 0, 0, false
  for line in vim.gsplit(diff or '', '\n', { plain = true }) do
    if line:sub(1, 2) == '@@' then
      body = true
    elseif body and line:sub(1, 1) == '+' then
      added = added + 1
    elseif body and line:sub(1, 1) == '-' then
      removed = removed + 1
    end
  end
  return added, removed
end

---The name a file is shown under (`old → new` for a rename).
function M.label(file)
  if file.change == 'rename' and file.newPath then
    return file.path .. ' → ' .. file.newPath
  end
  return file.path
end

local function block(p)
  local lines = { HEADER }
  local pending, applied = false, false
  for _, f in ipairs(p.files) do
    local line = ('- %s `%s` +%d −%d'):format(f.change, M.label(f), f.added, f.removed)
    if f.state ~= 'pending' then
      line = line .. ' · ' .. f.state
    end
    if f.reason then
      line = line .. ': ' .. f.reason:gsub('%s*\n%s*', ' ')
    end
    lines[#lines + 1] = line
    pending = pending or f.state == 'pending' or f.state == 'refused'
    applied = applied or f.state == 'applied'
  end
  if pending then
    lines[#lines + 1] = HINT_PENDING
  elseif applied then
    lines[#lines + 1] = HINT_APPLIED
  end
  return lines
end

-- Write the block at the end of the chat buffer, or rewrite it in place when its lines are
-- still as written (text the user typed over it is never replaced).
function M.render(p)
  local bufnr = p.bufnr
  if not (bufnr and api.nvim_buf_is_valid(bufnr)) then
    return
  end
  local lines = block(p)
  if p.mark then
    local pos = api.nvim_buf_get_extmark_by_id(bufnr, M.ns, p.mark, {})
    local row = pos[1]
    if row and vim.deep_equal(api.nvim_buf_get_lines(bufnr, row, row + #p.shown, false), p.shown) then
      api.nvim_buf_set_lines(bufnr, row, row + #p.shown, false, lines)
      p.shown = lines
      p.mark = api.nvim_buf_set_extmark(bufnr, M.ns, row, 0, { id = p.mark })
    end
    return
  end
  if p.idle then
    -- the chat waits for the next message under its last "## You": the block goes above it,
    -- never into the message being typed
    local all = api.nvim_buf_get_lines(bufnr, 0, -1, false)
    for row = #all, 1, -1 do
      if all[row] == '## You' then
        local out = vim.list_extend(vim.deepcopy(lines), { '' })
        if row > 1 and all[row - 1] ~= '' then
          table.insert(out, 1, '')
          row = row + 1
        end
        api.nvim_buf_set_lines(bufnr, row - 1, row - 1, false, out)
        p.shown = lines
        p.mark = api.nvim_buf_set_extmark(bufnr, M.ns, row - 1, 0, {})
        return
      end
    end
  end
  local n = api.nvim_buf_line_count(bufnr)
  local last = api.nvim_buf_get_lines(bufnr, n - 1, n, false)[1] or ''
  local out = vim.list_extend({ '' }, lines)
  out[#out + 1] = ''
  if last == '' and n > 1 then
    api.nvim_buf_set_lines(bufnr, n - 1, n, false, out)
  else
    api.nvim_buf_set_lines(bufnr, n, n, false, out)
    n = n + 1
  end
  p.shown = lines
  p.mark = api.nvim_buf_set_extmark(bufnr, M.ns, n, 0, {})
end

local function find(id)
  for _, p in ipairs(M.list) do
    if p.id == id then
      return p
    end
  end
end

---`glm/chat/proposal` for a chat (`chat` may be nil: nothing shows it).
---@param chat glm.Chat?
function M.on_proposal(chat, params)
  if type(params) ~= 'table' or type(params.proposalId) ~= 'string' or type(params.files) ~= 'table' then
    return
  end
  if find(params.proposalId) then
    return
  end
  local files = {}
  for _, f in ipairs(params.files) do
    if type(f) == 'table' and type(f.uri) == 'string' then
      local added, removed = M.count(f.diff)
      files[#files + 1] = vim.tbl_extend('force', f, {
        path = f.path or vim.fn.fnamemodify(vim.uri_to_fname(f.uri), ':~:.'),
        added = added,
        removed = removed,
        -- an entry of glm.chat.proposals carries its state; a new proposal is pending
        state = type(f.state) == 'string' and f.state or 'pending',
      })
    end
  end
  local p = { id = params.proposalId, chat_id = params.chatId, turn_id = params.turnId, files = files }
  p.bufnr = chat and chat.bufnr
  p.idle = chat and not chat.turn and not chat.waiting -- fetched later, not from a running turn
  M.list[#M.list + 1] = p
  M.render(p)
  api.nvim_exec_autocmds('User', { pattern = 'GlmProposal', data = params, modeline = false })
  return p
end

---A turn ended with a proposal: take the states the server holds for its files (under
---`chat.autoApply` they were applied before done).
function M.on_done(params)
  local p = type(params) == 'table' and params.proposalId and find(params.proposalId)
  if not p or not p.chat_id then
    return
  end
  glsp.command('glm.chat.proposals', { chatId = p.chat_id }, function(err, list)
    for _, item in ipairs(not err and type(list) == 'table' and list or {}) do
      if type(item) == 'table' and item.proposalId == p.id and type(item.files) == 'table' then
        local changed = false
        for i, f in ipairs(item.files) do
          local mine = p.files[i]
          if mine and mine.uri == f.uri and mine.state == 'pending' and f.state and f.state ~= 'pending' then
            mine.state, changed = f.state, true
          end
        end
        if changed then
          M.render(p)
        end
        return
      end
    end
  end, { any = true })
end

local function waiting(p)
  for _, f in ipairs(p.files) do
    if f.state == 'pending' or f.state == 'refused' then
      return true
    end
  end
  return false
end

---The proposal whose block holds the cursor (in a chat buffer).
local function under_cursor()
  local bufnr = api.nvim_get_current_buf()
  local row = api.nvim_win_get_cursor(0)[1] - 1
  for i = #M.list, 1, -1 do
    local p = M.list[i]
    if p.bufnr == bufnr and p.mark then
      local start = api.nvim_buf_get_extmark_by_id(bufnr, M.ns, p.mark, {})[1]
      if start and row >= start - 1 and row < start + #p.shown then
        return p
      end
    end
  end
end

---The proposal a command acts on: in a chat buffer the block under the cursor, else the newest
---one of that chat that `accept(p)`; elsewhere the newest one that `accept(p)`.
---@param accept fun(p: glm.Proposal): boolean
---@return glm.Proposal?
function M.target(accept)
  accept = accept or waiting
  local here = under_cursor()
  if here then
    return here
  end
  local chat_id
  if vim.b.glm_chat then
    local chat = require('glm.chat').current()
    chat_id = chat and chat.id
  end
  for i = #M.list, 1, -1 do
    local p = M.list[i]
    if (not chat_id or p.chat_id == chat_id) and accept(p) then
      return p
    end
  end
end

---The file of a proposal an argument names: its path as the model wrote it, the new path of a
---rename, or a file name (relative to the current directory, or absolute).
function M.file_of(p, arg)
  local full = vim.fn.fnamemodify(arg, ':p')
  for _, f in ipairs(p.files) do
    if arg == f.path or arg == f.newPath or arg == f.uri or arg == f.newUri then
      return f
    end
    if vim.uri_to_fname(f.uri) == full or (f.newUri and vim.uri_to_fname(f.newUri) == full) then
      return f
    end
  end
end

function M.of_uri(p, uri)
  for _, f in ipairs(p.files) do
    if f.uri == uri or f.newUri == uri then
      return f
    end
  end
end

function M.say(msg, level)
  vim.notify('glm: ' .. msg, level or vim.log.levels.INFO, { title = 'glm' })
end

---Run `fn(p)` on the target proposal; when none is known here (Neovim restarted, a chat
---reopened with :GlmChatList), the newest pending one the server kept (`glm.chat.proposals`,
---of the current chat in a chat buffer) is shown in the chat and used.
function M.with_target(fn, none)
  local p = M.target()
  if p then
    return fn(p)
  end
  local chat = vim.b.glm_chat and require('glm.chat').current() or nil
  local arg = chat and chat.id and { chatId = chat.id } or {}
  glsp.command('glm.chat.proposals', arg, function(err, list)
    for _, item in ipairs(not err and type(list) == 'table' and list or {}) do
      if type(item) == 'table' and item.state == 'pending' then
        local known = find(item.proposalId)
        return fn(known or M.on_proposal(chat, item))
      end
    end
    M.say(none, vim.log.levels.WARN)
  end, { any = true })
end

-- The commands live in proposal_actions.lua; these are the documented entry points.

---:GlmApply[!] [file ...] (`{ files?, write? }`).
function M.apply(opts, callback)
  return require('glm.proposal_actions').apply(opts, callback)
end

---:GlmDiscard.
function M.discard(callback)
  return require('glm.proposal_actions').discard(callback)
end

---:GlmUndo.
function M.undo(callback)
  return require('glm.proposal_actions').undo(callback)
end

---Completion of :GlmApply / :GlmDiff file arguments: the files of the proposal in question.
function M.complete(arglead)
  local p = M.target(function()
    return true
  end)
  local out = {}
  for _, f in ipairs(p and p.files or {}) do
    for _, name in ipairs({ f.path, f.newPath }) do
      if name and name:sub(1, #arglead) == arglead then
        out[#out + 1] = name
      end
    end
  end
  return out
end

return M
