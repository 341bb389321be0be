-- Test harness for real headless Neovim: the test body runs as a coroutine from VimEnter, so
-- the editor's main loop keeps running while it waits (insert mode, timers, LSP messages all
-- behave as for a user). Keys go in through nvim_input, like typing.
--
-- Environment (set by harness.py): RESULT (JSON out), GLM_PLUGIN, GLM_PY, GLM_WS,
-- GLM_BASE_URL (loopback endpoint, optional).
vim.g.loaded_python3_provider = 0
vim.g.loaded_node_provider = 0
vim.g.loaded_perl_provider = 0
vim.g.loaded_ruby_provider = 0
vim.opt.runtimepath:prepend(os.getenv('GLM_PLUGIN'))
vim.opt.swapfile = false
vim.opt.shortmess:append('I')

local T = { R = { steps = {}, messages = {} } }
local started = vim.uv.hrtime()
local finished = false

function T.finish(code, err)
  if finished then
    return
  end
  finished = true
  T.R.error = err
  T.R.ms_total = (vim.uv.hrtime() - started) / 1e6
  vim.fn.writefile({ vim.json.encode(T.R) }, os.getenv('RESULT'))
  for _, c in ipairs(vim.lsp.get_clients()) do
    c:stop(true)
  end
  if code == 0 then
    vim.cmd('qall!')
  else
    vim.cmd('cquit ' .. code)
  end
end

-- A hang guard for a busy CI machine, not a timing requirement.
local DEADLINE_S = tonumber(os.getenv('GLM_DEADLINE_S')) or 90
vim.defer_fn(function()
  T.finish(3, ('deadline: the test did not finish in %d s; last step: %s'):format(DEADLINE_S, T.R.steps[#T.R.steps]))
end, DEADLINE_S * 1000)

-- Keep what the plugin and the server tell the user.
local notify = vim.notify
vim.notify = function(msg, level, opts)
  table.insert(T.R.messages, { msg = msg, level = level })
  return notify(msg, level, opts)
end

local co

local function resume(...)
  local ok, err = coroutine.resume(co, ...)
  if not ok then
    T.finish(1, err)
  elseif coroutine.status(co) == 'dead' then
    T.finish(0)
  end
end

---Record a named step (shown when the test fails or hits the deadline).
function T.step(name)
  table.insert(T.R.steps, name)
end

---Wait until `pred()` is true (polling every 10 ms while Neovim runs). The 30 s limit only
---guards against hangs on a busy machine.
function T.wait(pred, what, legacy_what)
  if type(what) == 'number' then
    what = legacy_what -- older form T.wait(pred, timeout_ms, what): the guard is always 30 s
  end
  local deadline = vim.uv.now() + 30000
  while true do
    local ok, value = pcall(pred)
    if ok and value then
      return value
    end
    if vim.uv.now() > deadline then
      error(('timed out waiting for %s'):format(what or 'a condition'), 2)
    end
    vim.defer_fn(function()
      resume()
    end, 10)
    coroutine.yield()
  end
end

---Let Neovim run for `ms` milliseconds.
function T.sleep(ms)
  vim.defer_fn(function()
    resume()
  end, ms)
  coroutine.yield()
end

---Type keys (key notation) as a user would, and let Neovim process them.
function T.input(keys)
  vim.api.nvim_input(keys)
  T.sleep(20)
end

function T.eq(expected, actual, what)
  if not vim.deep_equal(expected, actual) then
    error(('%s: expected %s, got %s'):format(what or 'value', vim.inspect(expected), vim.inspect(actual)), 2)
  end
end

---The settings for the loopback endpoint, merged with `extra`.
function T.settings(extra)
  local settings = { provider = 'custom', model = 'glm-4.6' }
  if os.getenv('GLM_BASE_URL') then
    settings.baseUrl = os.getenv('GLM_BASE_URL')
  end
  return vim.tbl_deep_extend('force', settings, extra or {})
end

---require('glm').setup() with the test's server command and loopback settings.
function T.setup(opts)
  local glm = require('glm')
  opts = opts or {}
  opts.cmd = opts.cmd or { os.getenv('GLM_PY'), '-m', 'glm_lsp' }
  opts.settings = T.settings(opts.settings)
  glm.setup(opts)
  return glm
end

---Open a file of the workspace and wait until glm-lsp is attached.
function T.open(name)
  vim.cmd.edit(os.getenv('GLM_WS') .. '/' .. name)
  local glm = require('glm')
  T.wait(function()
    local c = glm.client()
    return c and c.initialized
  end, 'glm-lsp to attach')
  T.R.ms_to_attach = T.R.ms_to_attach or (vim.uv.hrtime() - started) / 1e6
  return vim.api.nvim_get_current_buf()
end

---Wait until glm-lsp reports that it has applied the editor's settings (glm/status ready):
---the plugin asks for ghost text at the first keystroke, with no delay of its own.
function T.ready()
  T.wait(function()
    local state = require('glm.status').current.state
    return state == 'ready' or state == 'busy'
  end, 'glm-lsp ready (glm/status)')
end

function T.lines(bufnr)
  return vim.api.nvim_buf_get_lines(bufnr or 0, 0, -1, false)
end

---Ghost text extmarks in the buffer: { {row, col, inline = '...', lines = {...}} }.
function T.ghost(bufnr)
  local ns = require('glm.inline').ns
  local marks = vim.api.nvim_buf_get_extmarks(bufnr or 0, ns, 0, -1, { details = true })
  local out = {}
  for _, m in ipairs(marks) do
    local d = m[4]
    local inline = {}
    for _, chunk in ipairs(d.virt_text or {}) do
      inline[#inline + 1] = chunk[1]
    end
    local lines = {}
    for _, vl in ipairs(d.virt_lines or {}) do
      local parts = {}
      for _, chunk in ipairs(vl) do
        parts[#parts + 1] = chunk[1]
      end
      lines[#lines + 1] = table.concat(parts)
    end
    out[#out + 1] = {
      row = m[2],
      col = m[3],
      inline = table.concat(inline),
      lines = lines,
      pos = d.virt_text_pos,
    }
  end
  return out
end

---Run `body` as the test once Neovim has started.
function T.run(body)
  vim.api.nvim_create_autocmd('VimEnter', {
    nested = true,
    callback = function()
      co = coroutine.create(function()
        local ok, err = xpcall(body, debug.traceback)
        if not ok then
          error(err, 0)
        end
      end)
      resume()
    end,
  })
end

return T
