#!/usr/bin/env bash
# Installs the command-line tools some tests use to read what the service produced:
# zbarimg decodes QR codes, pdftotext reads PDFs, chromium runs the console's browser tests (through Playwright,
# whose own browser download is never used). Debian packages, installed once.
set -euo pipefail
"$(dirname "$0")/app-deps.sh"
missing=()
command -v zbarimg >/dev/null 2>&1 || missing+=(zbar-tools)
command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "tests need: sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "installing ${missing[*]} (first run only)" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq "${missing[@]}" >/dev/null
