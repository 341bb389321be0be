-- What the per-buffer features (ghost text, next edit) share: forgetting a buffer when it goes
-- away, and turning the feature on or off everywhere.
local M = {}

---Clear `feature`'s display in the buffer and forget its state when the buffer is unloaded
---or the server detaches.
function M.forget_on_unload(group, bufnr, feature, buffers)
  vim.api.nvim_create_autocmd({ 'BufUnload', 'LspDetach' }, {
    group = group,
    buffer = bufnr,
    callback = function(ev)
      feature.clear(ev.buf)
      buffers[ev.buf] = nil
    end,
  })
end

---Turn `feature` on or off everywhere (`nil` toggles); turning it off clears every buffer.
function M.set_enabled(feature, buffers, on)
  if on == nil then
    on = not feature.enabled
  end
  feature.enabled = on
  if not on then
    for bufnr in pairs(buffers) do
      feature.clear(bufnr)
    end
  end
  return on
end

return M
