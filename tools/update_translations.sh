#!/usr/bin/env bash
# Re-extract messages, merge them into the vi/en catalogues, fill Vietnamese entries from
# tools/translations/*.py (each defines VI = {english: vietnamese}) and compile.
# Feature work adds its strings to its own tools/translations/<area>.py, so nobody edits the .po by hand.
set -euo pipefail
cd "$(dirname "$0")/.."
.venv/bin/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k N_ --no-location --sort-output \
  -o lms/translations/messages.pot lms >/dev/null 2>&1
.venv/bin/pybabel update -i lms/translations/messages.pot -d lms/translations --no-fuzzy-matching \
  --ignore-obsolete >/dev/null 2>&1
for dict_file in tools/translations/*.py; do
  .venv/bin/python tools/fill_translations.py "$dict_file"
done
.venv/bin/pybabel compile -d lms/translations >/dev/null
.venv/bin/python - <<'PY'
from babel.messages.pofile import read_po
with open("lms/translations/vi/LC_MESSAGES/messages.po", "rb") as handle:
    missing = [m.id for m in read_po(handle, locale="vi") if m.id and not m.string]
for message_id in missing:
    print(f"untranslated: {message_id!r}")
PY
