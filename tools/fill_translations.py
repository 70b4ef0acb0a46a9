"""Merge translations from a Python dict file into lms/translations/vi (maintainer helper).

Usage: python tools/fill_translations.py DICT_FILE — DICT_FILE defines VI = {english: vietnamese}.
Existing translations are kept; new msgids from messages.pot are added first with `pybabel update`.
"""

import runpy
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

PO = Path(__file__).resolve().parent.parent / "lms/translations/vi/LC_MESSAGES/messages.po"


def main(dict_file: str) -> None:
    translations = runpy.run_path(dict_file)["VI"]
    with PO.open("rb") as handle:
        catalog = read_po(handle, locale="vi")
    for message in catalog:
        if isinstance(message.id, tuple):  # ngettext: Vietnamese has one form, taken from the singular's entry
            if message.id[0] in translations and not any(message.string):
                message.string = (translations[message.id[0]],) * catalog.num_plurals
                message.flags.discard("fuzzy")
        elif message.id and not message.string and message.id in translations:
            message.string = translations[message.id]
            message.flags.discard("fuzzy")
    with PO.open("wb") as handle:
        write_po(handle, catalog, width=120, omit_header=False)


if __name__ == "__main__":
    main(sys.argv[1])
