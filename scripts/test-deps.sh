#!/usr/bin/env bash
# Installs the command-line tools some tests use to read what the service produced:
# zbarimg decodes QR codes, pdftotext reads PDFs, chromium runs the console's browser tests (through Playwright,
# whose own browser download is never used): Debian packages. Spectral lints openapi.yaml (npm, into .tools/spectral,
# not into git). Installed once.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/scripts/app-deps.sh"
spectral_version="6.16.3"
install_spectral() {
  [ -x "$root/.tools/spectral/node_modules/.bin/spectral" ] && return 0
  echo "installing @stoplight/spectral-cli $spectral_version into .tools/spectral (first run only)" >&2
  mkdir -p "$root/.tools/spectral"
  (cd "$root/.tools/spectral" && npm install --no-audit --no-fund --loglevel=error "@stoplight/spectral-cli@$spectral_version" >/dev/null)
}
missing=()
command -v zbarimg >/dev/null 2>&1 || missing+=(zbar-tools)
command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)
if [ ${#missing[@]} -eq 0 ]; then
  install_spectral
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "tests need: sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "installing ${missing[*]} (first run only)" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq "${missing[@]}" >/dev/null
install_spectral
