-- `glm/chat/progress` of a running chat turn: "step 2/8 · 3.1k/200k tokens · editing src/a.py"
-- after the turn's `## GLM` heading (virtual text) and, without the activity, in the statusline.
local M = {}

local api = vim.api
local ns = api.nvim_create_namespace('glm_progress')

---Tokens as "950", "3.1k", "200k", "1.2M".
function M.tokens(n)
  n = tonumber(n) or 0
  if n < 1000 then
    return tostring(math.floor(n))
  elseif n < 10000 then
    return (('%.1fk'):format(n / 1000):gsub('%.0k$', 'k'))
  elseif n < 1000000 then
    return ('%dk'):format(math.floor(n / 1000 + 0.5))
  end
  return (('%.1fM'):format(n / 1000000):gsub('%.0M$', 'M'))
end

---"step 2/8 · 3.1k/200k tokens · editing src/a.py"
function M.text(params)
  local text = ('step %d/%d · %s/%s tokens'):format(
    tonumber(params.step) or 0,
    tonumber(params.maxSteps) or 0,
    M.tokens(params.tokens),
    M.tokens(params.tokenBudget)
  )
  if type(params.activity) == 'string' and params.activity ~= '' then
    text = text .. ' · ' .. params.activity:gsub('%s*\n%s*', ' ')
  end
  return text
end

-- The text after the last `## GLM` heading of the buffer (the running turn's).
local function show(bufnr, text)
  local lines = api.nvim_buf_get_lines(bufnr, 0, -1, false)
  for row = #lines, 1, -1 do
    if lines[row] == '## GLM' then
      api.nvim_buf_clear_namespace(bufnr, ns, 0, -1)
      api.nvim_buf_set_extmark(bufnr, ns, row - 1, 0, {
        virt_text = { { '  ' .. text, 'Comment' } },
        virt_text_pos = 'eol',
      })
      return
    end
  end
end

---`glm/chat/progress`: the text goes after the running turn's `## GLM` heading (virtual text)
---and into the statusline; the User event `GlmChatProgress` gets the params.
---@param chat glm.Chat?
function M.on_progress(chat, params)
  if type(params) ~= 'table' then
    return
  end
  local text = M.text(params)
  require('glm.status').set_activity(text:match('^(.- tokens)') or text)
  if chat and api.nvim_buf_is_valid(chat.bufnr) then
    show(chat.bufnr, text)
  end
  api.nvim_exec_autocmds('User', { pattern = 'GlmChatProgress', data = params, modeline = false })
end

---The progress text shown in a chat buffer ('' when none).
function M.shown(bufnr)
  local marks = api.nvim_buf_get_extmarks(bufnr, ns, 0, -1, { details = true })
  local mark = marks[1]
  return mark and vim.trim(mark[4].virt_text[1][1]) or ''
end

---The turn ended: its progress line goes.
---@param chat glm.Chat?
function M.on_done(chat)
  require('glm.status').set_activity(nil)
  if chat and api.nvim_buf_is_valid(chat.bufnr) then
    api.nvim_buf_clear_namespace(chat.bufnr, ns, 0, -1)
  end
end

return M
