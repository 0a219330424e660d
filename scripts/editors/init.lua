-- A clean Neovim configuration for .darts files and the dartsc language server, used by
-- scripts/editors/nvim-capture.sh (`nvim -u scripts/editors/init.lua FILE`).
-- Neovim 0.7 attaches with start_client + buf_attach_client, 0.8 or later with vim.lsp.start.
-- The server is this checkout's `bin/dartsc.js`, or $DARTSC_LSP (a command line) if set.

local here = debug.getinfo(1, 'S').source:sub(2):match('(.*)/')
local repo = vim.fn.fnamemodify(here .. '/../..', ':p'):gsub('/$', '')
local cmd = vim.env.DARTSC_LSP and vim.split(vim.env.DARTSC_LSP, ' ', { trimempty = true })
  or { 'node', repo .. '/bin/dartsc.js', 'lsp', '--stdio' }

vim.opt.swapfile = false
vim.opt.shortmess:append('I')
vim.opt.signcolumn = 'yes'

-- The diagnostic's code inline (a message would not fit after a long line), and the code
-- in front of the whole message (with its help and notes) in the float.
vim.diagnostic.config({
  virtual_text = { format = function(d) return d.code or d.message end },
  float = {
    format = function(d) return d.code and (d.code .. ': ' .. d.message) or d.message end,
    border = 'single',
  },
  signs = true,
})
vim.lsp.handlers['textDocument/hover'] =
  vim.lsp.with(vim.lsp.handlers.hover, { border = 'single' })

-- From here on, the configuration docs/editors.md shows, but for `cmd`.
vim.api.nvim_create_autocmd({ 'BufRead', 'BufNewFile' }, {
  pattern = '*.darts',
  command = 'setfiletype darts',
})

local client_id -- Neovim 0.7: one client for every .darts buffer
vim.api.nvim_create_autocmd('FileType', {
  pattern = 'darts',
  callback = function(args)
    vim.bo[args.buf].commentstring = '// %s'
    -- The project: the directory of the package.json above the file, where npx finds dartsc.
    local manifest = vim.fn.findfile('package.json', vim.fn.fnamemodify(args.file, ':p:h') .. ';')
    local root = manifest ~= '' and vim.fn.fnamemodify(manifest, ':p:h') or vim.fn.getcwd()
    local config = { name = 'dartsc', cmd = cmd, cmd_cwd = root, root_dir = root }
    if vim.lsp.start then -- Neovim 0.8 or later
      vim.lsp.start(config)
    else
      client_id = client_id or vim.lsp.start_client(config)
      vim.lsp.buf_attach_client(args.buf, client_id)
    end
  end,
})
