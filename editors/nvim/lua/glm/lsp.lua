-- Small helpers around the glm-lsp client: find it, run its commands, convert positions.
local M = {}

M.name = 'glm'

---The running glm-lsp client for a buffer (current buffer by default), or any glm client.
---@param bufnr? integer
---@param any? boolean fall back to a client attached elsewhere (chat buffers are not files)
---@return vim.lsp.Client?
function M.client(bufnr, any)
  local client = vim.lsp.get_clients({ bufnr = bufnr or 0, name = M.name })[1]
  if client or not any then
    return client
  end
  return vim.lsp.get_clients({ name = M.name })[1]
end

---Send `workspace/executeCommand` for a glm.* command.
---`callback(err, result)`; returns the client and request id (for cancel) or nil.
---@param command string
---@param argument table|nil
---@param callback fun(err: table?, result: any)
---@param opts? { bufnr?: integer, any?: boolean, flush_all?: boolean }
---`flush_all`: send every buffer's pending didChange first (not only `bufnr`'s), for commands
---that check files the user may have just typed in (glm.chat.apply, undo).
---@return vim.lsp.Client?, integer?
function M.command(command, argument, callback, opts)
  opts = opts or {}
  local bufnr = opts.bufnr or vim.api.nvim_get_current_buf()
  local client = M.client(bufnr, opts.any)
  if not client then
    callback({ message = 'glm-lsp is not running for this buffer (see :checkhealth glm)' }, nil)
    return nil
  end
  local provider = client.server_capabilities.executeCommandProvider
  local known = type(provider) == 'table' and provider.commands or {}
  if not vim.list_contains(known, command) then
    callback({ message = ('this glm-lsp does not offer %s; update glm-lsp'):format(command) }, nil)
    return nil
  end
  local params = { command = command, arguments = { argument or vim.empty_dict() } }
  local ok, id = client:request('workspace/executeCommand', params, function(err, result)
    callback(err, result)
  end, (not opts.flush_all) and bufnr or nil)
  if not ok then
    callback({ message = 'glm-lsp has stopped' }, nil)
    return nil
  end
  return client, id
end

---The loaded buffer of a file URI (by name, else by the real path), or nil.
---@param uri string
---@return integer?
function M.buffer_of(uri)
  local ok, name = pcall(vim.uri_to_fname, uri)
  if not ok then
    return nil
  end
  local real = vim.uv.fs_realpath(name)
  for _, b in ipairs(vim.api.nvim_list_bufs()) do
    local bname = vim.api.nvim_buf_get_name(b)
    if bname == name or (real and bname ~= '' and vim.uv.fs_realpath(bname) == real) then
      return vim.api.nvim_buf_is_loaded(b) and b or nil
    end
  end
end

---Byte column of an LSP position in a buffer.
---@return integer
function M.byte_col(bufnr, position, encoding)
  if position.character == 0 then
    return 0
  end
  local line = vim.api.nvim_buf_get_lines(bufnr, position.line, position.line + 1, false)[1] or ''
  if encoding == 'utf-8' then
    return math.min(position.character, #line)
  end
  local ok, col = pcall(vim.str_byteindex, line, encoding, position.character, false)
  return ok and col or #line
end

---LSP character of a byte column in a buffer line.
---@return integer
function M.lsp_char(bufnr, row, col, encoding)
  if encoding == 'utf-8' or col == 0 then
    return col
  end
  local line = vim.api.nvim_buf_get_lines(bufnr, row, row + 1, false)[1] or ''
  local ok, idx = pcall(vim.str_utfindex, line, encoding, math.min(col, #line), false)
  return ok and idx or col
end

---LSP range for a user command's line range (or its characterwise visual selection).
---@param bufnr integer
---@param cmd_opts table the table a :command callback receives
---@param encoding string
---@return table range, integer line1, integer line2
function M.command_range(bufnr, cmd_opts, encoding)
  local line1, line2 = cmd_opts.line1, cmd_opts.line2
  local start_col, end_col = 0, nil
  if cmd_opts.range == 2 then
    local vs, ve = vim.fn.getpos("'<"), vim.fn.getpos("'>")
    if vim.fn.visualmode() == 'v' and vs[2] == line1 and ve[2] == line2 then
      start_col = vs[3] - 1
      local last = vim.api.nvim_buf_get_lines(bufnr, line2 - 1, line2, false)[1] or ''
      end_col = math.min(ve[3], #last)
    end
  end
  local last = vim.api.nvim_buf_get_lines(bufnr, line2 - 1, line2, false)[1] or ''
  end_col = end_col or #last
  local range = {
    start = { line = line1 - 1, character = M.lsp_char(bufnr, line1 - 1, start_col, encoding) },
    ['end'] = { line = line2 - 1, character = M.lsp_char(bufnr, line2 - 1, end_col, encoding) },
  }
  return range, line1, line2
end

return M
