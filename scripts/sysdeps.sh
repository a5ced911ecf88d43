#!/usr/bin/env bash
# System packages the project needs beyond Python: LibreOffice (recalculates the Excel
# reports and opens the Word files in tests), poppler (PDF to PNG), fonts and Chromium.
# Installs what is missing when run as root with apt-get; otherwise says what to install.
set -euo pipefail
need=()
command -v soffice >/dev/null 2>&1 || need+=(libreoffice-calc-nogui libreoffice-writer-nogui)
command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)
[ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need+=(fonts-dejavu-core)
ldconfig -p 2>/dev/null | grep -q libpango-1.0 || need+=(libpango-1.0-0 libpangoft2-1.0-0)
[ -x /usr/bin/chromium ] || need+=(chromium)  # tests/test_browser.py (Playwright, by path)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing system packages: ${need[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
else
  echo "warning: missing system packages (tests that need them will skip): ${need[*]}" >&2
fi
