#!/usr/bin/env bash
# Make sure headless Chromium (Debian package `chromium`) is installed: the
# browser test of the HTML calibration report opens the report in it.
# Idempotent: does nothing when `chromium` is already on PATH.
set -euo pipefail

if command -v chromium >/dev/null 2>&1; then
  echo "chromium: already installed ($(command -v chromium))"
  exit 0
fi

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo -n "$@"; fi; }

if [ "$(id -u)" -ne 0 ] && ! sudo -n true 2>/dev/null; then
  echo "chromium: not installed and no root to install it." >&2
  echo "Fix: as root, apt-get update && apt-get install -y --no-install-recommends chromium" >&2
  exit 1
fi

echo "chromium: installing with apt (first run only)"
as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null
echo "chromium: installed ($(command -v chromium))"
