-- :GlmApply, :GlmDiscard, :GlmUndo: the server commands on a chat proposal, and one message
-- with the outcome (applied and refused files, with the server's reasons).
local glsp = require('glm.lsp')
local proposals = require('glm.proposals')

local M = {}

local api = vim.api
local say, of_uri, render = proposals.say, proposals.of_uri, proposals.render

local function names(p)
  return table.concat(vim.tbl_map(proposals.label, p.files), ', ')
end

-- "applied a, b; refused c: reason; d: reason" — one message for the whole outcome.
local function outcome(p, verb, done, refused)
  local parts = {}
  if #done > 0 then
    parts[#parts + 1] = verb .. ' ' .. table.concat(done, ', ')
  end
  if #refused > 0 then
    parts[#parts + 1] = 'refused ' .. table.concat(refused, '; ')
  end
  if #parts == 0 then
    parts[1] = 'nothing ' .. verb
  end
  say(table.concat(parts, '; '), #refused > 0 and vim.log.levels.WARN or vim.log.levels.INFO)
end

local function label_of(p, uri)
  local f = of_uri(p, uri)
  return f and proposals.label(f) or vim.fn.fnamemodify(vim.uri_to_fname(uri), ':~:.')
end

-- :GlmApply!: write the buffers the applied files now live in (a renamed file's new name).
local function write_buffers(p, uris)
  for _, uri in ipairs(uris) do
    local f = of_uri(p, uri)
    local bufnr = glsp.buffer_of(f and f.newUri or uri)
    if bufnr and vim.bo[bufnr].modified then
      api.nvim_buf_call(bufnr, function()
        vim.cmd('silent write')
      end)
    end
  end
end

---Resolve file arguments to URIs; nil and a message when one is not in the proposal.
local function uris_of(p, args)
  if not args or #args == 0 then
    return nil
  end
  local uris = {}
  for _, arg in ipairs(args) do
    local f = proposals.file_of(p, arg)
    if not f then
      return nil, ('%s is not in the proposal (its files: %s)'):format(arg, names(p))
    end
    uris[#uris + 1] = f.uri
  end
  return uris
end

local function finish(event, data, callback, err, result)
  api.nvim_exec_autocmds('User', { pattern = event, data = data, modeline = false })
  if callback then
    callback(err, result)
  end
end

---:GlmApply[!] [file ...]: `glm.chat.apply`; with `write`, the changed buffers are written.
---@param opts? { files?: string[], write?: boolean }
function M.apply(opts, callback)
  opts = opts or {}
  proposals.with_target(function(p)
    M.apply_to(p, opts, callback)
  end, 'no pending proposal (a chat turn that changes files shows one under its answer)')
end

---Apply `p` (see M.apply).
function M.apply_to(p, opts, callback)
  local uris, problem = uris_of(p, opts.files)
  if problem then
    say(problem, vim.log.levels.ERROR)
    return
  end
  glsp.command('glm.chat.apply', { proposalId = p.id, files = uris }, function(err, result)
    if err then
      say('apply failed: ' .. (err.message or vim.inspect(err)), vim.log.levels.ERROR)
      return finish('GlmApplyDone', { proposalId = p.id, error = err }, callback, err)
    end
    result = type(result) == 'table' and result or {}
    local done, refused = {}, {}
    for _, uri in ipairs(result.applied or {}) do
      local f = of_uri(p, uri)
      if f then
        f.state, f.reason = 'applied', nil
      end
      done[#done + 1] = label_of(p, uri)
    end
    for _, r in ipairs(result.refused or {}) do
      local f = of_uri(p, r.uri)
      if f then
        f.state, f.reason = 'refused', r.reason
      end
      refused[#refused + 1] = label_of(p, r.uri) .. ': ' .. tostring(r.reason)
    end
    if opts.write then
      write_buffers(p, result.applied or {})
    end
    render(p)
    outcome(p, 'applied', done, refused)
    finish('GlmApplyDone', { proposalId = p.id, result = result }, callback, nil, result)
  end, { any = true, flush_all = true })
end

---:GlmDiscard: `glm.chat.discard`; the files not applied yet are dropped.
function M.discard(callback)
  proposals.with_target(function(p)
    M.discard_of(p, callback)
  end, 'no pending proposal to discard')
end

---Discard `p` (see M.discard).
function M.discard_of(p, callback)
  glsp.command('glm.chat.discard', { proposalId = p.id }, function(err)
    if err then
      say('discard failed: ' .. (err.message or vim.inspect(err)), vim.log.levels.ERROR)
    else
      for _, f in ipairs(p.files) do
        if f.state == 'pending' or f.state == 'refused' then
          f.state, f.reason = 'discarded', nil
        end
      end
      render(p)
      say('discarded the proposed changes to ' .. names(p))
    end
    finish('GlmDiscardDone', { proposalId = p.id, error = err }, callback, err)
  end, { any = true })
end

local function applied(p)
  for _, f in ipairs(p.files) do
    if f.state == 'applied' then
      return true
    end
  end
  return false
end

---:GlmUndo: `glm.chat.undo {chatId}`, the chat's last applied turn.
function M.undo(callback)
  local p = proposals.target(applied)
  local chat_id = p and p.chat_id
  if not chat_id then
    local chat = require('glm.chat').current()
    chat_id = chat and chat.id
  end
  if not chat_id then
    say('nothing to undo: no chat has applied changes', vim.log.levels.WARN)
    return
  end
  glsp.command('glm.chat.undo', { chatId = chat_id }, function(err, result)
    if err then
      say('undo failed: ' .. (err.message or vim.inspect(err)), vim.log.levels.ERROR)
      return finish('GlmUndoDone', { chatId = chat_id, error = err }, callback, err)
    end
    result = type(result) == 'table' and result or {}
    local restored, refused = {}, {}
    for _, uri in ipairs(result.restored or {}) do
      local owner = p
      for i = #proposals.list, 1, -1 do
        local q = proposals.list[i]
        local f = q.chat_id == chat_id and of_uri(q, uri)
        if f and f.state == 'applied' then
          f.state, owner = 'undone', q
          break
        end
      end
      restored[#restored + 1] = owner and label_of(owner, uri) or vim.fn.fnamemodify(vim.uri_to_fname(uri), ':~:.')
    end
    for _, r in ipairs(result.refused or {}) do
      refused[#refused + 1] = vim.fn.fnamemodify(vim.uri_to_fname(r.uri), ':~:.') .. ': ' .. tostring(r.reason)
    end
    for _, q in ipairs(proposals.list) do
      if q.chat_id == chat_id then
        render(q)
      end
    end
    outcome(p, 'restored', restored, refused)
    finish('GlmUndoDone', { chatId = chat_id, result = result }, callback, nil, result)
  end, { any = true, flush_all = true })
end

return M
