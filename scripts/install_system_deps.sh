#!/usr/bin/env bash
# Installs the Debian packages used by the browser test (chromium), the spreadsheet test (LibreOffice) and the
# linkage on Spark (Java 17 for pyspark, tests/test_spark.py).
# Needs root (or sudo); does nothing when they are already there.
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v soffice >/dev/null 2>&1 || need+=(libreoffice-calc-nogui)
command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
fc-list 2>/dev/null | grep -qi dejavu || need+=(fonts-dejavu-core)
java_major=$(java -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n 1)
[ "${java_major:-0}" -ge 17 ] || need+=(openjdk-17-jre-headless)  # Spark 4 needs Java 17+
if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "Perlu paket Debian: ${need[*]}. Jalankan sebagai root: apt-get install ${need[*]}" >&2
    exit 1
  fi
fi
echo "Memasang paket sistem: ${need[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
