#!/usr/bin/env bash
# Captures a Neovim session with the dartsc language server, as docs/editors.md shows it:
# Neovim under tmux (110 x 24) on a copy of examples/mnist.darts with a misspelled primitive,
# first the diagnostic (inline and in its float), then hover on a primitive of the stdlib.
# Needs nvim (0.7 or later) and tmux; uses this checkout's server (bin/dartsc.js, so build
# first: `npm run build`). Prints both captures; exits non-zero if either lacks what it shows.
#
#   bash scripts/editors/nvim-capture.sh [OUT_DIR]   # OUT_DIR gets diagnostic.txt, hover.txt
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
out=${1:-}
timeout=${CAPTURE_TIMEOUT:-20} # seconds to wait for each step

for tool in nvim tmux; do
  command -v "$tool" >/dev/null || { echo "nvim-capture: $tool not found" >&2; exit 2; }
done
[ -f "$repo/dist/src/cli/bin.js" ] || { echo "nvim-capture: run npm run build first" >&2; exit 2; }

work=$(mktemp -d)
socket="dartsc-capture-$$" # a tmux server of its own, killed on exit
cleanup() {
  tmux -L "$socket" kill-server 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# The mistake: `sep_conv_5x5` misspelled in the genotype (line 35), E0201 with a did-you-mean.
sed 's/(sep_conv_5x5, 0)/(sep_conv_5x4, 0)/' "$repo/examples/mnist.darts" >"$work/mnist.darts"
grep -q sep_conv_5x4 "$work/mnist.darts"

capture() { tmux -L "$socket" capture-pane -p -t capture; }
keys() { tmux -L "$socket" send-keys -t capture "$@"; }

# Polls the pane until it contains $1 (a fixed string); fails after $timeout seconds.
wait_for() {
  local deadline=$((SECONDS + timeout))
  until capture | grep -qF -- "$1"; do
    if ((SECONDS >= deadline)); then
      echo "nvim-capture: '$1' did not appear within ${timeout}s; the pane:" >&2
      capture >&2
      return 1
    fi
    sleep 0.2
  done
}

tmux -L "$socket" -f /dev/null new-session -d -s capture -x 110 -y 24 -c "$work" \
  "nvim -u '$here/init.lua' -i NONE -n '+normal! G' '+call cursor(35, 19)' mnist.darts"

# 1. The diagnostic: inline once the server publishes it, then its float.
wait_for 'E0201'
keys ':lua vim.diagnostic.open_float()' Enter
wait_for 'help: did you mean `sep_conv_5x5`?'
sleep 0.3 # let the float finish drawing
diagnostic=$(capture)

# 2. Hover on `sep_conv_5x5` in the reduce row (line 37), declared in stdlib/ops2d.darts.
keys ':call cursor(37, 20)' Enter
keys ':lua vim.lsp.buf.hover()' Enter
wait_for 'primitive sep_conv_5x5('
sleep 0.3
hover=$(capture)

keys ':qa!' Enter

printf '%s\n' '--- diagnostic ---' "$diagnostic" '--- hover ---' "$hover"
if [ -n "$out" ]; then
  mkdir -p "$out"
  printf '%s\n' "$diagnostic" >"$out/diagnostic.txt"
  printf '%s\n' "$hover" >"$out/hover.txt"
fi
