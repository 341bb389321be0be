-- The server's health as the `glm/status` notification last reported it, for statuslines.
local config = require('glm.config')

local M = {}

---@type { state: string, message: string? }
M.current = { state = 'off' }

---The running chat turn's progress ("step 2/8 · 3.1k/200k tokens"), nil when none runs.
---@type string?
M.activity = nil

---Set (or clear, with nil) the chat turn's progress shown after the state in the statusline.
---@param text string?
function M.set_activity(text)
  if M.activity == text then
    return
  end
  M.activity = text
  vim.schedule(function()
    vim.cmd('redrawstatus!')
  end)
end

---Handler for the `glm/status` notification.
function M.on_status(_, params)
  if type(params) ~= 'table' or type(params.state) ~= 'string' then
    return
  end
  M.current = { state = params.state, message = params.message }
  vim.schedule(function()
    vim.cmd('redrawstatus!')
    vim.api.nvim_exec_autocmds('User', { pattern = 'GlmStatus', data = M.current, modeline = false })
  end)
end

---The client stopped: the statusline shows nothing.
function M.on_exit()
  M.current = { state = 'off' }
  M.activity = nil
  vim.schedule(function()
    vim.cmd('redrawstatus!')
  end)
end

---A short statusline component, e.g. `%{v:lua.require'glm'.statusline()}`.
---@return string
function M.statusline()
  local icons = config.options.statusline.icons
  local text = icons[M.current.state] or ('GLM ' .. M.current.state)
  if M.activity and text ~= '' then
    text = text .. ' ' .. M.activity
  end
  return text
end

---The state and its message ("unconfigured: no API key: set GLM_API_KEY ...").
---@return string
function M.describe()
  local s = M.current
  return s.message and (s.state .. ': ' .. s.message) or s.state
end

---What both :GlmStatus and :checkhealth glm say about the API key, by the server's verdict
---('present', 'none' = the provider needs none, 'missing').
M.key_text = {
  present = 'present',
  none = 'not needed (provider custom: requests go without an Authorization header)',
  missing = 'MISSING',
}

---The server's verdict from a `glm.status` result.
---@return 'present'|'none'|'missing'
function M.key_state(result)
  if result.keyPresent then
    return 'present'
  end
  if result.keyMissing == nil then -- a server from before keyMissing: its rule was this one
    return result.provider == 'custom' and 'none' or 'missing'
  end
  return result.keyMissing and 'missing' or 'none'
end

---The server's verdict from the `key:` line of `glm-lsp doctor`, and the rest of the line.
---@param line string? e.g. "present sk-t…7890", "none (provider custom: ...)", "MISSING - ..."
---@return 'present'|'none'|'missing', string detail
function M.doctor_key_state(line)
  line = line or ''
  local present = line:match('^present%s*(.*)$')
  if present then
    return 'present', present
  end
  if line:match('^none') then
    return 'none', ''
  end
  return 'missing', (line:gsub('^MISSING %- ', ''))
end

return M
