-- A second, independent LSP client: Neovim's built-in one (tested with Debian's nvim 0.7.2).
-- Run by test/lsp/nvim.test.ts as
--   nvim --headless --clean -c "luafile test/lsp/nvim-client.lua"
-- Environment:
--   PHP_INI_LINT_NODE    node binary
--   PHP_INI_LINT_SERVER  out/server/src/server.js
--   PHP_INI_LINT_FILE    the php.ini to open
--   PHP_INI_LINT_LANG    language id / filetype (php-ini or php-fpm)
--   PHP_INI_LINT_OUT     where to write the JSON result
--   PHP_INI_LINT_HOVER_LINE  (optional) 0-based line to hover and ask code actions for
-- It starts the server over stdio, attaches it to the buffer, waits for the first
-- textDocument/publishDiagnostics, asks for a hover, code actions and completions, writes
-- everything as JSON and quits. Any Lua error is written to the result too, so the test can
-- show it instead of hanging.

local out_path = os.getenv('PHP_INI_LINT_OUT')
local result = { ok = false }

local function write_result()
  local f = io.open(out_path, 'w')
  if f then
    f:write(vim.fn.json_encode(result))
    f:close()
  end
end

local function run()
  local node = os.getenv('PHP_INI_LINT_NODE') or 'node'
  local server = os.getenv('PHP_INI_LINT_SERVER')
  local file = os.getenv('PHP_INI_LINT_FILE')
  local lang = os.getenv('PHP_INI_LINT_LANG') or 'php-ini'
  local hover_line = tonumber(os.getenv('PHP_INI_LINT_HOVER_LINE') or '')

  vim.cmd('edit ' .. vim.fn.fnameescape(file))
  local bufnr = vim.api.nvim_get_current_buf()
  vim.bo[bufnr].filetype = lang

  local published = false
  local exited = nil
  local client_id = vim.lsp.start_client({
    name = 'php-ini-lint',
    cmd = { node, server, '--stdio' },
    root_dir = vim.fn.fnamemodify(file, ':p:h'),
    handlers = {
      ['textDocument/publishDiagnostics'] = function(err, res, ctx, config)
        vim.lsp.diagnostic.on_publish_diagnostics(err, res, ctx, config)
        if res and res.uri == vim.uri_from_bufnr(bufnr) then
          published = true
        end
      end,
    },
    on_exit = function(code, signal)
      exited = { code = code, signal = signal }
    end,
  })
  if not client_id then
    result.error = 'vim.lsp.start_client returned nil'
    return
  end
  vim.lsp.buf_attach_client(bufnr, client_id)

  if not vim.wait(30000, function() return published or exited ~= nil end, 20) then
    result.error = 'timed out waiting for textDocument/publishDiagnostics'
    return
  end
  if exited then
    result.error = 'server exited: ' .. vim.inspect(exited)
    return
  end

  local client = vim.lsp.get_client_by_id(client_id)
  result.server_name = client.server_capabilities and 'php-ini-lint' or nil
  result.diagnostics = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    table.insert(result.diagnostics, {
      lnum = d.lnum,
      end_lnum = d.end_lnum,
      severity = d.severity,
      message = d.message,
      source = d.source,
      code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code),
    })
  end

  if hover_line then
    local uri = vim.uri_from_bufnr(bufnr)
    local hover = vim.lsp.buf_request_sync(bufnr, 'textDocument/hover', {
      textDocument = { uri = uri },
      position = { line = hover_line, character = 3 },
    }, 10000)
    for _, r in pairs(hover or {}) do
      if r.result and r.result.contents then
        result.hover = r.result.contents.value or r.result.contents
      end
    end
    local actions = vim.lsp.buf_request_sync(bufnr, 'textDocument/codeAction', {
      textDocument = { uri = uri },
      range = { start = { line = hover_line, character = 0 }, ['end'] = { line = hover_line, character = 1 } },
      context = { diagnostics = vim.lsp.diagnostic.get_line_diagnostics(bufnr, hover_line) },
    }, 10000)
    result.actions = {}
    for _, r in pairs(actions or {}) do
      for _, a in ipairs(r.result or {}) do
        table.insert(result.actions, a.title)
      end
    end
    local completion = vim.lsp.buf_request_sync(bufnr, 'textDocument/completion', {
      textDocument = { uri = uri },
      position = { line = hover_line, character = 4 },
    }, 10000)
    result.completion_count = 0
    for _, r in pairs(completion or {}) do
      local items = r.result and (r.result.items or r.result) or {}
      result.completion_count = result.completion_count + #items
    end
  end

  vim.lsp.stop_client(client_id)
  vim.wait(2000, function() return exited ~= nil end, 20)
  result.ok = true
end

local ok, err = pcall(run)
if not ok then
  result.ok = false
  result.error = tostring(err)
end
write_result()
vim.cmd('qall!')
