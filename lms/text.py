"""Text rules: NFC storage without control characters, spreadsheet cells, accent-insensitive search, collation."""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")
# Control characters (Unicode Cc) other than tab, line feed and carriage return, and the code points XML 1.0
# cannot hold (lone surrogates, U+FFFE, U+FFFF). They have no place in any text of the platform and one of
# them in a stored text makes every .xlsx holding it unreadable.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_BREAKS_AS_SPACES = str.maketrans({"\x0b": " ", "\x0c": " "})
# What makes a spreadsheet read a cell as a formula (OWASP, CSV injection), full-width forms included.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
EXCEL_CELL_MAX = 32767  # characters Excel can hold in one cell

# Vietnamese alphabet order: a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y.
_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_LETTER_RANK = {letter: index for index, letter in enumerate(_ALPHABET)}
# Tone marks sort after the base letter: none, grave, hook, tilde, acute, dot below.
_TONE_RANK = {"": 0, "\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
_LETTER_MARKS = {"\u0306", "\u0302", "\u031b"}  # breve, circumflex, horn: part of the letter


def strip_control(text: str) -> str:
    """``text`` without CONTROL_CHARACTERS; vertical tab and form feed (Word's line and page breaks) become
    spaces so the words around them stay apart."""
    if not CONTROL_CHARACTERS.search(text):
        return text
    return CONTROL_CHARACTERS.sub("", text.translate(_BREAKS_AS_SPACES))


def neutralise_formula(text: str) -> tuple[str, bool]:
    """Text for a spreadsheet cell, and whether the writer must mark it as text.

    The one rule of every spreadsheet the platform writes (through :func:`set_xlsx_text` and
    :func:`csv_text`): control characters are removed (an .xlsx cannot hold them), the text is cut to what
    Excel holds in a cell, and True is returned when the text starts with FORMULA_STARTS.
    """
    text = strip_control(text)[:EXCEL_CELL_MAX]
    return text, text.startswith(FORMULA_STARTS)


def set_xlsx_text(cell, text: str) -> None:
    """Put ``text`` in an openpyxl cell; formula-like text is stored as a string with Excel's quote prefix
    (shown as typed, never evaluated, still text when edited, read back unchanged)."""
    text, formula_like = neutralise_formula(text)
    cell.value = text
    if formula_like:
        cell.data_type = "s"
        cell.quotePrefix = True


def csv_text(text: str) -> str:
    """``text`` for a CSV cell; formula-like text gets Excel's leading apostrophe (CSV has no cell styles)."""
    text, formula_like = neutralise_formula(text)
    return "'" + text if formula_like else text


def nfc(text: str | None) -> str:
    """Return text in Unicode NFC, without control characters, surrounding spaces trimmed; None becomes ''."""
    if text is None:
        return ""
    return unicodedata.normalize("NFC", strip_control(text)).strip()


def clean_line(text: str | None) -> str:
    """NFC and single spaces: for names and one-line fields."""
    return _SPACES.sub(" ", nfc(text))


def fold(text: str | None) -> str:
    """Lower-case ASCII form for search: 'Nguyễn Thị Hương' and 'nguyen thi huong' fold alike."""
    decomposed = unicodedata.normalize("NFD", clean_line(text).lower())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.replace("đ", "d")


def _letter_keys(word: str) -> tuple[tuple[int, ...], tuple[int, ...]]:
    keys = []
    tones = []
    for char in word.lower():
        decomposed = unicodedata.normalize("NFD", char)
        base = decomposed[0]
        marks = decomposed[1:]
        letter = unicodedata.normalize("NFC", base + "".join(m for m in marks if m in _LETTER_MARKS))
        tone = "".join(m for m in marks if m not in _LETTER_MARKS)
        keys.append(_LETTER_RANK.get(letter, 100 + ord(letter[0])))
        tones.append(_TONE_RANK.get(tone, 9))
    # Letters decide first; tones only break ties between otherwise equal words.
    return tuple(keys), tuple(tones)


def collation_key(text: str) -> tuple:
    """Sort key following the Vietnamese alphabet, diacritics after the base letter."""
    return tuple(_letter_keys(word) for word in clean_line(text).split(" "))


def name_sort_key(full_name: str) -> tuple:
    """Class lists sort by given name (last word), then family and middle names."""
    words = clean_line(full_name).split(" ")
    given = words[-1] if words else ""
    return (collation_key(given), collation_key(" ".join(words[:-1])))


def split_name(full_name: str) -> tuple[str, str]:
    """Split 'Nguyễn Thị Hương' into ('Nguyễn Thị', 'Hương')."""
    words = clean_line(full_name).split(" ")
    return " ".join(words[:-1]), words[-1] if words else ""
