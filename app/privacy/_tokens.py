"""Word tokens for the name detector: offsets, case, diacritics folded for the name lists,
and the organisation / eponym phrases blanked before any name rule runs.

Design notes and measurements: the docstring of ``phi.py``.
"""

from __future__ import annotations

import re
import unicodedata

from . import _vocab

# Letters of any script; apostrophes and hyphens inside ("O'Brien", "Oshin-Makinde").
TOKEN = re.compile(r"[^\W\d_](?:(?:[^\W\d_]|['-])*[^\W\d_])?")
_UNFOLDABLE = str.maketrans({"đ": "d", "ł": "l", "ø": "o", "ß": "ss", "æ": "ae", "œ": "oe", "ı": "i"})


def fold(word: str) -> str:
    """"Roldán" -> "roldan", "Łyp" -> "lyp": the name lists are spelled without diacritics."""
    low = word.lower()
    if low.isascii():
        return low
    low = low.translate(_UNFOLDABLE)
    return "".join(c for c in unicodedata.normalize("NFKD", low) if not unicodedata.combining(c))


def non_latin(word: str) -> bool:
    # Hangul, Cyrillic, Arabic, Devanagari, CJK...: in an English remittance narrative, a name.
    return any(ord(c) > 0x24F for c in word) and len(word) > 1


_CAMEL = re.compile(r"[a-z][A-Z]")
EAST_ASIAN_GIVEN = re.compile(r"^[A-Z][a-z]{0,4}-[a-z]{2,5}$")
_NAME_PREFIX_CAMEL = re.compile(r"^(?:Mc|Mac|De|Di|Da|Du|La|Le|Van|Von|St|Ma)[A-Z]")


def camel_brand(word: str) -> bool:
    # "BlueCross", "UnitedHealthcare", "eviCore" are brands; "McDonald", "DeShawn", "LaToya" names.
    return bool(_CAMEL.search(word)) and not _NAME_PREFIX_CAMEL.match(word)


class Tok:
    __slots__ = ("start", "end", "word", "low", "cap", "upper", "possessive", "foreign")

    def __init__(self, start: int, end: int, word: str) -> None:
        possessive = False
        if len(word) > 2 and word[-2:] in ("'s", "'S"):
            word = word[:-2]
            end -= 2
            possessive = True
        elif word.endswith("'"):
            word = word[:-1]
            end -= 1
        self.start, self.end, self.word = start, end, word
        # The census lists spell O'Brien as OBRIEN, Muñoz as MUNOZ.
        self.low = fold(word).replace("'", "")
        # Diacritics or another script: "Đặng", "Colón", "Łyp" are names far more often than words.
        self.foreign = not word.isascii()
        self.upper = len(word) > 1 and word.isupper()
        self.cap = word[0].isupper()
        self.possessive = possessive


def _phrase_index() -> dict[str, list[tuple[str, ...]]]:
    index: dict[str, list[tuple[str, ...]]] = {}
    for phrase in _vocab.NAME_LIKE_PHRASES:
        key = tuple(Tok(m.start(), m.end(), m.group()).low for m in TOKEN.finditer(phrase))
        if key:
            index.setdefault(key[0], []).append(key)
    for keys in index.values():
        keys.sort(key=len, reverse=True)
    return index


_PHRASE_INDEX = _phrase_index()


def block_phrases(toks: list[Tok]) -> None:
    """Neutralise tokens of organisation names and eponyms ("Henry Ford", "Tommy John")."""
    i, n = 0, len(toks)
    while i < n:
        keys = _PHRASE_INDEX.get(toks[i].low)
        if keys:
            for key in keys:
                k = len(key)
                if i + k <= n and all(toks[i + j].low == key[j] for j in range(1, k)):
                    for tok in toks[i:i + k]:
                        tok.low = tok.word = ""
                        tok.cap = tok.upper = tok.foreign = False
                    i += k - 1
                    break
        i += 1
