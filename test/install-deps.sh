#!/bin/sh
# Installs what the test suite needs besides npm packages: real Prometheus, promtool,
# Alertmanager and amtool from Debian (the rule and end-to-end tests run the real binaries), and
# Debian's docker-compose (test/stack validates docker-compose.yml offline with `config -q`; no
# Docker daemon needed), and Chromium for the overview page's browser tests.
set -eu
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
need=""
command -v promtool >/dev/null 2>&1 || need="$need prometheus"
command -v amtool >/dev/null 2>&1 || need="$need prometheus-alertmanager"
command -v docker-compose >/dev/null 2>&1 || need="$need docker-compose"
# test/overview drives the overview page in headless Chromium (playwright-core, no browser download).
[ -x /usr/bin/chromium ] || need="$need chromium"
if [ -n "$need" ]; then
  $SUDO apt-get update -q
  # shellcheck disable=SC2086
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends $need
fi
