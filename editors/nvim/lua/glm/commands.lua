-- :GlmEdit, :GlmExplain, :GlmCancel, :GlmStatus. The server does the work; these collect the
-- range and report the outcome.
local glsp = require('glm.lsp')
local status = require('glm.status')

local M = {}

local api = vim.api

---@type table<integer, { client: vim.lsp.Client, id: integer, instruction: string }>
M.edits = {}

local function notify(msg, level)
  vim.notify('glm: ' .. msg, level or vim.log.levels.INFO, { title = 'glm' })
end

local function range_of(bufnr, opts)
  local client = glsp.client(bufnr)
  if not client then
    notify('glm-lsp is not running for this buffer (see :checkhealth glm)', vim.log.levels.ERROR)
    return nil
  end
  return glsp.command_range(bufnr, opts, client.offset_encoding)
end

local function edited_buffers(params)
  local uris = {}
  local edit = params and params.edit or {}
  for _, change in ipairs(edit.documentChanges or {}) do
    if change.textDocument then
      uris[#uris + 1] = change.textDocument.uri
    end
  end
  for uri in pairs(edit.changes or {}) do
    uris[#uris + 1] = uri
  end
  return vim.tbl_map(vim.uri_to_bufnr, uris)
end

---`workspace/applyEdit`: the built-in handler, but the pieces of one streamed :GlmEdit form
---one undo step.
function M.apply_edit(err, params, ctx, cfg)
  for _, bufnr in ipairs(edited_buffers(params)) do
    for _, edit in pairs(M.edits) do
      if edit.bufnr == bufnr then
        if edit.pieces > 0 and api.nvim_buf_is_loaded(bufnr) then
          api.nvim_buf_call(bufnr, function()
            pcall(vim.cmd, 'undojoin')
          end)
        end
        edit.pieces = edit.pieces + 1
      end
    end
  end
  local result = vim.lsp.handlers['workspace/applyEdit'](err, params, ctx, cfg)
  M.trim_created(params)
  return result
end

---A file created with its text (CreateFile, then an edit inserting the text into the empty
---buffer): Neovim keeps the empty buffer's line after the inserted text, one blank line more
---than the text has. Drop it, so the buffer reads as the text that was sent.
function M.trim_created(params)
  local ops = params and params.edit and params.edit.documentChanges or {}
  local created = {}
  for _, op in ipairs(ops) do
    if op.kind == 'create' then
      created[op.uri] = true
    elseif op.kind == nil and op.textDocument and created[op.textDocument.uri] then
      local text = table.concat(vim.tbl_map(function(e)
        return e.newText or ''
      end, op.edits or {}))
      local bufnr = vim.uri_to_bufnr(op.textDocument.uri)
      local n = api.nvim_buf_line_count(bufnr)
      local last = api.nvim_buf_get_lines(bufnr, n - 1, n, false)[1]
      if text:sub(-1) == '\n' and n > 1 and last == '' then
        api.nvim_buf_call(bufnr, function()
          pcall(vim.cmd, 'undojoin')
        end)
        api.nvim_buf_set_lines(bufnr, n - 1, n, false, {})
      end
    end
  end
end

---Rewrite a range following an instruction; the server streams the edit into the buffer.
function M.edit(bufnr, range, instruction, callback)
  local client, id
  client, id = glsp.command('glm.edit', {
    uri = vim.uri_from_bufnr(bufnr),
    range = range,
    instruction = instruction,
  }, function(err, result)
    M.edits[id or -1] = nil
    if err then
      notify('edit failed: ' .. (err.message or vim.inspect(err)), vim.log.levels.ERROR)
    elseif type(result) == 'table' and result.applied then
      notify('edit applied')
    else
      local reason = type(result) == 'table' and result.reason or 'no change'
      notify('edit not applied: ' .. tostring(reason), vim.log.levels.WARN)
    end
    api.nvim_exec_autocmds('User', {
      pattern = 'GlmEditDone',
      data = { bufnr = bufnr, result = result, error = err },
      modeline = false,
    })
    if callback then
      callback(err, result)
    end
  end, { bufnr = bufnr })
  if client and id then
    M.edits[id] = { client = client, id = id, instruction = instruction, bufnr = bufnr, pieces = 0 }
  end
end

---:[range]GlmEdit {instruction}
function M.edit_command(opts)
  local bufnr = api.nvim_get_current_buf()
  local range = range_of(bufnr, opts)
  if not range then
    return
  end
  if opts.args ~= '' then
    M.edit(bufnr, range, opts.args)
    return
  end
  vim.ui.input({ prompt = 'GLM edit: ' }, function(instruction)
    if instruction and vim.trim(instruction) ~= '' then
      M.edit(bufnr, range, instruction)
    end
  end)
end

---:[range]GlmExplain
function M.explain_command(opts)
  local bufnr = api.nvim_get_current_buf()
  local range, line1, line2 = range_of(bufnr, opts)
  if range then
    require('glm.chat').explain(bufnr, range, line1, line2)
  end
end

---:GlmCancel — stop edits, the current chat's answer and the pending suggestion.
function M.cancel()
  local stopped = {}
  for id, edit in pairs(M.edits) do
    edit.client:cancel_request(id)
    M.edits[id] = nil
    stopped[#stopped + 1] = 'edit'
  end
  if require('glm.chat').cancel() then
    stopped[#stopped + 1] = 'chat'
  end
  require('glm.inline').clear()
  require('glm.next_edit').clear()
  notify(#stopped > 0 and ('cancelled ' .. table.concat(stopped, ', ')) or 'nothing to cancel')
  return stopped
end

---Lines describing a `glm.status` result.
function M.status_lines(result)
  local usage = result.usage or {}
  local lines = {
    ('state:     %s'):format(status.describe()),
    ('provider:  %s'):format(result.provider),
    ('model:     %s (inline: %s)'):format(result.model, result.inlineModel or result.model),
    ('endpoint:  %s'):format(result.baseUrl),
    ('API key:   %s'):format(status.key_text[status.key_state(result)]),
    ('usage:     %d requests, %d prompt + %d completion tokens (%d cached), $%.4f'):format(
      usage.requests or 0,
      usage.promptTokens or 0,
      usage.completionTokens or 0,
      usage.cachedTokens or 0,
      usage.costUsd or 0
    ),
  }
  local next_edit = result.nextEdit
  if type(next_edit) == 'table' then
    lines[#lines + 1] = ('next edit: %d shown, %d accepted'):format(
      next_edit.shown or 0,
      next_edit.accepted or 0
    )
  end
  return lines
end

---:GlmStatus
function M.status(callback)
  glsp.command('glm.status', {}, function(err, result)
    if err then
      notify(err.message, vim.log.levels.ERROR)
    else
      notify('\n' .. table.concat(M.status_lines(result), '\n'))
    end
    if callback then
      callback(err, result)
    end
  end, { any = true })
end

return M
