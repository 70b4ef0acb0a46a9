#!/usr/bin/env bash
# Installs the certificate PDF's fonts (DejaVu Serif: full Vietnamese coverage) from Debian when missing.
# Another folder holding DejaVuSerif.ttf and DejaVuSerif-Bold.ttf can be named by CERTIFICATE_FONT_DIR instead.
set -euo pipefail
if [ -n "${CERTIFICATE_FONT_DIR:-}" ] && [ -f "$CERTIFICATE_FONT_DIR/DejaVuSerif.ttf" ]; then
  exit 0
fi
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf ] && [ -f /usr/share/fonts/truetype/dejavu/DejaVuSerif-Bold.ttf ] && exit 0
echo "installing from Debian: fonts-dejavu-core (certificate fonts)"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q >/dev/null
$SUDO apt-get install -y -q --no-install-recommends fonts-dejavu-core >/dev/null
