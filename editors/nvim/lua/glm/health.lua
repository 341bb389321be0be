-- :checkhealth glm — Neovim version, the server and its version, the API key, and the result
-- of `glm-lsp doctor --no-network` run with the settings given to setup().
local config = require('glm.config')
local glsp = require('glm.lsp')
local status = require('glm.status')

local M = {}

local health = vim.health

local function run(argv, env, timeout_ms)
  local ok, proc = pcall(vim.system, argv, { text = true, env = env })
  if not ok then
    return nil, tostring(proc)
  end
  local result = proc:wait(timeout_ms)
  if result.signal ~= 0 and result.code == 0 then
    return nil, 'timed out'
  end
  return result
end

local function doctor_argv(cmd)
  -- `python -m glm_lsp` and `glm-lsp` both take the doctor subcommand
  local argv = vim.deepcopy(cmd)
  return vim.list_extend(argv, { 'doctor', '--no-network' })
end

local function key_line(output)
  for line in vim.gsplit(output, '\n', { plain = true }) do
    local rest = line:match('^key: (.*)$')
    if rest then
      return rest
    end
  end
end

function M.check()
  local options = config.options
  health.start('glm: Neovim')
  if vim.fn.has('nvim-0.11') == 1 then
    local v = vim.version()
    health.ok(('Neovim %d.%d.%d'):format(v.major, v.minor, v.patch))
  else
    health.error('Neovim 0.11 or newer is needed (vim.lsp.config / vim.lsp.enable)')
  end
  if vim.lsp.inline_completion and options.inline.native ~= false then
    health.info('ghost text: built-in vim.lsp.inline_completion')
  else
    health.info('ghost text: drawn by glm (extmarks)')
  end

  health.start('glm: server')
  local cmd, source = config.server_cmd(options)
  if not cmd then
    health.error('glm-lsp not found (no `cmd` option, not on PATH, not installed by :GlmInstall)', {
      'run :GlmInstall: it makes a venv under ' .. require('glm.install').venv_dir() .. ' and installs the server there',
      "or set `cmd` in require('glm').setup({ cmd = { '/path/to/glm-lsp' } })",
    })
    return
  end
  if type(cmd) ~= 'table' then
    health.warn('`cmd` is a function: cannot check the server from here')
    return
  end
  if vim.fn.executable(cmd[1]) == 0 then
    health.error(('`%s` (the `cmd` option) is not executable'):format(cmd[1]), {
      'fix `cmd`, or remove it to use glm-lsp from PATH or from :GlmInstall',
    })
    return
  end
  health.info(('server command from %s'):format(({ option = 'the `cmd` option', PATH = 'PATH', venv = ':GlmInstall (' .. require('glm.install').venv_dir() .. ')' })[source] or source))
  local env = config.doctor_env(options)
  -- one run gives the version line ("glm-lsp X (Python Y)", after doctor's summary line when
  -- a step is left) and the configuration report
  local doctor, why = run(doctor_argv(cmd), env, 15000)
  local out = doctor and doctor.stdout or ''
  local version = out:match('(glm%-lsp %S+ %(Python [^\n]*%))')
  if not version then
    health.error(('`%s doctor --no-network` did not run'):format(table.concat(cmd, ' ')), {
      doctor and vim.trim(doctor.stderr or '') or why or 'unknown error',
      'check that the command starts glm-lsp (or run :GlmInstall! to reinstall it)',
    })
    return
  end
  health.ok(('%s found: %s'):format(table.concat(cmd, ' '), version))
  local client = glsp.client(nil, true)
  if client then
    health.ok(('running (client id %d, %s positions)'):format(client.id, client.offset_encoding))
  else
    health.info('not running: it starts when a matching buffer opens')
  end

  health.start('glm: configuration')
  local key_state, detail = status.doctor_key_state(key_line(out))
  if key_state == 'missing' then
    health.error('API key: ' .. status.key_text.missing .. ' - ' .. (detail ~= '' and detail or 'no API key'), {
      'export GLM_API_KEY=... before starting Neovim (or the provider variable, e.g. ZAI_API_KEY)',
      'or put apiKey in ~/.config/glm-lsp/config.toml',
    })
  else
    health.ok(('API key: %s%s'):format(status.key_text[key_state], detail ~= '' and ' ' .. detail or ''))
  end
  local report = vim.trim(out)
  if doctor.code == 0 then
    health.ok('glm-lsp doctor --no-network: usable')
  else
    health.error('glm-lsp doctor --no-network: NOT usable (exit ' .. doctor.code .. ')', {
      'read the lines below marked MISSING, problem or FAILED',
    })
  end
  health.info('doctor output (settings from setup() are passed to it as GLM_* variables):')
  for line in vim.gsplit(report, '\n', { plain = true }) do
    if line ~= '' then
      health.info(line)
    end
  end
end

return M
