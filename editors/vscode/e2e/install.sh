#!/usr/bin/env bash
# Installs what the real-VS-Code suite (tests/vscode) needs and builds the extension's .vsix:
#   apt: chromium (the Playwright browser), libkrb5-dev (code-server's kerberos build), ripgrep
#   npm: the extension's dependencies and code-server 4.100.3 + playwright-core, from lockfiles
# Idempotent: each step is skipped when its lockfile (or sources) did not change since last time.
# Recipes and traps: shared docs real-editors.md (code-server on Node 20, ripgrep cache, npx yes).
set -euo pipefail

E2E=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
EXT=$(dirname "$E2E")
CACHE="$E2E/.cache"
mkdir -p "$CACHE/tmp"
T0=$(date +%s)
say() { echo "[vscode-e2e install +$(($(date +%s) - T0))s] $*"; }

# --- 1. system packages -------------------------------------------------------------------
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
dpkg -s libkrb5-dev >/dev/null 2>&1 || missing+=(libkrb5-dev)
command -v rg >/dev/null 2>&1 || missing+=(ripgrep)
if ((${#missing[@]})); then
  say "apt-get install ${missing[*]}"
  SUDO=()
  [ "$(id -u)" = 0 ] || SUDO=(sudo)
  "${SUDO[@]}" apt-get update -qq
  "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
    -o DPkg::Lock::Timeout=300 "${missing[@]}" >/dev/null
fi

# --- 2. npm dependencies from lockfiles ---------------------------------------------------
export npm_config_fund=false npm_config_audit=false npm_config_update_notifier=false
export npm_config_loglevel=error
# node-pty's postinstall runs `npx node-gyp`; a ~/.npmrc with yes=false would cancel it.
export npm_config_yes=true npm_config_unsafe_perm=true
# argon2/node-pty build from source against the system Node 20 headers.
if [ -z "${npm_config_nodedir:-}" ] && [ -f /usr/include/node/node.h ]; then
  export npm_config_nodedir=/usr
fi

lock_sum() { sha256sum "$1/package-lock.json" "$1/package.json" | sha256sum | cut -c1-16; }

npm_ci() { # dir label
  local dir=$1 stamp="$1/node_modules/.glm-install-stamp" sum
  sum=$(lock_sum "$dir")
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$sum" ]; then
    say "$2: node_modules up to date"
    return
  fi
  say "$2: npm ci"
  (cd "$dir" && npm ci --no-audit --no-fund --unsafe-perm)
  echo "$sum" >"$stamp"
}

npm_ci "$EXT" "extension"

# code-server's postinstall installs VS Code's own pinned dependencies; among them
# @vscode/ripgrep 1.15.11, whose postinstall downloads rg from api.github.com. Seed its cache
# (it looks in os.tmpdir()) with Debian's rg so the install works offline.
RG_VERSION=1.15.11
RG_ASSET=ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz
RG_CACHE="$CACHE/tmp/vscode-ripgrep-cache-$RG_VERSION"
if [ ! -f "$RG_CACHE/$RG_ASSET" ]; then
  mkdir -p "$RG_CACHE" "$CACHE/rgpkg"
  cp "$(command -v rg)" "$CACHE/rgpkg/rg"
  tar czf "$RG_CACHE/$RG_ASSET" -C "$CACHE/rgpkg" rg
fi
TMPDIR="$CACHE/tmp" npm_ci "$E2E" "code-server + playwright-core"

# --- 3. the .vsix, with the server wheel built from this checkout ----------------------
VSIX="$EXT/out/glm-lsp-vscode.vsix"
# The .vsix carries the server wheel, so the server's sources count too.
src_sum=$(cd "$EXT" && { find package.json package-lock.json esbuild.mjs tsconfig.json README.md \
  .vscodeignore src media scripts ../../server/glm_lsp ../../pyproject.toml -type f \
  -not -name '*.pyc' 2>/dev/null || true; } | sort | xargs cat | sha256sum | cut -c1-16)
if [ -f "$VSIX" ] && [ -f "$EXT/out/.vsix-stamp" ] && [ "$(cat "$EXT/out/.vsix-stamp")" = "$src_sum" ]; then
  say "vsix up to date"
else
  say "building the vsix"
  (cd "$EXT" && npm run --silent package >/dev/null)
  echo "$src_sum" >"$EXT/out/.vsix-stamp"
fi

say "done: $VSIX, code-server $(node -p "require('$E2E/node_modules/code-server/package.json').version")"
