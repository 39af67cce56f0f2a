"""Benchmark the PHI check against the labelled corpus.

    python bench/phi.py            # recall / false positives per kind, speed
    python bench/phi.py --compare  # also the library alternatives, if installed
                                   # (phonenumbers, pyap, usaddress)
    python bench/phi.py --check    # exit 1 if a goal is missed

Goals: recall >= 98 %, false-positive rate <= 2 % on clean cases,
>= 500 narratives per second on one core.

Recall of a kind: share of cases labelled with the kind where the check
reported that kind. False-positive rate of a kind: share of cases *not*
labelled with it where the check reported it anyway. "clean FP" is the share
of clean cases (no kinds) with any finding at all. Speed is CPU time of one
thread (pinned to one CPU where the OS allows) over repeated passes of the
corpus, after the name dictionaries are loaded; the load time is printed
separately.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.privacy import phi  # noqa: E402

CORPUS = ROOT / "tests" / "phi_corpus.yaml"
GOAL_RECALL = 0.98
GOAL_FP = 0.02
GOAL_RATE = 500.0


def load_corpus() -> list[dict]:
    with open(CORPUS, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def pin_one_core() -> None:
    if hasattr(os, "sched_setaffinity"):
        try:
            os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
        except OSError:
            pass


def throughput(detect, texts: list[str], min_seconds: float = 2.0) -> float:
    """Texts per CPU-second over repeated passes of the corpus.

    CPU time of this (single-threaded) process, so other load on the machine
    does not count against the check.
    """
    for t in texts:  # warm
        detect(t)
    done = 0
    start = time.process_time()
    while True:
        for t in texts:
            detect(t)
        done += len(texts)
        elapsed = time.process_time() - start
        if elapsed >= min_seconds:
            return done / elapsed


def score(corpus: list[dict], detected: list[set[str]], kinds: tuple[str, ...]):
    rows = []
    tot_tp = tot_pos = 0
    for kind in kinds:
        pos = [i for i, c in enumerate(corpus) if kind in c["kinds"]]
        neg = [i for i, c in enumerate(corpus) if kind not in c["kinds"]]
        tp = sum(1 for i in pos if kind in detected[i])
        fp = sum(1 for i in neg if kind in detected[i])
        rows.append((kind, len(pos), tp, len(neg), fp))
        tot_tp += tp
        tot_pos += len(pos)
    clean = [i for i, c in enumerate(corpus) if not c["kinds"]]
    clean_fp = sum(1 for i in clean if detected[i])
    exact = sum(1 for i, c in enumerate(corpus) if detected[i] == set(c["kinds"]))
    return rows, tot_tp, tot_pos, len(clean), clean_fp, exact


def pct(a: int, b: int) -> str:
    return f"{100.0 * a / b:6.1f}%" if b else "    n/a"


def print_table(rows) -> None:
    print(f"{'kind':<11} {'cases':>5} {'found':>5} {'recall':>7} {'FP':>4} {'FP rate':>8}")
    for kind, npos, tp, nneg, fp in rows:
        print(f"{kind:<11} {npos:>5} {tp:>5} {pct(tp, npos)} {fp:>4} {pct(fp, nneg):>8}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--compare", action="store_true", help="also measure library alternatives")
    parser.add_argument("--check", action="store_true", help="exit 1 when a goal is missed")
    parser.add_argument("--seconds", type=float, default=2.0, help="timing duration per measurement")
    args = parser.parse_args()

    pin_one_core()
    corpus = load_corpus()
    texts = [c["text"] for c in corpus]

    t0 = time.perf_counter()
    phi.warm_up()
    load_s = time.perf_counter() - t0

    detected = [{f.kind for f in phi.find_phi(t)} for t in texts]
    rows, tp, npos, nclean, clean_fp, exact = score(corpus, detected, phi.PHI_KINDS)
    rate = throughput(phi.find_phi, texts, args.seconds)
    avg_len = sum(map(len, texts)) / len(texts)
    long_texts = [t for t in texts if len(t) >= 200]
    long_rate = throughput(phi.find_phi, long_texts, args.seconds) if long_texts else 0.0
    long_len = sum(map(len, long_texts)) / len(long_texts) if long_texts else 0.0

    print(f"PHI check on {CORPUS.relative_to(ROOT)}: {len(corpus)} cases, "
          f"{len(corpus) - nclean} with PHI, {nclean} clean, mean {avg_len:.0f} chars")
    print()
    print_table(rows)
    print()
    recall = tp / npos if npos else 1.0
    fp_rate = clean_fp / nclean if nclean else 0.0
    print(f"overall recall      {pct(tp, npos)}   ({tp}/{npos} labelled kinds found)   goal >= {GOAL_RECALL:.0%}")
    print(f"clean FP rate       {pct(clean_fp, nclean)}   ({clean_fp}/{nclean} clean cases flagged)      goal <= {GOAL_FP:.0%}")
    print(f"exact kind sets     {pct(exact, len(corpus))}   ({exact}/{len(corpus)})")
    print(f"speed (1 core)      {rate:8.0f} narratives/s, whole corpus          goal >= {GOAL_RATE:.0f}")
    print(f"                    {long_rate:8.0f} narratives/s, the {len(long_texts)} narratives >= 200 chars "
          f"(mean {long_len:.0f})")
    print(f"dictionary load     {load_s:8.2f} s (once per process)")

    if args.compare:
        compare(corpus, texts, args.seconds)

    ok = recall >= GOAL_RECALL and fp_rate <= GOAL_FP and min(rate, long_rate or rate) >= GOAL_RATE
    print()
    print("goals: " + ("met" if ok else "NOT met"))
    return 0 if ok or not args.check else 1


# ---------------------------------------------------------------- alternatives

def _kind_scores(corpus, texts, kind: str, detect, seconds: float) -> str:
    flags = [bool(detect(t)) for t in texts]
    pos = [f for f, c in zip(flags, corpus) if kind in c["kinds"]]
    neg = [f for f, c in zip(flags, corpus) if kind not in c["kinds"]]
    rate = throughput(detect, texts, seconds)
    return (f"recall {pct(sum(pos), len(pos))}  FP {sum(neg):>3} ({pct(sum(neg), len(neg)).strip()})  "
            f"{rate:9.0f} texts/s")


def compare(corpus, texts, seconds: float) -> None:
    print()
    print("alternatives, each run alone on the raw text (no other detectors):")
    print(f"  phone   regex (chosen)              {_kind_scores(corpus, texts, 'phone', phi._phones, seconds)}")
    try:
        import phonenumbers
        from phonenumbers import Leniency, PhoneNumberMatcher
    except ImportError:
        print("  phone   phonenumbers                not installed")
    else:
        for name in ("VALID", "POSSIBLE"):
            leniency = getattr(Leniency, name)

            def detect(t: str, leniency=leniency) -> bool:
                return any(True for _ in PhoneNumberMatcher(t, "US", leniency=leniency))

            label = f"phonenumbers {phonenumbers.__version__} {name}"
            print(f"  phone   {label:<27} {_kind_scores(corpus, texts, 'phone', detect, seconds)}")

    print(f"  address regex (chosen)              {_kind_scores(corpus, texts, 'address', phi._addresses, seconds)}")
    try:
        import pyap
    except ImportError:
        print("  address pyap                        not installed")
    else:
        def detect_pyap(t: str) -> bool:
            return bool(pyap.parse(t, country="US"))

        print(f"  address pyap                        {_kind_scores(corpus, texts, 'address', detect_pyap, seconds)}")
    try:
        import usaddress
    except ImportError:
        print("  address usaddress                   not installed")
    else:
        def detect_usaddress(t: str) -> bool:
            labels = {label for _, label in usaddress.parse(t)}
            return "AddressNumber" in labels and bool(labels & {"StreetNamePostType", "USPSBoxID"})

        print(f"  address usaddress                   {_kind_scores(corpus, texts, 'address', detect_usaddress, seconds)}")


if __name__ == "__main__":
    sys.exit(main())
