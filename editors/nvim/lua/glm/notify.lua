-- Messages that never stop the editor: one line each (a longer text is cut to the message area;
-- the server's state message, whole, is in :GlmStatus), shown after startup, one at a time, and a repeated message
-- (the server's "no API key" at every settings change) only once per session.
local M = {}

---Full texts of the messages shown, oldest first.
---@type { msg: string, level: integer }[]
M.history = {}

local seen = {}
local queue = {}
local flushing = false

local GAP_MS = 60 -- a message replaces the previous one instead of scrolling it up

local function one_line(msg, width, more)
  local line = vim.trim(msg):gsub('%s*\n%s*', ' ')
  if vim.fn.strdisplaywidth(line) <= width then
    return line
  end
  local cut = vim.fn.strcharpart(line, 0, math.max(width - vim.fn.strdisplaywidth(more), 10))
  while vim.fn.strdisplaywidth(cut) > width - vim.fn.strdisplaywidth(more) and #cut > 10 do
    cut = vim.fn.strcharpart(cut, 0, vim.fn.strchars(cut) - 1)
  end
  return cut .. more
end

local function width()
  -- v:echospace: the room on the last line that does not scroll the screen
  return math.max(vim.v.echospace - 1, 20)
end

local function flush()
  local item = table.remove(queue, 1)
  if not item then
    flushing = false
    return
  end
  vim.notify(one_line(item.msg, width(), item.more), item.level, { title = 'glm' })
  vim.defer_fn(flush, GAP_MS)
end

local function start()
  if flushing then
    return
  end
  flushing = true
  if vim.v.vim_did_enter == 1 then
    vim.schedule(flush)
  else
    vim.api.nvim_create_autocmd('VimEnter', {
      once = true,
      callback = function()
        vim.schedule(flush)
      end,
    })
  end
end

---Show `msg` on one line, without a hit-enter prompt.
---@param msg string
---@param level? integer vim.log.levels
---@param more? string what ends a cut line (default '…')
function M.line(msg, level, more)
  level = level or vim.log.levels.INFO
  M.history[#M.history + 1] = { msg = msg, level = level }
  queue[#queue + 1] = { msg = msg, level = level, more = more or '…' }
  start()
end

---Like line(), but a message already shown this session is not shown again.
---@param msg string
---@param level? integer
---@param more? string
---@return boolean shown
function M.once(msg, level, more)
  if seen[msg] then
    return false
  end
  seen[msg] = true
  M.line(msg, level, more)
  return true
end

local LEVELS = { vim.log.levels.ERROR, vim.log.levels.WARN, vim.log.levels.INFO, vim.log.levels.DEBUG }

---`window/showMessage` from glm-lsp: each distinct message once, on one line.
function M.show_message(_, params)
  if type(params) ~= 'table' or type(params.message) ~= 'string' then
    return vim.NIL
  end
  M.once(params.message, LEVELS[params.type] or vim.log.levels.INFO, '… :GlmStatus')
  return vim.NIL
end

return M
