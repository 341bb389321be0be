-- User commands of the glm plugin (see lua/glm/usercmds.lua). The server starts only after
-- require('glm').setup().
if vim.g.loaded_glm then
  return
end
vim.g.loaded_glm = true

require('glm.usercmds').define()
