-- :checkhealth glm with the settings given to setup(); the report's lines go to the result.
local T = dofile(os.getenv('GLM_TESTS') .. '/harness.lua')

T.run(function()
  T.setup({ settings = { provider = 'zai' } })
  T.open('sample.py')
  T.step('checkhealth')
  vim.cmd('checkhealth glm')
  T.wait(function()
    return vim.bo.filetype == 'checkhealth' and #T.lines() > 5
  end, 'the health report')
  T.R.report = T.lines()
end)
