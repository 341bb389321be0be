-- The server's health as the `glm/status` notification last reported it, for statuslines.
local config = require('glm.config')

local M = {}

---@type { state: string, message: string? }
M.current = { state = 'off' }

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
  vim.schedule(function()
    vim.cmd('redrawstatus!')
  end)
end

---A short statusline component, e.g. `%{v:lua.require'glm'.statusline()}`.
---@return string
function M.statusline()
  local icons = config.options.statusline.icons
  return icons[M.current.state] or ('GLM ' .. M.current.state)
end

---The state and its message ("unconfigured: no API key: set GLM_API_KEY ...").
---@return string
function M.describe()
  local s = M.current
  return s.message and (s.state .. ': ' .. s.message) or s.state
end

return M
