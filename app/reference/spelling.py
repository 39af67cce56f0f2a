"""Spelling suggestions for code search: the index's own words closest to a misspelt one.

Both databases match words as substrings through trigrams; neither corrects a word that is not
in the index ("ambulence", "neddling"). The index's words (some 24,000 on the full fee schedule)
are read once per reference generation and kept with the words holding each trigram, so a
suggestion costs a dictionary walk, not a scan of the table (bench/code_search.py's p95 goal of
20 ms needs it: a pg_trgm similarity scan of the table alone takes tens of milliseconds).

The vocabulary is the one reference value kept in process memory rather than in Flask-Caching: on
the full fee schedule it pickles to some 1.8 MB and takes ~30 ms to unpickle, more than that whole
20 ms budget, on every search. It is keyed like the cache's entries (app.reference.cache), so a load
anywhere replaces it at the next search, and one slot holds it: the newest replaces the last.
"""
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from app.reference.cache import reference_key

#: Up to this many index words at least this similar replace a misspelt word (Jaccard similarity of
#: padded trigrams: "neddling"/"needling" 0.5, "ambulence"/"ambulance" 0.47, "trigr"/"trigger" 0.4).
CLOSE_WORDS = 5
SIMILARITY = 0.4


def trigrams(text: str) -> set[str]:
    return {text[i:i + 3] for i in range(len(text) - 2)}


def padded_trigrams(word: str) -> set[str]:
    """Trigrams of the word padded as pg_trgm pads it (two spaces before, one after)."""
    return trigrams(f"  {word} ")


@dataclass(frozen=True)
class Vocabulary:
    words: str  # every word, one a line, so "does any word hold this text" is one `in`
    by_trigram: dict[str, tuple[str, ...]]
    trigram_counts: dict[str, int]

    def holds(self, text: str) -> bool:
        return text in self.words

    def close_words(self, word: str) -> list[str]:
        wanted = padded_trigrams(word)
        shared = Counter(found for gram in wanted for found in self.by_trigram.get(gram, ()))
        scored = sorted(((count / (len(wanted) + self.trigram_counts[found] - count), found)
                         for found, count in shared.items()), reverse=True)
        return [found for score, found in scored[:CLOSE_WORDS] if score >= SIMILARITY]


def build_vocabulary(texts: Iterable[str]) -> Vocabulary:
    words = {word for text in texts for word in text.split() if len(word) >= 3}
    by_trigram: dict[str, list[str]] = defaultdict(list)
    for word in words:
        for gram in padded_trigrams(word):
            by_trigram[gram].append(word)
    return Vocabulary("\n".join(sorted(words)), {gram: tuple(found) for gram, found in by_trigram.items()},
                      {word: len(padded_trigrams(word)) for word in words})


_built: tuple[str, Vocabulary] | None = None  # (reference key, vocabulary): see the module's docstring


def vocabulary(read_texts: Callable[[], Iterable[str]]) -> Vocabulary:
    global _built
    key = reference_key("code_search_vocabulary", ())
    built = _built
    if built is None or built[0] != key:
        built = _built = key, build_vocabulary(read_texts())
    return built[1]


def corrected(words: list[str], known: Vocabulary) -> list[list[str]]:
    """For each word, the words to search instead: itself when the index holds it (or it is a
    number: codes are never guessed at), else its closest index words; a word with none is left out."""
    groups = []
    for word in words:
        if known.holds(word) or not word.isalpha():
            groups.append([word])
        elif close := known.close_words(word):
            groups.append(close)
    return groups
