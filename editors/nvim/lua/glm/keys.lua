-- Insert-mode keys for ghost text, normal-mode keys for next-edit suggestions. Each key acts on
-- the suggestion when one is shown and otherwise does what it did before (a mapping it
-- replaced, or its normal meaning: <Tab> inserts a tab).
local config = require('glm.config')
local inline = require('glm.inline')

local M = {}

---@type table<integer, table> mappings that were there before ours, by id
local previous = {}

---Run a replaced non-expr mapping (called through <Cmd> so it runs outside the textlock).
function M._run_previous(id)
  local map = previous[id]
  if not map then
    return
  end
  if map.callback then
    map.callback()
  else
    local keys = vim.api.nvim_replace_termcodes(map.rhs, true, true, true)
    vim.api.nvim_feedkeys(keys, map.noremap == 1 and 'n' or 'm', false)
  end
end

local function fallback(lhs, map, id)
  if not map or vim.tbl_isempty(map) then
    return lhs
  end
  if map.expr == 1 then
    local keys = map.callback and map.callback() or vim.api.nvim_eval(map.rhs)
    if type(keys) ~= 'string' then
      return ''
    end
    if map.callback and map.replace_keycodes ~= 1 then
      -- our mapping replaces keycodes; protect a literal result from that
      return (keys:gsub('<', '<lt>'))
    end
    return keys
  end
  return ('<Cmd>lua require("glm.keys")._run_previous(%d)<CR>'):format(id)
end

local function map(lhs, action, desc, mode)
  mode = mode or 'i'
  if not lhs or lhs == '' then
    return
  end
  local old = vim.fn.maparg(lhs, mode, false, true)
  if old.desc and old.desc:match('^glm: ') then
    old = {} -- our own mapping from an earlier setup()
  end
  local id = #previous + 1
  previous[id] = old
  vim.keymap.set(mode, lhs, function()
    local keys = action()
    if keys then
      return keys
    end
    return fallback(lhs, old, id)
  end, { expr = true, replace_keycodes = true, silent = true, desc = 'glm: ' .. desc })
end

-- Actions run inside an expr mapping (textlock): they return keys; the edit runs via <Cmd>.
local function accept(kind)
  return function()
    if inline.native() or not inline.visible() then
      return nil
    end
    return ('<Cmd>lua require("glm.inline").accept(%q)<CR>'):format(kind)
  end
end

-- Next-edit keys (normal mode); the action runs via <Cmd>, outside the textlock.
local function next_edit(fn)
  return function()
    if not require('glm.next_edit').visible() then
      return nil
    end
    return ('<Cmd>lua require("glm.next_edit").%s()<CR>'):format(fn)
  end
end

local function setup_next_edit()
  local opts = config.options.next_edit
  if not opts or not opts.enabled then
    return
  end
  map(opts.keys.accept, next_edit('jump_or_accept'), 'jump to or accept next-edit suggestion', 'n')
  map(opts.keys.dismiss, next_edit('dismiss'), 'dismiss next-edit suggestion', 'n')
end

---Set the insert-mode keys from `inline.keys` and the normal-mode keys from `next_edit.keys`.
function M.setup()
  local keys = config.options.inline.keys
  map(keys.accept, function()
    if inline.native() then
      return vim.lsp.inline_completion.get() and '' or nil
    end
    return accept('all')()
  end, 'accept suggestion')
  map(keys.accept_word, accept('word'), 'accept next word of suggestion')
  map(keys.accept_line, accept('line'), 'accept next line of suggestion')
  map(keys.dismiss, function()
    if inline.native() or not inline.visible() then
      return nil
    end
    return '<Cmd>lua require("glm.inline").dismiss()<CR>'
  end, 'dismiss suggestion')
  map(keys.trigger, function()
    if inline.native() then
      return nil
    end
    return '<Cmd>lua require("glm.inline").request(nil, true)<CR>'
  end, 'ask for a suggestion')
  setup_next_edit()
end

return M
