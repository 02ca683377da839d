#!/usr/bin/env bash
# Catalog maintenance: extract messages from the code, merge them into each language's .po, compile.
#   bash scripts/i18n.sh            extract + update + compile
#   bash scripts/i18n.sh compile    compile only
set -euo pipefail
cd "$(dirname "$0")/.."
PYBABEL=${PYBABEL:-pybabel}
PYTHON=${PYTHON:-python3}
if [ "${1:-}" != "compile" ]; then
  "$PYBABEL" extract -F babel.cfg -k _ -k N_ -k n_:1,2 --no-location --sort-output \
    --project dutybot --copyright-holder dutybot -o locales/dutybot.pot .
  for lang in zh_Hans en; do
    if [ -f "locales/$lang/LC_MESSAGES/dutybot.po" ]; then
      "$PYBABEL" update -i locales/dutybot.pot -d locales -D dutybot -l "$lang" --no-fuzzy-matching
    else
      "$PYBABEL" init -i locales/dutybot.pot -d locales -D dutybot -l "$lang"
    fi
  done
  # English is the source language: its catalog says each message as written.
  "$PYTHON" - <<'PY'
from babel.messages.pofile import read_po, write_po
path = "locales/en/LC_MESSAGES/dutybot.po"
with open(path, "rb") as handle:
    catalog = read_po(handle)
for message in catalog:
    if message.id and not any([message.string] if isinstance(message.string, str) else message.string):
        message.string = message.id if isinstance(message.id, str) else tuple(message.id)
with open(path, "wb") as handle:
    write_po(handle, catalog, sort_output=True, width=100)
PY
  echo "Now translate the new entries in locales/zh_Hans/LC_MESSAGES/dutybot.po, then run: $0 compile"
fi
"$PYBABEL" compile -d locales -D dutybot --statistics
