"""PHI detector for person names: dictionaries plus context rules over word tokens.

Design notes and measurements: the docstring of ``phi.py``.
"""

from __future__ import annotations

from . import _vocab
from ._lexicon import lexicon
from ._text import merge
from ._tokens import EAST_ASIAN_GIVEN, TOKEN, Tok, block_phrases, camel_brand, non_latin

_MONTHS = frozenset("april may june august".split())  # the months that are also first names

# Words between a role word and the name: "patient name is", "signed by the".
_ROLE_SKIP = _vocab.ROLE_TRIGGERS | {"is", "was", "name", "by", "the", "s"}


def find_names(text: str) -> list[tuple[int, int]]:
    toks = [Tok(m.start(), m.end(), m.group()) for m in TOKEN.finditer(text)]
    if not toks:
        return []
    block_phrases(toks)
    lex = lexicon()
    first, last, common, census_first, known = lex.first, lex.last, lex.common, lex.census_first, lex.known
    popular = lex.popular
    stop, surname_ok = _vocab.STOP_WORDS, _vocab.SURNAME_OK

    def gap(i: int) -> str:
        return text[toks[i].end:toks[i + 1].start] if i + 1 < len(toks) else "\x00"

    def adjacent(i: int) -> bool:
        # Next token follows after plain spaces (or "'s " / a middle initial's ".").
        g = gap(i)
        return 0 < len(g) <= 3 and g.strip(" .") == "" and (g.count(".") == 0 or len(toks[i].word) == 1)

    def ambiguous(t: Tok) -> bool:
        # Frequent English words, places/months that are names, and 1-2 letter
        # tokens ("Ch 15", "Sec") carry no evidence on their own.
        return t.low in common or t.low in surname_ok or len(t.low) < 3

    def unknown_word(t: Tok) -> bool:
        # A capitalised word that is in no name list and no English word list:
        # most likely a rare surname ("Oduya", "Adeyemi").
        return (t.cap and len(t.low) > 2 and t.low not in stop and t.low not in known and not camel_brand(t.word)
                and t.low not in first and not in_last(t))

    def in_last(t: Tok) -> bool:
        if t.low in last:
            return True
        parts = t.low.split("-")
        return len(parts) > 1 and all(p in last for p in parts)  # "Perez-Gutierrez"

    def wordy(t: Tok) -> bool:
        # A frequent English word that is not also a popular name ("Said", "Rule", "To").
        return t.low in common and t.low not in popular

    def can_start(t: Tok) -> bool:
        return t.cap and t.low in first and t.low not in stop and len(t.low) > 1 and not wordy(t)

    def can_end(t: Tok) -> bool:
        return (t.cap and len(t.low) > 1 and in_last(t) and (t.low not in stop or t.low in surname_ok)
                and not wordy(t))

    def initial(t: Tok) -> bool:
        return len(t.word) == 1 and t.word.isupper()

    def extend(j: int) -> int:
        # Extend a name over a middle initial and further surname tokens.
        while j + 1 < len(toks) and adjacent(j) and not toks[j].possessive:
            n = toks[j + 1]
            if initial(n) or (can_end(n) and not ambiguous(n)) \
                    or (n.cap and n.low in first and n.low not in stop and not ambiguous(n)):
                j += 1
            else:
                break
        if initial(toks[j]) and j > 0:
            j -= 1
        return j

    spans: list[tuple[int, int]] = []
    n = len(toks)
    used = [False] * n

    def emit(i: int, j: int) -> None:
        spans.append((toks[i].start, toks[j].end))
        for k in range(i, j + 1):
            used[k] = True

    def eponym_after(j: int) -> bool:
        # "Sister Mary Joseph nodule", "Austin Moore hemiarthroplasty", "Denis Browne bar"
        return j + 1 < n and len(gap(j)) <= 2 and toks[j + 1].low in _vocab.EPONYM_NOUNS

    def emit_unless_eponym(i: int, j: int) -> None:
        # also a product name after its payer: "Anthem Hoosier Healthwise", "Humana Gold Plus"
        prev = toks[i - 1] if i > 0 and adjacent(i - 1) else None
        after_payer = prev is not None and prev.cap and prev.low in stop and len(prev.low) > 2 and not prev.foreign
        if eponym_after(j) or after_payer:
            for k in range(i, j + 1):
                used[k] = True
        else:
            emit(i, j)

    def namey(t: Tok) -> bool:
        # May be a name word: capitalised, not billing vocabulary, not a CamelCase brand
        # ("CareFirst"), and a listed name, a word in no dictionary, or spelled with diacritics.
        if t.upper and not t.foreign and not (t.low in first or in_last(t)):
            return False
        return (t.cap and len(t.low) > 1 and t.low not in stop and not wordy(t) and not camel_brand(t.word)
                and (t.foreign or t.low in first or in_last(t) or unknown_word(t) or hyphen_names(t)))

    def strong(t: Tok) -> bool:
        if t.upper and not t.foreign:  # "DME MAC", "FQHC PPS": acronyms, unless listed names
            return (t.low in first or in_last(t)) and not ambiguous(t)
        return t.foreign or unknown_word(t) or hyphen_names(t) or ((t.low in first or in_last(t)) and not ambiguous(t))

    def hyphen_names(t: Tok) -> bool:
        parts = t.low.split("-")
        return len(parts) > 1 and all(p in first or p in last or p not in known for p in parts if p)

    def lower_namey(t: Tok) -> bool:
        # a lower-case word that is a name and not an English word: "oyekan", "dương"
        return (not t.cap and len(t.low) > 1 and t.low not in common and t.low not in stop
                and (t.foreign or t.low in first or in_last(t) or t.low not in known))

    def mid_sentence(i: int) -> bool:
        before = text[:toks[i].start].rstrip(" \t\"'(")
        return bool(before) and before[-1] not in ".!?:;\n-" and "\x00" not in before[-1:]

    def word_names_pair(i: int, j: int) -> bool:
        # "Crystal Waters", "Grant Hill", "Hope Young's": a census first name and a census surname that
        # are both also English words. Capitalised in mid-sentence, or before a possessive or a lower-case
        # word (not a Title Case heading), and not a verb that starts a note ("Will", "Mark", "Bill").
        t, u = toks[i], toks[j]
        if t.upper or u.upper or t.low not in census_first or not in_last(u):
            return False
        if mid_sentence(i) or u.possessive:
            return True
        nxt_cap = j + 1 < n and adjacent(j) and toks[j + 1].cap and not toks[j + 1].upper
        return not nxt_cap and t.low not in _vocab.NOTE_VERBS

    def pair_at(i: int, strict: bool) -> int:
        """Index of the last token of a "First [M.] Last" name starting at i, or -1."""
        t = toks[i]
        if not can_start(t) or t.possessive or not adjacent(i):
            return -1
        j = i + 1
        if j < len(toks) and initial(toks[j]) and adjacent(j):
            j += 1
        if j >= len(toks):
            return -1
        u = toks[j]
        if strict:
            if t.upper != u.upper:
                return -1
            if t.upper and (len(t.low) < 3 or len(u.low) < 3):
                return -1
            if can_end(u):
                if ambiguous(t) and ambiguous(u) and not word_names_pair(i, j):
                    return -1
                if t.low not in census_first and ambiguous(u):
                    return -1  # world-list first names need a clear surname ("Priya Raman", not "Peer To")
            elif not (t.low in census_first and not ambiguous(t) and unknown_word(u)):
                return -1
            if len(t.low) < 3 and t.low not in census_first:
                return -1
        elif not (u.cap and len(u.low) > 1 and (u.low not in stop or u.low in surname_ok) and not wordy(u)):
            return -1
        elif ambiguous(t) and ambiguous(u):
            return -1
        j = extend(j)
        if strict and j + 1 < len(toks) and adjacent(j) and toks[j + 1].low in _vocab.ORG_WORDS:
            return -1  # "Henry Ford Hospital", "Rocky Mountain Health Plans"
        return j

    def last_first_at(i: int, strict: bool) -> int:
        t = toks[i]
        if i + 1 >= len(toks) or not (t.cap and len(t.low) > 1) or t.low in stop:
            return -1
        g = gap(i)
        if g.strip() != "," or len(g) > 3:
            return -1
        u = toks[i + 1]
        if not can_start(u):
            return -1
        if strict and (not in_last(t) or (ambiguous(t) and ambiguous(u)) or t.upper != u.upper):
            return -1
        if strict and t.upper and (len(t.low) < 3 or len(u.low) < 3):
            return -1  # "THA, CO": abbreviations
        j = i + 1
        if j + 1 < len(toks) and initial(toks[j + 1]) and adjacent(j):
            j += 1
        return j

    honorifics, roles = _vocab.HONORIFICS, _vocab.ROLE_TRIGGERS
    i = 0
    while i < n:
        t = toks[i]
        if not (t.cap or t.foreign or t.low in first or t.low in honorifics or t.low in roles
                or t.low in _vocab.CONTACT_TRIGGERS or t.low in _vocab.PERSON_TRIGGERS or t.low in ("to", "with")):
            i += 1  # a lower-case word that no rule can start from
            continue
        # 1. Honorific: "Mrs. Okafor", "Dr. Patel's", "MR NGUYEN".
        if t.low in _vocab.HONORIFICS and i + 1 < n:
            g = gap(i)
            nxt = toks[i + 1]
            if initial(nxt) and i + 2 < n and g.strip() in ("", ".") and len(g) <= 3 and adjacent(i + 1) \
                    and toks[i + 2].cap and toks[i + 2].low not in stop and not wordy(toks[i + 2]):
                emit(i + 1, i + 2)  # "Mrs. J. Whitfield"
                i += 3
                continue
            if g.strip() in ("", ".") and len(g) <= 3 and nxt.cap and len(nxt.low) > 1 and nxt.low not in stop:
                if not wordy(nxt):
                    j = i + 1
                    while j + 1 < n and adjacent(j) and not toks[j].possessive and toks[j + 1].cap \
                            and toks[j + 1].low not in stop and not wordy(toks[j + 1]) \
                            and (in_last(toks[j + 1]) or toks[j + 1].low in first or unknown_word(toks[j + 1])):
                        j += 1
                    emit(i + 1, j)
                    i = j + 1
                    continue
            elif g.strip() in ("", ".") and len(g) <= 3 and not nxt.cap and len(nxt.low) > 1 \
                    and lower_namey(nxt):
                # "mrs. henderson", "mrs. amope faleti"
                emit(i + 1, i + 1)
                i += 2
                continue
        # 1b. A lone listed first name after "spoke with", "rep", "asked": "rep Tasha said".
        person = t.low in _vocab.PERSON_TRIGGERS or (i > 0 and toks[i - 1].low in _vocab.PERSON_TRIGGERS
                                                     and t.low in ("to", "with"))
        if (t.low in _vocab.CONTACT_TRIGGERS or person) and i + 1 < n:
            nxt, g = toks[i + 1], gap(i)
            if len(g) <= 3 and g.strip(" :,") == "" and not nxt.cap and nxt.low in census_first \
                    and nxt.low not in common and nxt.low not in stop and len(nxt.low) > 2 \
                    and not (i + 2 < n and adjacent(i + 1) and lower_namey(toks[i + 2])):
                emit(i + 1, i + 1)  # "per alicia in billing", "spoke to john at aetna"
                i += 2
                continue
            # after a word for a person ("rep", "asked", "spoke with") a word in no dictionary will do too
            if len(g) <= 3 and g.strip(" :,") == "" and nxt.cap and not nxt.upper \
                    and (nxt.low in first or (person and (unknown_word(nxt) or nxt.foreign))) \
                    and not ambiguous(nxt) and nxt.low not in stop and not wordy(nxt) and not nxt.possessive \
                    and not (i + 2 < n and adjacent(i + 1) and toks[i + 2].cap):
                emit(i + 1, i + 1)
                i += 2
                continue
        # 2. Role word: "pt John Smith", "member name: JAMES O'BRIEN", "pt. sarah connolly".
        if t.low in _vocab.ROLE_TRIGGERS and i + 1 < n:
            k = i + 1
            while k < n and toks[k].low in _ROLE_SKIP and len(text[toks[k - 1].end:toks[k].start]) <= 4:
                k += 1
            g = text[toks[k - 1].end:toks[k].start] if k < n else ""
            if k < n and len(g) <= 4 and not any(c.isdigit() for c in g) and "\x00" not in g:
                nxt = toks[k]
                if nxt.cap:
                    j = pair_at(k, strict=False)
                    if j < 0:
                        j = last_first_at(k, strict=False)
                    if j >= 0:
                        emit(k, j)
                        i = j + 1
                        continue
                    if k + 1 < n and adjacent(k) and (unknown_word(nxt) or can_start(nxt)) \
                            and (unknown_word(toks[k + 1]) or can_end(toks[k + 1])) and nxt.upper == toks[k + 1].upper:
                        # "pt Oluwaseun Adeyemi"
                        emit(k, extend(k + 1))
                        i = k + 2
                        continue
                    if (nxt.low in first or in_last(nxt)) and nxt.low not in stop and not ambiguous(nxt):
                        emit(k, k)
                        i = k + 1
                        continue
                    if not nxt.upper and nxt.low not in stop and nxt.low not in _MONTHS and not wordy(nxt) \
                            and ((t.low == "by" and nxt.low in census_first)
                                 or (t.low != "by" and (unknown_word(nxt) or nxt.foreign))):
                        emit(k, k)  # "added by Grace", "pt Adeyemi"
                        i = k + 1
                        continue
                elif t.low in _vocab.STRONG_ROLES and lower_namey(nxt) and (nxt.low in census_first or nxt.low in popular) \
                        and not (k + 1 < n and adjacent(k) and lower_namey(toks[k + 1])):
                    emit(k, k)  # "pt jones 99213"
                    i = k + 1
                    continue
                elif k + 1 < n and adjacent(k):
                    nn = toks[k + 1]
                    if (nxt.low in first and nxt.low not in common and nxt.low not in stop
                            and not nn.cap and in_last(nn) and nn.low not in common and nn.low not in stop):
                        emit(k, k + 1)
                        i = k + 2
                        continue
                    if lower_namey(nxt) and lower_namey(nn) and (nxt.foreign or nn.foreign or nxt.low not in known
                                                                 or nn.low not in known):
                        emit(k, k + 1)  # "mother adaeze nwosu"
                        i = k + 2
                        continue
        # 3. "First [M.] Last" with no context.
        if not used[i]:
            j = pair_at(i, strict=True)
            if j >= 0:
                emit_unless_eponym(i, j)
                i = j + 1
                continue
            # 4. "Last, First [M]".
            j = last_first_at(i, strict=True)
            if j >= 0:
                emit(i, j)
                i = j + 1
                continue
            # 4b. "Dương, Jane", "Roldán, María Luisa", "Kim, Ji-hoon": a name word, a comma, a first name.
            if i + 1 < n and namey(t) and gap(i).strip() == "," and len(gap(i)) <= 3 and namey(toks[i + 1]) \
                    and (t.foreign or in_last(t) or toks[i + 1].foreign or toks[i + 1].low in first) \
                    and t.upper == toks[i + 1].upper and not (ambiguous(t) and ambiguous(toks[i + 1])):
                j = i + 1
                if j + 1 < n and adjacent(j) and (namey(toks[j + 1]) or initial(toks[j + 1])) and not toks[j].possessive:
                    j += 1
                emit(i, j)
                i = j + 1
                continue
            # 3b. Two name-like capitalised words, at least one clearly a name: "Omolabake Ogunbo",
            #     "Kim Đặng", "Kacper Kalarus-Kapustka", "Tanish Mitter".
            if i + 1 < n and adjacent(i) and not t.possessive and namey(t) and namey(toks[i + 1]) \
                    and t.upper == toks[i + 1].upper and (strong(t) or strong(toks[i + 1])) \
                    and not (ambiguous(t) and ambiguous(toks[i + 1])) and not (t.upper and len(t.low) < 3):
                j = i + 1
                while j + 1 < n and adjacent(j) and not toks[j].possessive and namey(toks[j + 1]) and strong(toks[j + 1]):
                    j += 1
                if not (j + 1 < n and adjacent(j) and toks[j + 1].low in _vocab.ORG_WORDS):
                    emit_unless_eponym(i, j)
                    i = j + 1
                    continue
            # 6a. A romanised given name "Ji-sung", "Min-ho", "Seo-yeon", with its family name when next to it.
            parts = t.low.split("-")
            if EAST_ASIAN_GIVEN.match(t.word) and not set(parts) & _vocab.HYPHEN_WORDS \
                    and not all(p in common for p in parts):
                start, end = i, i
                if i > 0 and adjacent(i - 1) and not used[i - 1] and toks[i - 1].cap \
                        and (namey(toks[i - 1]) or toks[i - 1].low in last):
                    start = i - 1
                elif i + 1 < n and adjacent(i) and toks[i + 1].cap and (namey(toks[i + 1]) or toks[i + 1].low in last):
                    end = i + 1
                emit(start, end)
                i = end + 1
                continue
            # 6. Another script: "홍정훈", "Иванов".
            if non_latin(t.word):
                emit(i, i)
                i += 1
                continue
            # 5. Lower case "jennifer alvarez": a census first name and a surname,
            #    neither of them a common English word.
            if not t.cap and i + 1 < n and adjacent(i) and not t.possessive:
                u = toks[i + 1]
                if (not u.cap and t.low in census_first and len(t.low) > 2 and in_last(u) and len(u.low) > 3
                        and t.low not in common and u.low not in common
                        and t.low not in stop and u.low not in stop):
                    emit(i, i + 1)
                    i += 2
                    continue
                # "peter oyekan", "cô xuân nguyễn", "patryk dunal": a first name or a word with
                # diacritics, then a name word in no English dictionary.
                if lower_namey(t) and lower_namey(u) and (t.low in first or t.foreign) \
                        and (u.foreign or u.low not in known or in_last(u)) and len(t.low) > 1:
                    j = i + 1
                    while j + 1 < n and adjacent(j) and lower_namey(toks[j + 1]) and (toks[j + 1].foreign or toks[j + 1].low not in known):
                        j += 1
                    emit_unless_eponym(i, j)
                    i = j + 1
                    continue
        i += 1
    return merge(spans)
