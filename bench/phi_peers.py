"""Run the peer PHI detectors on texts read as JSON from stdin; print JSON results on stdout.

Runs inside the bench-only environment (``make bench-peers-venv`` -> bench/.peers-venv), never the
app's: ``bench/phi.py`` starts it as a subprocess. Input: {"texts": [...], "seconds": 2.0}.
Output: {"peers": [{"name", "note", "flags": [bool per text], "rate": texts/s} | {"name", "error"}]}.

What each peer can do offline here, said in its ``note`` (never hidden):

* presidio-analyzer needs a spaCy model for its NER (names, places, dates). Explosion's models are
  not published on PyPI (only unofficial re-uploads by third parties), so it runs on
  ``spacy.blank("en")``: its pattern recognizers (phone, email, SSN, credit card, IP, URL, IBAN,
  US driver licence / passport / bank numbers, dates by regex) without NER.
* philter-lite tags parts of speech with NLTK's averaged perceptron, whose data NLTK downloads at
  run time from GitHub (not reachable here), so its part-of-speech filters are off; its regex and
  dictionary filters (delta config shipped with the package) all run.
"""
from __future__ import annotations

import json
import os
import sys
import time
from importlib import metadata


def throughput(detect, texts: list[str], seconds: float) -> float:
    for t in texts[:50]:
        detect(t)
    done, start = 0, time.process_time()
    while True:
        for t in texts:
            detect(t)
        done += len(texts)
        elapsed = time.process_time() - start
        if elapsed >= seconds:
            return done / elapsed


def presidio():
    import spacy
    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import SpacyNlpEngine

    class BlankSpacy(SpacyNlpEngine):
        def load(self) -> None:
            self.nlp = {"en": spacy.blank("en")}

    engine = BlankSpacy(models=[{"lang_code": "en", "model_name": "blank"}])
    engine.load()
    analyzer = AnalyzerEngine(nlp_engine=engine, supported_languages=["en"])

    def detect(text: str) -> bool:
        return bool(analyzer.analyze(text=text, language="en"))

    return f"presidio-analyzer {metadata.version('presidio-analyzer')}", "patterns only: no spaCy NER model installable from PyPI", detect


def philter():
    import philter_lite
    from philter_lite import philter as engine

    engine._get_pos = lambda text: [(word, "XX") for word in engine._get_clean(text)]
    filters = philter_lite.load_filters(os.path.join(os.path.dirname(philter_lite.__file__), "configs",
                                                     "philter_delta.toml"))

    def detect(text: str) -> bool:
        _, _, tracker = philter_lite.detect_phi(text, patterns=filters)
        return bool(tracker.phi)

    return (f"philter-lite {philter_lite.__version__}",
            "regex + dictionary filters; POS filters off (NLTK tagger data is a run-time download)", detect)


def main() -> int:
    job = json.load(sys.stdin)
    texts, seconds = job["texts"], job["seconds"]
    out = []
    for make in (presidio, philter):
        try:
            name, note, detect = make()
            flags = [detect(t) for t in texts]
            out.append({"name": name, "note": note, "flags": flags, "rate": throughput(detect, texts, seconds)})
        except Exception as error:  # a peer that cannot run is reported, not fatal
            out.append({"name": make.__name__, "error": f"{type(error).__name__}: {str(error)[:200]}"})
    json.dump({"peers": out}, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
