#!/bin/sh
# Re-extract the UI texts, merge them into every catalogue and compile.
# New or changed texts arrive with an empty (or fuzzy) msgstr: translate them in
# translations/<lang>/LC_MESSAGES/messages.po, then run this again to compile.
# tests/test_i18n.py fails while any text is untranslated or the .mo is stale.
# Usage: translations/update.sh   (PYBABEL=/path/to/pybabel to choose the binary)
set -eu
cd "$(dirname "$0")/.."
PYBABEL="${PYBABEL:-pybabel}"
"$PYBABEL" extract -F babel.cfg -k _l -k lazy_gettext -k lazy_pgettext:1c,2 -k N_ --project OMS \
    --version "$(sed -n 's/^version = "\(.*\)"/\1/p' pyproject.toml)" \
    -o translations/messages.pot .
"$PYBABEL" update -i translations/messages.pot -d translations --ignore-obsolete
"$PYBABEL" compile -d translations --statistics
