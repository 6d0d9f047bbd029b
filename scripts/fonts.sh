#!/usr/bin/env bash
# The PDF report (WeasyPrint) and the DOCX charts set Russian text in DejaVu Sans: install Debian's
# fonts-dejavu-core when it is missing (never a downloaded font). WeasyPrint also needs Pango
# (libpango-1.0-0, libpangoft2-1.0-0), installed the same way when missing, and HarfBuzz's subsetter
# (libharfbuzz-subset0): without it WeasyPrint subsets fonts with fontTools, a second slower per PDF.
set -eu
have_font() { fc-list 2>/dev/null | grep -qi 'DejaVuSans\.ttf' || [ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ]; }
have_pango() { ldconfig -p 2>/dev/null | grep -q 'libpangoft2-1.0.so.0'; }
have_subset() { ldconfig -p 2>/dev/null | grep -q 'libharfbuzz-subset.so.0'; }
if have_font && have_pango && have_subset; then exit 0; fi
packages=""
have_font || packages="$packages fonts-dejavu-core fontconfig"
have_pango || packages="$packages libpango-1.0-0 libpangoft2-1.0-0"
have_subset || packages="$packages libharfbuzz-subset0"
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian's$packages for the PDF and DOCX reports…"
  apt-get update -qq
  # shellcheck disable=SC2086
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $packages >/dev/null
else
  echo "Missing for the PDF and DOCX reports:$packages (sudo apt-get install$packages)." >&2
  exit 1
fi
