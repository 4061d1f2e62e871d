#!/bin/sh
# The system libraries WeasyPrint needs, on Debian and Ubuntu: Pango (text layout) and
# HarfBuzz-Subset (font subsetting; without it WeasyPrint falls back to the slower
# fontTools). Installs what is missing when run as root (or with sudo), else says what
# to install. Elsewhere it only explains, and never fails the set-up.
set -eu
packages="libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0"
if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
  echo "setup: not Debian or Ubuntu: install Pango and HarfBuzz-Subset with your package manager"
  exit 0
fi
missing=""
for package in $packages; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "ok installed"; then
    missing="$missing $package"
  fi
done
if [ -z "$missing" ]; then
  echo "setup: Pango and HarfBuzz-Subset are installed"
  exit 0
fi
if [ "$(id -u)" = 0 ]; then
  (apt-get update -qq && apt-get install -y -qq $missing) || \
    echo "setup: could not install$missing"
elif command -v sudo >/dev/null 2>&1; then
  (sudo apt-get update -qq && sudo apt-get install -y -qq $missing) || \
    echo "setup: could not install$missing"
else
  echo "setup: missing:$missing (apt-get install$missing as root)"
fi
