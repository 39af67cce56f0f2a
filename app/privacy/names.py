"""PHI detector for person names: dictionaries plus context rules over word tokens.

A scan walks a text's tokens once. From a token that could begin a name it tries the rules that
read a name from its context (an honorific, a word for a person, a role word), then, unless the
token already belongs to a name, the rules that read a name from the words alone, in the order of
``_CONTEXT_RULES`` and ``_WORD_RULES``. A rule that finds a name marks it and answers where the scan
goes on; a rule that does not answers None and the next one tries.

Design notes and measurements: the docstring of ``phi.py``.
"""

from __future__ import annotations

from collections.abc import Callable

from . import _vocab
from ._name_words import NameWords, is_initial, name_words
from ._text import merge
from ._tokens import EAST_ASIAN_GIVEN, TOKEN, Tok, block_phrases, non_latin

_MONTHS = frozenset("april may june august".split())  # the months that are also first names

# Words between a role word and the name: "patient name is", "signed by the".
_ROLE_SKIP = _vocab.ROLE_TRIGGERS | {"is", "was", "name", "by", "the", "s"}

# The lower-case words a rule can start from; the scan passes over any other lower-case word
# that is not a first name.
_LOWER_CASE_STARTS = (_vocab.HONORIFICS | _vocab.ROLE_TRIGGERS | _vocab.CONTACT_TRIGGERS
                      | _vocab.PERSON_TRIGGERS | {"to", "with"})


def find_names(text: str) -> list[tuple[int, int]]:
    tokens = [Tok(m.start(), m.end(), m.group()) for m in TOKEN.finditer(text)]
    if not tokens:
        return []
    block_phrases(tokens)
    return merge(_NameScan(text, tokens, name_words()).names())


class _NameScan:
    """One text's tokens, the names found in it so far, and the rules that find them."""

    __slots__ = ("text", "tokens", "count", "words", "spans", "used")

    def __init__(self, text: str, tokens: list[Tok], words: NameWords) -> None:
        self.text, self.tokens, self.count, self.words = text, tokens, len(tokens), words
        self.spans: list[tuple[int, int]] = []
        # Tokens inside a name found, or passed over as an eponym or a plan name: no word rule starts there.
        self.used = [False] * len(tokens)

    def names(self) -> list[tuple[int, int]]:
        i = 0
        while i < self.count:
            token = self.tokens[i]
            if not (token.cap or token.foreign or token.low in _LOWER_CASE_STARTS or token.low in self.words.first):
                i += 1
                continue
            after = self.first_match(_CONTEXT_RULES, i)
            if after is None and not self.used[i]:
                after = self.first_match(_WORD_RULES, i)
            i = i + 1 if after is None else after
        return self.spans

    def first_match(self, rules: tuple[Callable[[_NameScan, int], int | None], ...], i: int) -> int | None:
        for rule in rules:
            after = rule(self, i)
            if after is not None:
                return after
        return None

    # ---------------------------------------------------------------- marking

    def mark_name(self, start: int, end: int) -> None:
        self.spans.append((self.tokens[start].start, self.tokens[end].end))
        for k in range(start, end + 1):
            self.used[k] = True

    def mark_unless_eponym_or_plan(self, start: int, end: int) -> None:
        # Words before an eponym noun are a medical term ("Denis Browne bar"), and words after a payer
        # a plan name ("Anthem Hoosier Healthwise", "Humana Gold Plus"): passed over, not reported.
        before = self.tokens[start - 1] if start > 0 and self.close_to_next(start - 1) else None
        after_payer = (before is not None and before.cap and before.low in self.words.stop and len(before.low) > 2
                       and not before.foreign)
        if self.eponym_follows(end) or after_payer:
            for k in range(start, end + 1):
                self.used[k] = True
        else:
            self.mark_name(start, end)

    # ---------------------------------------------------------------- where tokens stand

    def gap_after(self, i: int) -> str:
        """The text between token i and the next; NUL after the last token."""
        return self.text[self.tokens[i].end:self.tokens[i + 1].start] if i + 1 < self.count else "\x00"

    def close_to_next(self, i: int) -> bool:
        # Next token follows after plain spaces (or "'s " / a middle initial's ".").
        gap = self.gap_after(i)
        return 0 < len(gap) <= 3 and gap.strip(" .") == "" and (gap.count(".") == 0 or len(self.tokens[i].word) == 1)

    def is_mid_sentence(self, i: int) -> bool:
        before = self.text[:self.tokens[i].start].rstrip(" \t\"'(")
        return bool(before) and before[-1] not in ".!?:;\n-" and "\x00" not in before[-1:]

    def eponym_follows(self, end: int) -> bool:
        # "Sister Mary Joseph nodule", "Austin Moore hemiarthroplasty", "Denis Browne bar"
        return end + 1 < self.count and len(self.gap_after(end)) <= 2 and self.tokens[end + 1].low in _vocab.EPONYM_NOUNS

    def organisation_follows(self, end: int) -> bool:
        # "Henry Ford Hospital", "Rocky Mountain Health Plans"
        return end + 1 < self.count and self.close_to_next(end) and self.tokens[end + 1].low in _vocab.ORG_WORDS

    # ---------------------------------------------------------------- name shapes

    def extend_name(self, end: int) -> int:
        """The last token of a name that reaches token end, over a middle initial and further surnames."""
        tokens, words = self.tokens, self.words
        while end + 1 < self.count and self.close_to_next(end) and not tokens[end].possessive:
            following = tokens[end + 1]
            if is_initial(following) or (words.can_end_name(following) and not words.is_ambiguous(following)) \
                    or (following.cap and following.low in words.first and following.low not in words.stop
                        and not words.is_ambiguous(following)):
                end += 1
            else:
                break
        if is_initial(tokens[end]) and end > 0:
            end -= 1
        return end

    def is_word_names_pair(self, i: int, j: int) -> bool:
        # "Crystal Waters", "Grant Hill", "Hope Young's": a census first name and a census surname that
        # are both also English words. Capitalised in mid-sentence, or before a possessive or a lower-case
        # word (not a Title Case heading), and not a verb that starts a note ("Will", "Mark", "Bill").
        first, last, words = self.tokens[i], self.tokens[j], self.words
        if first.upper or last.upper or first.low not in words.census_first or not words.is_surname(last):
            return False
        if self.is_mid_sentence(i) or last.possessive:
            return True
        following = self.tokens[j + 1] if j + 1 < self.count else None
        title_case_follows = following is not None and self.close_to_next(j) and following.cap and not following.upper
        return not title_case_follows and first.low not in _vocab.NOTE_VERBS

    def first_last_end(self, i: int, strict: bool) -> int | None:
        """The last token of a "First [M.] Last" name starting at token i, or None. Strict: with no
        context to support it, so both words must read as a name."""
        tokens, words = self.tokens, self.words
        first = tokens[i]
        if not words.can_start_name(first) or first.possessive or not self.close_to_next(i):
            return None
        j = i + 1
        if j < self.count and is_initial(tokens[j]) and self.close_to_next(j):
            j += 1
        last = tokens[j]
        if strict:
            if not self.is_name_pair_without_context(i, j):
                return None
        elif not (last.cap and len(last.low) > 1 and (last.low not in words.stop or last.low in words.surname_ok)
                  and not words.is_plain_word(last)):
            return None
        elif words.is_ambiguous(first) and words.is_ambiguous(last):
            return None
        j = self.extend_name(j)
        if strict and self.organisation_follows(j):
            return None
        return j

    def is_name_pair_without_context(self, i: int, j: int) -> bool:
        first, last, words = self.tokens[i], self.tokens[j], self.words
        if first.upper != last.upper:
            return False
        if first.upper and (len(first.low) < 3 or len(last.low) < 3):
            return False
        if words.can_end_name(last):
            if words.is_ambiguous(first) and words.is_ambiguous(last) and not self.is_word_names_pair(i, j):
                return False
            if first.low not in words.census_first and words.is_ambiguous(last):
                return False  # world-list first names need a clear surname ("Priya Raman", not "Peer To")
        elif not (first.low in words.census_first and not words.is_ambiguous(first) and words.is_in_no_list(last)):
            return False
        return not (len(first.low) < 3 and first.low not in words.census_first)

    def last_comma_first_end(self, i: int, strict: bool) -> int | None:
        """The last token of a "Last, First [M]" name starting at token i, or None."""
        tokens, words = self.tokens, self.words
        last = tokens[i]
        if i + 1 >= self.count or not (last.cap and len(last.low) > 1) or last.low in words.stop:
            return None
        gap = self.gap_after(i)
        if gap.strip() != "," or len(gap) > 3:
            return None
        first = tokens[i + 1]
        if not words.can_start_name(first):
            return None
        if strict and (not words.is_surname(last) or (words.is_ambiguous(last) and words.is_ambiguous(first))
                       or last.upper != first.upper):
            return None
        if strict and last.upper and (len(last.low) < 3 or len(first.low) < 3):
            return None  # "THA, CO": abbreviations
        j = i + 1
        if j + 1 < self.count and is_initial(tokens[j + 1]) and self.close_to_next(j):
            j += 1
        return j

    # ---------------------------------------------------------------- rules with context

    def after_honorific(self, i: int) -> int | None:
        """An honorific and a name: "Mrs. Okafor", "Dr. Patel's", "MR NGUYEN", "mrs. henderson"."""
        tokens, words = self.tokens, self.words
        if tokens[i].low not in _vocab.HONORIFICS or i + 1 >= self.count:
            return None
        gap, following = self.gap_after(i), tokens[i + 1]
        close = gap.strip() in ("", ".") and len(gap) <= 3
        if is_initial(following) and i + 2 < self.count and close and self.close_to_next(i + 1):
            surname = tokens[i + 2]
            if surname.cap and surname.low not in words.stop and not words.is_plain_word(surname):
                self.mark_name(i + 1, i + 2)  # "Mrs. J. Whitfield"
                return i + 3
        if close and following.cap and len(following.low) > 1 and following.low not in words.stop:
            if words.is_plain_word(following):
                return None
            end = i + 1
            while end + 1 < self.count and self.close_to_next(end) and not tokens[end].possessive \
                    and words.is_capitalised_name(tokens[end + 1]):
                end += 1
            self.mark_name(i + 1, end)
            return end + 1
        if close and not following.cap and len(following.low) > 1 and words.is_lower_case_name(following):
            self.mark_name(i + 1, i + 1)  # "mrs. henderson", "mrs. amope faleti"
            return i + 2
        return None

    def after_person_word(self, i: int) -> int | None:
        """A lone listed first name after "spoke with", "rep", "asked": "rep Tasha said"."""
        tokens, words = self.tokens, self.words
        token = tokens[i]
        person = token.low in _vocab.PERSON_TRIGGERS or (i > 0 and tokens[i - 1].low in _vocab.PERSON_TRIGGERS
                                                         and token.low in ("to", "with"))
        if not (token.low in _vocab.CONTACT_TRIGGERS or person) or i + 1 >= self.count:
            return None
        following, gap = tokens[i + 1], self.gap_after(i)
        close = len(gap) <= 3 and gap.strip(" :,") == ""
        if close and not following.cap and following.low in words.census_first \
                and following.low not in words.common and following.low not in words.stop and len(following.low) > 2 \
                and not (i + 2 < self.count and self.close_to_next(i + 1) and words.is_lower_case_name(tokens[i + 2])):
            self.mark_name(i + 1, i + 1)  # "per alicia in billing", "spoke to john at aetna"
            return i + 2
        # after a word for a person ("rep", "asked", "spoke with") a word in no dictionary will do too
        if close and following.cap and not following.upper \
                and (following.low in words.first or (person and (words.is_in_no_list(following) or following.foreign))) \
                and not words.is_ambiguous(following) and following.low not in words.stop \
                and not words.is_plain_word(following) and not following.possessive \
                and not (i + 2 < self.count and self.close_to_next(i + 1) and tokens[i + 2].cap):
            self.mark_name(i + 1, i + 1)
            return i + 2
        return None

    def after_role_word(self, i: int) -> int | None:
        """A role word and a name: "pt John Smith", "member name: JAMES O'BRIEN", "pt. sarah connolly"."""
        tokens, text = self.tokens, self.text
        if tokens[i].low not in _vocab.ROLE_TRIGGERS or i + 1 >= self.count:
            return None
        k = i + 1
        while k < self.count and tokens[k].low in _ROLE_SKIP and len(text[tokens[k - 1].end:tokens[k].start]) <= 4:
            k += 1
        if k >= self.count:
            return None
        gap = text[tokens[k - 1].end:tokens[k].start]
        if len(gap) > 4 or any(c.isdigit() for c in gap) or "\x00" in gap:
            return None
        if tokens[k].cap:
            return self.capitalised_after_role(i, k)
        return self.lower_case_after_role(i, k)

    def capitalised_after_role(self, i: int, k: int) -> int | None:
        tokens, words = self.tokens, self.words
        role, name = tokens[i], tokens[k]
        end = self.first_last_end(k, strict=False)
        if end is None:
            end = self.last_comma_first_end(k, strict=False)
        if end is not None:
            self.mark_name(k, end)
            return end + 1
        if k + 1 < self.count and self.close_to_next(k) and (words.is_in_no_list(name) or words.can_start_name(name)) \
                and (words.is_in_no_list(tokens[k + 1]) or words.can_end_name(tokens[k + 1])) \
                and name.upper == tokens[k + 1].upper:
            self.mark_name(k, self.extend_name(k + 1))  # "pt Oluwaseun Adeyemi"
            return k + 2
        if (name.low in words.first or words.is_surname(name)) and name.low not in words.stop \
                and not words.is_ambiguous(name):
            self.mark_name(k, k)
            return k + 1
        if not name.upper and name.low not in words.stop and name.low not in _MONTHS and not words.is_plain_word(name) \
                and ((role.low == "by" and name.low in words.census_first)
                     or (role.low != "by" and (words.is_in_no_list(name) or name.foreign))):
            self.mark_name(k, k)  # "added by Grace", "pt Adeyemi"
            return k + 1
        return None

    def lower_case_after_role(self, i: int, k: int) -> int | None:
        tokens, words = self.tokens, self.words
        role, name = tokens[i], tokens[k]
        if role.low in _vocab.STRONG_ROLES and words.is_lower_case_name(name) \
                and (name.low in words.census_first or name.low in words.popular) \
                and not (k + 1 < self.count and self.close_to_next(k) and words.is_lower_case_name(tokens[k + 1])):
            self.mark_name(k, k)  # "pt jones 99213"
            return k + 1
        if k + 1 < self.count and self.close_to_next(k):
            second = tokens[k + 1]
            if (name.low in words.first and name.low not in words.common and name.low not in words.stop
                    and not second.cap and words.is_surname(second) and second.low not in words.common
                    and second.low not in words.stop):
                self.mark_name(k, k + 1)
                return k + 2
            if words.is_lower_case_name(name) and words.is_lower_case_name(second) \
                    and (name.foreign or second.foreign or name.low not in words.known
                         or second.low not in words.known):
                self.mark_name(k, k + 1)  # "mother adaeze nwosu"
                return k + 2
        return None

    # ---------------------------------------------------------------- rules from the words alone

    def first_last(self, i: int) -> int | None:
        """First [M.] Last with no context: "Emily Watson's", "Raymond K. Oduya"."""
        end = self.first_last_end(i, strict=True)
        if end is None:
            return None
        self.mark_unless_eponym_or_plan(i, end)
        return end + 1

    def last_comma_first(self, i: int) -> int | None:
        """Last, First [M] with no context: "Garcia, Luis"."""
        end = self.last_comma_first_end(i, strict=True)
        if end is None:
            return None
        self.mark_name(i, end)
        return end + 1

    def name_comma_name(self, i: int) -> int | None:
        """A name word, a comma, a first name: "Dương, Jane", "Roldán, María Luisa", "Kim, Ji-hoon"."""
        tokens, words = self.tokens, self.words
        if i + 1 >= self.count or not words.may_be_name(tokens[i]):
            return None
        family, given, gap = tokens[i], tokens[i + 1], self.gap_after(i)
        if not (gap.strip() == "," and len(gap) <= 3 and words.may_be_name(given)
                and (family.foreign or words.is_surname(family) or given.foreign or given.low in words.first)
                and family.upper == given.upper and not (words.is_ambiguous(family) and words.is_ambiguous(given))):
            return None
        end = i + 1
        if end + 1 < self.count and self.close_to_next(end) \
                and (words.may_be_name(tokens[end + 1]) or is_initial(tokens[end + 1])) and not tokens[end].possessive:
            end += 1
        self.mark_name(i, end)
        return end + 1

    def two_name_words(self, i: int) -> int | None:
        """Two name-like capitalised words, at least one clearly a name: "Omolabake Ogunbo",
        "Kim Đặng", "Kacper Kalarus-Kapustka", "Tanish Mitter"."""
        tokens, words = self.tokens, self.words
        first = tokens[i]
        if i + 1 >= self.count or not self.close_to_next(i) or first.possessive:
            return None
        second = tokens[i + 1]
        if not (words.may_be_name(first) and words.may_be_name(second) and first.upper == second.upper
                and (words.is_clearly_name(first) or words.is_clearly_name(second))
                and not (words.is_ambiguous(first) and words.is_ambiguous(second))
                and not (first.upper and len(first.low) < 3)):
            return None
        end = i + 1
        while end + 1 < self.count and self.close_to_next(end) and not tokens[end].possessive \
                and words.may_be_name(tokens[end + 1]) and words.is_clearly_name(tokens[end + 1]):
            end += 1
        if self.organisation_follows(end):
            return None
        self.mark_unless_eponym_or_plan(i, end)
        return end + 1

    def east_asian_given_name(self, i: int) -> int | None:
        """A romanised given name "Ji-sung", "Min-ho", "Seo-yeon", with its family name when next to it."""
        tokens, words = self.tokens, self.words
        token = tokens[i]
        if not EAST_ASIAN_GIVEN.match(token.word):
            return None
        parts = token.low.split("-")
        if set(parts) & _vocab.HYPHEN_WORDS or all(part in words.common for part in parts):
            return None
        start, end = i, i
        if i > 0 and self.close_to_next(i - 1) and not self.used[i - 1] and tokens[i - 1].cap \
                and (words.may_be_name(tokens[i - 1]) or tokens[i - 1].low in words.last):
            start = i - 1
        elif i + 1 < self.count and self.close_to_next(i) and tokens[i + 1].cap \
                and (words.may_be_name(tokens[i + 1]) or tokens[i + 1].low in words.last):
            end = i + 1
        self.mark_name(start, end)
        return end + 1

    def other_script(self, i: int) -> int | None:
        """A word in another script: "홍정훈", "Иванов"."""
        if not non_latin(self.tokens[i].word):
            return None
        self.mark_name(i, i)
        return i + 1

    def lower_case_pair(self, i: int) -> int | None:
        """Lower case "jennifer alvarez", "peter oyekan", "cô xuân nguyễn"."""
        tokens, words = self.tokens, self.words
        first = tokens[i]
        if first.cap or i + 1 >= self.count or not self.close_to_next(i) or first.possessive:
            return None
        second = tokens[i + 1]
        # A census first name and a surname, neither of them a common English word.
        if (not second.cap and first.low in words.census_first and len(first.low) > 2 and words.is_surname(second)
                and len(second.low) > 3 and first.low not in words.common and second.low not in words.common
                and first.low not in words.stop and second.low not in words.stop):
            self.mark_name(i, i + 1)
            return i + 2
        # A first name or a word with diacritics, then a name word in no English dictionary ("patryk dunal").
        if words.is_lower_case_name(first) and words.is_lower_case_name(second) \
                and (first.low in words.first or first.foreign) \
                and (second.foreign or second.low not in words.known or words.is_surname(second)) and len(first.low) > 1:
            end = i + 1
            while end + 1 < self.count and self.close_to_next(end) and words.is_lower_case_name(tokens[end + 1]) \
                    and (tokens[end + 1].foreign or tokens[end + 1].low not in words.known):
                end += 1
            self.mark_unless_eponym_or_plan(i, end)
            return end + 1
        return None


_CONTEXT_RULES = (_NameScan.after_honorific, _NameScan.after_person_word, _NameScan.after_role_word)
_WORD_RULES = (_NameScan.first_last, _NameScan.last_comma_first, _NameScan.name_comma_name,
               _NameScan.two_name_words, _NameScan.east_asian_given_name, _NameScan.other_script,
               _NameScan.lower_case_pair)
