#!/usr/bin/env bash
# Builds native/kernels.wasm (dartsc's own SIMD kernels for the tfjs wasm backend) from
# native/kernels.c with Debian's clang 14 and lld 14: `npm run build:kernels`. The result is
# committed; test/numerics/ownKernels.test.ts rebuilds it when clang is present and compares
# the bytes. An optional argument writes elsewhere (the test builds into a scratch folder).
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-native/kernels.wasm}"
flags=(--target=wasm32 -O3 -msimd128 -mbulk-memory -nostdlib -ffreestanding -Wall -Wextra -Werror)
# No shadow stack: the kernels must not touch __stack_pointer (tfjs owns the memory). The
# stack is also placed first and empty, so that any use would trap at address 2^32 - 16.
if clang "${flags[@]}" -S -o - native/kernels.c | grep __stack_pointer >/dev/null; then
  echo 'native/kernels.c uses the shadow stack (__stack_pointer): not allowed' >&2
  exit 1
fi
# Freestanding wasm32 with SIMD and bulk memory (zeroing loops may become memory.fill).
# The memory is imported (tfjs's heap), nothing is exported but the kernels, and the debug
# path prefix is mapped so that the bytes do not depend on where the repository lives.
clang "${flags[@]}" -ffile-prefix-map="$PWD"=. \
  -Wl,--no-entry -Wl,--import-memory -Wl,--strip-all -Wl,-z,stack-size=0 -Wl,--stack-first \
  -o "$out" native/kernels.c
