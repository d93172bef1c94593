#!/usr/bin/env bash
# Installs every Debian package vxpkit needs to build and test. Idempotent: packages already
# installed are skipped, and apt is not touched at all when nothing is missing. Works as root or
# through sudo. Debian packages only (no PyPI, no downloads).
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config git
  clang clang-format clang-tidy libclang-rt-dev   # libFuzzer and sanitizers
  libboost1.81-dev libboost-json1.81-dev           # Boost.JSON (and Beast for the hub)
  libpugixml-dev libxml2-dev libssl-dev libexpected-dev libcli11-dev
  libxmlsec1-dev xmlsec1 libqpdf-dev qpdf libsqlite3-dev libicu-dev
  libarchive-dev                                   # ZIP attachments (the hub may zip a PDF)
  libpq-dev postgresql                             # PostgreSQL stores; tests start a server
  libcairo2-dev libpango1.0-dev libqrencode-dev fonts-dejavu-core  # certificates: PDF, QR code
  libgtest-dev libgmock-dev libbenchmark-dev
  python3 python3-dev pybind11-dev python3-pytest python3-jsonschema python3-junitparser
  chromium                                         # headless, for the HTML report test
  chromium-driver python3-selenium                 # the browser tests that click (Selenium)
  wrk                                              # the baseline of bench/load_bench
  poppler-utils zbar-tools                         # certificate tests: pdftotext, pdftoppm, zbarimg
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "install-deps: need root or sudo to install: ${missing[*]}" >&2; exit 2; }
  sudo="sudo"
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
