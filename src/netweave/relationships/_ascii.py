"""ASCII stand-ins for text, so word rules can run without case-insensitive Unicode matching.

>>> ascii_stand_in("Congrats, Zoë!")
'congrats, zo_!'
"""

from __future__ import annotations

__all__ = ["FOLDS_TO_ASCII", "ascii_stand_in"]

# A rule made of lowercase ASCII words, \b, \w and \d, compiled without IGNORECASE, matches the
# stand-in exactly where the same rule with IGNORECASE matches the original text, and the
# regex engine is several times faster on it than on a wide string with IGNORECASE. The
# stand-in keeps the length: the four characters that case-fold to an ASCII letter become that
# letter; other decimal digits "0" (still \d); other letters and digits "_" (still \w, and in no
# rule's words); the rest NUL (neither, like the spaces and symbols no rule names).
FOLDS_TO_ASCII = {"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"}


def _ascii_char(char: str) -> str:
    if char in FOLDS_TO_ASCII:
        return FOLDS_TO_ASCII[char]
    if char.isdecimal():
        return "0"
    return "_" if char.isalnum() else "\0"


class _AsciiChars(dict[int, str]):
    """``str.translate`` table: non-ASCII code point -> its stand-in, computed once each."""

    def __missing__(self, code: int) -> str:
        self[code] = found = _ascii_char(chr(code)) if code > 0x7F else chr(code)
        return found


_ASCII_CHARS = _AsciiChars()


def ascii_stand_in(text: str) -> str:
    """``text`` lowered, with every non-ASCII character replaced by its ASCII stand-in.

    >>> ascii_stand_in("Café ☕ ſo").replace("\\0", "#")
    'caf_ # so'
    """
    return text.translate(_ASCII_CHARS).lower()
