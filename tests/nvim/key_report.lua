-- :GlmStatus and :checkhealth glm about the API key, for the provider in $KEY_PROVIDER, with
-- the settings given to setup(); settings applied again do not repeat a key message.
local T = dofile(os.getenv('GLM_TESTS') .. '/harness.lua')

T.run(function()
  local provider = os.getenv('KEY_PROVIDER')
  local glm = T.setup({ settings = { provider = provider } })
  T.open('sample.py')
  T.wait(function()
    return require('glm.status').current.state ~= 'off'
  end, 'a glm/status notification')
  glm.set_settings(T.settings({ provider = provider })) -- the server applies its settings again
  T.sleep(500)

  T.step(':GlmStatus')
  local status
  vim.cmd('GlmStatus')
  require('glm.commands').status(function(_, result)
    status = result
  end)
  T.wait(function()
    return status ~= nil
  end, 'the glm.status result')
  T.R.status = status
  T.R.status_lines = require('glm.commands').status_lines(status)

  T.step('checkhealth')
  vim.cmd('checkhealth glm')
  T.wait(function()
    return vim.bo.filetype == 'checkhealth' and #T.lines() > 5
  end, 'the health report')
  T.R.health = T.lines()
  T.R.messages_seen = T.R.messages
end)
