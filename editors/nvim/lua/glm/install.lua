-- :GlmInstall — a private venv under stdpath('data') with glm-lsp installed from the plugin's own
-- repository (the folder three levels above editors/nvim/lua/glm), and where to find the server.
-- Steps run with vim.system and report through vim.notify; with no UI attached (lazy.nvim's
-- build step in `nvim --headless "+Lazy! sync" +qa`) they run to the end before returning.
local M = {}

local is_windows = vim.fn.has('win32') == 1

---Python versions tried on PATH, newest first; the first one ≥ 3.10 wins.
M.python_names = { 'python3.14', 'python3.13', 'python3.12', 'python3.11', 'python3.10', 'python3', 'python' }

local VERSION_CHECK = 'import sys; print("%d.%d.%d" % sys.version_info[:3]); '
  .. 'import venv, ensurepip; sys.exit(0 if sys.version_info >= (3, 10) else 3)'

---@type { running: boolean, done: fun(ok: boolean, cmd: string[]?)[] }
M.state = { running = false, done = {} }

---Called with the server's command after every successful install (setup() sets it: the server
---then starts for the open buffers).
---@type fun(cmd: string[])?
M.after_install = nil

---The repository this plugin belongs to (it holds pyproject.toml and server/).
---@return string
function M.repo_root()
  local here = debug.getinfo(1, 'S').source:sub(2)
  -- <root>/editors/nvim/lua/glm/install.lua
  return vim.fs.normalize(vim.fn.fnamemodify(here, ':p:h:h:h:h:h'))
end

---@return string
function M.venv_dir()
  return vim.fs.joinpath(vim.fn.stdpath('data'), 'glm-lsp', 'venv')
end

---@param name string
---@return string
local function venv_bin(name)
  if is_windows then
    return vim.fs.joinpath(M.venv_dir(), 'Scripts', name .. '.exe')
  end
  return vim.fs.joinpath(M.venv_dir(), 'bin', name)
end

---The server installed by :GlmInstall, or nil.
---@return string?
function M.installed_server()
  local path = venv_bin('glm-lsp')
  if vim.fn.executable(path) == 1 then
    return path
  end
end

---Where the server is: `cmd` option, then `glm-lsp` on PATH, then the :GlmInstall venv.
---@param cmd? string[]|function the `cmd` option of setup()
---@return string[]|function|nil cmd, string source 'option' | 'PATH' | 'venv' | 'none'
function M.find_server(cmd)
  if cmd ~= nil then
    return cmd, 'option'
  end
  if vim.fn.executable('glm-lsp') == 1 then
    return { 'glm-lsp' }, 'PATH'
  end
  local installed = M.installed_server()
  if installed then
    return { installed }, 'venv'
  end
  return nil, 'none'
end

local sync_run = false

-- Progress goes on one line that never stops the editor; a failure shows in full (pip's last
-- lines and what to do). In a sync run the messages are written directly inside :GlmInstall,
-- so a caller that captures the command's output (lazy.nvim's build log) gets them.
-- `short` is the one-line form of a progress message (paths left out).
local function notify(msg, level, short)
  level = level or vim.log.levels.INFO
  if sync_run or level >= vim.log.levels.ERROR then
    vim.notify('glm: ' .. msg, level, { title = 'glm' })
  else
    require('glm.notify').line('glm: ' .. (short or msg), level)
  end
end

---The last `n` non-empty lines of a command's output.
local function tail(result, n)
  local text = (result.stderr or '') .. '\n' .. (result.stdout or '')
  local lines = vim.tbl_filter(function(line)
    return vim.trim(line) ~= ''
  end, vim.split(text, '\n', { plain = true }))
  return table.concat(vim.list_slice(lines, math.max(1, #lines - n + 1)), '\n')
end

---Run `argv`; `on_exit(result)` on the main loop. With `sync`, waits for it.
local function run(argv, sync, on_exit)
  local opts = { text = true, env = { PIP_DISABLE_PIP_VERSION_CHECK = '1' } }
  local callback = not sync and function(result)
    vim.schedule(function()
      on_exit(result)
    end)
  end or nil
  local ok, proc = pcall(vim.system, argv, opts, callback)
  if not ok then
    on_exit({ code = -1, stdout = '', stderr = tostring(proc) })
  elseif sync then
    on_exit(proc:wait())
  end
end

---The first Python ≥ 3.10 with venv and ensurepip, as { path, version }; or nil and what was seen.
---@param sync boolean
---@param callback fun(python: { path: string, version: string }?, seen: string[])
function M.find_python(sync, callback)
  local candidates, seen = {}, {}
  local configured = vim.g.glm_python
  if type(configured) == 'string' and configured ~= '' then
    candidates[1] = configured
  else
    for _, name in ipairs(M.python_names) do
      local path = vim.fn.exepath(name)
      if path ~= '' and not vim.list_contains(candidates, path) then
        candidates[#candidates + 1] = path
      end
    end
  end
  local i = 0
  local function try_next()
    i = i + 1
    local path = candidates[i]
    if not path then
      callback(nil, seen)
      return
    end
    run({ path, '-c', VERSION_CHECK }, sync, function(result)
      local version = vim.trim(result.stdout or '')
      if result.code == 0 then
        callback({ path = path, version = version }, seen)
        return
      end
      local why = result.code == 3 and 'too old' or 'no venv/ensurepip module'
      seen[#seen + 1] = ('%s (%s%s)'):format(path, version ~= '' and version .. ', ' or '', why)
      try_next()
    end)
  end
  try_next()
end

local NO_PYTHON_REMEDY = 'install Python 3.10 or newer with its venv module (Debian/Ubuntu: '
  .. 'apt install python3 python3-venv; macOS: brew install python), or set '
  .. "vim.g.glm_python = '/path/to/python3', then run :GlmInstall again"

local function finish(ok, cmd)
  M.state.running = false
  local callbacks = M.state.done
  M.state.done = {}
  for _, callback in ipairs(callbacks) do
    callback(ok, cmd)
  end
  if ok and M.after_install then
    M.after_install(cmd)
  end
end

-- finish() first: inside a command an ERROR message raises (lazy's build then fails with it)
local function fail(message)
  finish(false)
  notify(message, vim.log.levels.ERROR)
end

local function failed_step(what, result, remedy)
  fail(('%s failed (exit %s):\n%s\n%s'):format(what, tostring(result.code), tail(result, 12), remedy))
end

---Create the venv (if needed) and install the server into it.
---@param opts? { sync?: boolean, force?: boolean, on_done?: fun(ok: boolean, cmd: string[]?) }
function M.install(opts)
  opts = opts or {}
  local sync = opts.sync
  if sync == nil then
    sync = #vim.api.nvim_list_uis() == 0
  end
  sync_run = sync
  if opts.on_done then
    table.insert(M.state.done, opts.on_done)
  end
  if M.state.running then
    notify('an installation is already running')
    return
  end
  local root = M.repo_root()
  if vim.fn.filereadable(vim.fs.joinpath(root, 'pyproject.toml')) == 0 then
    fail(('the server source is not at %s (pyproject.toml missing): install the whole '
      .. 'glm-lsp repository as the plugin, or put glm-lsp on PATH'):format(root))
    return
  end
  M.state.running = true
  local venv = M.venv_dir()
  local python_in_venv = venv_bin(is_windows and 'python' or 'python3')

  local function pip_install()
    notify(
      ('installing glm-lsp from %s into %s (about a minute)…'):format(root, venv),
      nil,
      'installing glm-lsp (about a minute)…'
    )
    local argv = { python_in_venv, '-m', 'pip', 'install', '--upgrade', '--no-input', root }
    run(argv, sync, function(result)
      if result.code ~= 0 then
        failed_step('pip install', result, "pip's lines above say why (often: the package index, "
          .. 'which pip needs for the dependencies, cannot be reached: check the network or proxy); '
          .. 'then run :GlmInstall again, or :GlmInstall! to make the venv anew')
        return
      end
      local server = M.installed_server()
      if not server then
        failed_step('pip install', { code = 0, stdout = result.stdout, stderr = 'glm-lsp is not in the venv' }, 'run :GlmInstall! to make the venv anew')
        return
      end
      notify(('glm-lsp installed: %s'):format(server), nil, 'glm-lsp installed (:checkhealth glm)')
      finish(true, { server })
    end)
  end

  if not opts.force and vim.fn.executable(python_in_venv) == 1 then
    pip_install()
    return
  end
  notify('looking for Python 3.10+ on PATH…')
  M.find_python(sync, function(python, seen)
    if not python then
      local found = #seen > 0 and ('found only: ' .. table.concat(seen, '; ')) or 'no python3 on PATH'
      fail(('no suitable Python (%s): %s'):format(found, NO_PYTHON_REMEDY))
      return
    end
    notify(
      ('creating %s with %s (Python %s)…'):format(venv, python.path, python.version),
      nil,
      ('creating the venv with Python %s…'):format(python.version)
    )
    vim.fn.mkdir(vim.fs.dirname(venv), 'p')
    local argv = { python.path, '-m', 'venv', '--clear', venv }
    run(argv, sync, function(result)
      if result.code ~= 0 then
        failed_step('python -m venv', result, NO_PYTHON_REMEDY)
        return
      end
      pip_install()
    end)
  end)
end

return M
