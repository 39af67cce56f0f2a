"""What one word token can be in a person's name, judged by the name lists and the vocabulary.

The rules of ``names.py`` combine these tests over neighbouring tokens.
Design notes and measurements: the docstring of ``phi.py``.
"""

from __future__ import annotations

from . import _vocab
from ._lexicon import Lexicon, lexicon
from ._tokens import Tok, camel_brand


def is_initial(token: Tok) -> bool:
    return len(token.word) == 1 and token.word.isupper()


class NameWords:
    """The name lists (``_lexicon.py``) and billing vocabulary (``_vocab.py``) as word tests."""

    __slots__ = ("first", "census_first", "last", "common", "known", "popular", "stop", "surname_ok")

    def __init__(self, lists: Lexicon) -> None:
        self.first, self.census_first, self.last = lists.first, lists.census_first, lists.last
        self.common, self.known, self.popular = lists.common, lists.known, lists.popular
        self.stop, self.surname_ok = _vocab.STOP_WORDS, _vocab.SURNAME_OK

    def is_ambiguous(self, token: Tok) -> bool:
        # Frequent English words, places/months that are names, and 1-2 letter
        # tokens ("Ch 15", "Sec") carry no evidence on their own.
        return token.low in self.common or token.low in self.surname_ok or len(token.low) < 3

    def is_surname(self, token: Tok) -> bool:
        if token.low in self.last:
            return True
        parts = token.low.split("-")
        return len(parts) > 1 and all(part in self.last for part in parts)  # "Perez-Gutierrez"

    def is_in_no_list(self, token: Tok) -> bool:
        # A capitalised word that is in no name list and no English word list:
        # most likely a rare surname ("Oduya", "Adeyemi").
        return (token.cap and len(token.low) > 2 and token.low not in self.stop and token.low not in self.known
                and not camel_brand(token.word) and token.low not in self.first and not self.is_surname(token))

    def is_plain_word(self, token: Tok) -> bool:
        # A frequent English word that is not also a popular name ("Said", "Rule", "To").
        return token.low in self.common and token.low not in self.popular

    def can_start_name(self, token: Tok) -> bool:
        return (token.cap and token.low in self.first and token.low not in self.stop and len(token.low) > 1
                and not self.is_plain_word(token))

    def can_end_name(self, token: Tok) -> bool:
        return (token.cap and len(token.low) > 1 and self.is_surname(token)
                and (token.low not in self.stop or token.low in self.surname_ok) and not self.is_plain_word(token))

    def is_capitalised_name(self, token: Tok) -> bool:
        """A capitalised word that is a listed name or in no list at all."""
        return (token.cap and token.low not in self.stop and not self.is_plain_word(token)
                and (self.is_surname(token) or token.low in self.first or self.is_in_no_list(token)))

    def is_hyphenated_name(self, token: Tok) -> bool:
        parts = token.low.split("-")
        return len(parts) > 1 and all(part in self.first or part in self.last or part not in self.known
                                      for part in parts if part)

    def may_be_name(self, token: Tok) -> bool:
        # May be a name word: capitalised, not billing vocabulary, not a CamelCase brand
        # ("CareFirst"), and a listed name, a word in no dictionary, or spelled with diacritics.
        if token.upper and not token.foreign and not (token.low in self.first or self.is_surname(token)):
            return False
        return (token.cap and len(token.low) > 1 and token.low not in self.stop and not self.is_plain_word(token)
                and not camel_brand(token.word)
                and (token.foreign or token.low in self.first or self.is_surname(token) or self.is_in_no_list(token)
                     or self.is_hyphenated_name(token)))

    def is_clearly_name(self, token: Tok) -> bool:
        if token.upper and not token.foreign:  # "DME MAC", "FQHC PPS": acronyms, unless listed names
            return (token.low in self.first or self.is_surname(token)) and not self.is_ambiguous(token)
        return (token.foreign or self.is_in_no_list(token) or self.is_hyphenated_name(token)
                or ((token.low in self.first or self.is_surname(token)) and not self.is_ambiguous(token)))

    def is_lower_case_name(self, token: Tok) -> bool:
        # a lower-case word that is a name and not an English word: "oyekan", "dương"
        return (not token.cap and len(token.low) > 1 and token.low not in self.common and token.low not in self.stop
                and (token.foreign or token.low in self.first or self.is_surname(token)
                     or token.low not in self.known))


_words: NameWords | None = None


def name_words() -> NameWords:
    """The word tests over the process's name lists, built once (``lexicon()`` loads the lists)."""
    global _words
    if _words is None:
        _words = NameWords(lexicon())
    return _words
