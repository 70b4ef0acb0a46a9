#!/usr/bin/env bash
# Re-extract messages and merge them into the vi/en catalogues; then translate the empty vi entries.
set -euo pipefail
cd "$(dirname "$0")/.."
.venv/bin/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k N_ --no-location --sort-output \
  -o lms/translations/messages.pot lms >/dev/null 2>&1
.venv/bin/pybabel update -i lms/translations/messages.pot -d lms/translations --no-fuzzy-matching --ignore-obsolete >/dev/null 2>&1
