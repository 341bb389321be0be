-- Code actions on a range, then "GLM: Refactor": the rewrite streams into the buffer as several
-- workspace/applyEdit calls and the buffer ends as the model's answer. A second refactor runs
-- while the "user" adds a line at the top of the buffer: Neovim reports changes 150 ms late and
-- merged with ours, and the server must keep the user's line and still finish exactly.
local T = dofile(os.getenv('GLM_TESTS') .. '/harness.lua')

local function request(client, method, params, buf)
  local reply
  client:request(method, params, function(err, result)
    reply = { err = err, result = result }
  end, buf)
  return T.wait(function()
    return reply
  end, 10000, method)
end

local function refactor(client, buf, first, last)
  local params = {
    textDocument = { uri = vim.uri_from_bufnr(buf) },
    range = { start = { line = first, character = 0 }, ['end'] = { line = last, character = 3 } },
    context = { diagnostics = {} },
  }
  local reply = request(client, 'textDocument/codeAction', params, buf)
  assert(not reply.err, vim.inspect(reply.err))
  local titles, chosen = {}, nil
  for _, action in ipairs(reply.result or {}) do
    titles[#titles + 1] = action.title
    if action.title == 'GLM: Refactor' then
      chosen = action
    end
  end
  assert(chosen, 'no GLM: Refactor among ' .. vim.inspect(titles))
  local done
  client:exec_cmd(chosen.command, { bufnr = buf }, function(err, result)
    done = { err = err, result = result }
  end)
  T.wait(function()
    return done
  end, 'the refactor to finish')
  return titles, chosen, done
end

T.run(function()
  T.setup()
  local buf = T.open('geometry.py')
  local client = require('glm').client()
  local applied = 0
  local on_apply
  local original = vim.lsp.handlers['workspace/applyEdit']
  vim.lsp.handlers['workspace/applyEdit'] = function(err, params, ctx)
    applied = applied + 1
    local result = original(err, params, ctx)
    if on_apply then
      local hook = on_apply
      on_apply = nil
      vim.defer_fn(hook, 30)
    end
    return result
  end
  T.R.before = T.lines(buf)

  T.step('code actions on lines 4-7, GLM: Refactor')
  local titles, chosen, done = refactor(client, buf, 3, 6)
  T.R.titles = titles
  T.R.kind = chosen.kind
  T.R.argument = chosen.command.arguments[1]
  T.R.result = done.result
  T.R.result_error = done.err
  T.R.edits = applied
  T.R.after = T.lines(buf)

  T.step('GLM: Refactor while the user adds a line at the top')
  applied = 0
  on_apply = function()
    vim.api.nvim_buf_set_lines(buf, 0, 0, false, { '# typed by the user' })
  end
  local _, _, again = refactor(client, buf, 8, 9)
  T.R.second_result = again.result
  T.R.second_error = again.err
  T.R.second_edits = applied
  T.R.final = T.lines(buf)
end)
