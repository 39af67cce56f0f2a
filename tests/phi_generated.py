"""Generated PHI corpus: billing sentences with one Safe Harbor identifier each, and clean ones.

Two parts, built from different sentence frames, different Faker locales and different seeds:

* ``tuning``: the part the detector was tuned on (``bench/phi.py`` and tests/test_phi.py report it);
* ``held_out``: written before any tuning and never used to tune; reported separately so an
  over-fitted detector shows.

Deterministic: fixed seeds and a pinned Faker (the ``test`` extra), so every run sees the same texts.
All people, numbers and places are invented by Faker or by the random generator below.
"""

from __future__ import annotations

import random
import string
from dataclasses import dataclass

from faker import Faker

# ---------------------------------------------------------------- clean billing vocabulary

CPT = ["99213", "99214", "99215", "99203", "99204", "20553", "20552", "20610", "64483", "97110",
       "97140", "97161", "97530", "93000", "36415", "71046", "72148", "73721", "11042", "17110",
       "29881", "45378", "66984", "90471", "96372", "99232", "99284", "G0283", "G2211", "J3301",
       "J1100", "J0585", "J7325", "Q4186", "E0114", "L1833", "A4253", "3074F", "0446T", "1036F",
       "99497", "76942", "27447", "63030", "62323", "95810", "90837", "96127", "J1745", "J9271"]
CARC = ["CO-97", "CO-16", "CO-50", "CO-11", "CO-197", "CO-4", "CO-29", "PR-204", "OA-23", "CO-151",
        "CO-18", "PI-234", "CO-B7", "CO-P12", "CO-45", "PR-96", "CO-236", "CO-109", "OA-18", "CO-22"]
RARC = ["N56", "M80", "N290", "MA130", "N386", "M15", "N115", "MA04", "N4", "M127", "N657", "MA18"]
ICD = ["M79.1", "M54.50", "M17.11", "E11.9", "I10", "Z00.00", "S83.241A", "G89.29", "M25.561",
       "R10.9", "J45.909", "N18.3", "Z79.4", "F41.1", "M75.101", "C50.911", "K21.9"]
PCS = ["0SR9019", "0DTJ4ZZ", "0RG10A0", "0SRC0J9", "02703DZ"]
MODS = ["25", "59", "XS", "XU", "GA", "GY", "LT", "RT", "50", "76", "KX", "GP", "JW", "JZ", "TC", "26"]
PAYERS = ["Aetna", "UHC", "Cigna", "Humana", "BCBS of Texas", "Anthem", "Medicare", "Noridian",
          "Novitas", "Palmetto GBA", "Molina", "Wellcare", "Ambetter", "Tricare East", "Highmark",
          "Medi-Cal", "CareSource", "Florida Blue", "Kaiser", "Oscar Health", "the MAC", "Optum"]
NDC = ["0002-8215-01", "50242-0040-62", "N400009307303", "00069-0187-10", "N459676035001",
       "0781-3207-95", "12345-678-90"]
LCD = ["L33797", "L39240", "A57067", "L35936", "A56634", "NCD 220.6", "NCD 240.4.1", "L34220"]


def _money(r: random.Random) -> str:
    return f"${r.randint(12, 4800)}.{r.randint(0, 99):02d}"


def _fill(frame: str, r: random.Random) -> str:
    """Replace {cpt} {carc} ... placeholders with real-format billing values."""
    values = {
        "cpt": lambda: r.choice(CPT), "cpt2": lambda: r.choice(CPT), "carc": lambda: r.choice(CARC),
        "rarc": lambda: r.choice(RARC), "icd": lambda: r.choice(ICD), "mod": lambda: r.choice(MODS),
        "payer": lambda: r.choice(PAYERS), "amt": lambda: _money(r), "ndc": lambda: r.choice(NDC),
        "lcd": lambda: r.choice(LCD), "pcs": lambda: r.choice(PCS), "units": lambda: str(r.randint(1, 12)),
        "pct": lambda: f"{r.randint(5, 95)}%", "month": lambda: r.choice(
            ["03/2026", "2026-08", "Jan 2026", "March 2026", "Q3 2025", "FY2026", "CY2025"]),
        "pos": lambda: r.choice(["POS 11", "POS 22", "POS 02", "POS 19", "place of service 11"]),
        "rev": lambda: r.choice(["rev code 0450", "revenue code 0636", "rev 0360", "RC 0278"]),
        "score": lambda: r.choice(["pain went from 8/10 to 3/10", "strength improved from 3/5 to 4/5",
                                   "VAS 7/10", "PHQ-9 score 14", "ODI 42%", "NRS 6/10"]),
        "days": lambda: str(r.choice([30, 45, 60, 90, 120, 180, 365])),
    }
    out = frame
    for key, make in values.items():
        while "{" + key + "}" in out:
            out = out.replace("{" + key + "}", make(), 1)
    return out


# ---------------------------------------------------------------- identifier makers

def _digits(r: random.Random, n: int) -> str:
    return "".join(r.choice(string.digits) for _ in range(n))


def _letters(r: random.Random, n: int, alphabet: str = string.ascii_uppercase) -> str:
    return "".join(r.choice(alphabet) for _ in range(n))


VIN_CHARS = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"
LICENCE_LABELS = ["DL", "driver license", "driver's license #", "state ID", "DL#"]


def _makers(fake: Faker, r: random.Random) -> dict[str, list]:
    """kind -> list of functions returning the identifier text (possibly with its label)."""
    return {
        "name": [
            lambda: fake.name(), lambda: f"{fake.last_name()}, {fake.first_name()}",
            lambda: f"{r.choice(['Mr.', 'Mrs.', 'Ms.', 'Mr', 'Mrs'])} {fake.last_name()}",
            lambda: f"Mrs. {fake.first_name()[0]}. {fake.last_name()}",
            lambda: fake.name().lower(), lambda: f"{fake.first_name()} {fake.last_name()}-{fake.last_name()}",
        ],
        "date": [
            lambda: fake.date_between("-3y", "today").strftime(r.choice(
                ["%m/%d/%Y", "%m/%d/%y", "%B %d, %Y", "%d%b%Y", "%Y-%m-%d", "%b %d", "%-m/%-d/%y",
                 "%d %B %Y", "%m-%d-%Y"])).upper() if r.random() < 0.15 else
            fake.date_between("-3y", "today").strftime(r.choice(
                ["%m/%d/%Y", "%m/%d/%y", "%B %d, %Y", "%Y-%m-%d", "%b %d", "%-m/%-d/%y", "%d %B %Y"])),
            lambda: (lambda d: f"{d.month}/{d.day}/{d.strftime('%y')}-{d.month}/{min(d.day + 3, 28)}/{d.strftime('%y')}")(
                fake.date_between("-2y", "today")),
        ],
        "phone": [
            lambda: fake.numerify(r.choice(["###-###-####", "(###) ###-####", "###.###.####", "###/###-####",
                                            "+1 ### ### ####", "+44 20 #### ####", "011 52 55 #### ####",
                                            "+91 98### #####", "+234 803 ### ####", "+63 917 ### ####"])),
        ],
        "email": [lambda: fake.email(), lambda: fake.free_email()],
        "ssn": [lambda: fake.ssn(), lambda: "xxx-xx-" + _digits(r, 4)],
        "identifier": [
            lambda: f"{r.choice(['MRN', 'FIN', 'acct #', 'member ID', 'clm no.', 'claim ref', 'Unit no.', 'subscriber #', 'Patient account', 'encounter'])} "
                    f"{r.choice([_digits(r, 8), _letters(r, 3) + _digits(r, 9), _digits(r, 2) + '-' + _digits(r, 7), _digits(r, 10)])}",
            lambda: f"account number ending {_digits(r, 4)}",
            lambda: _letters(r, 3) + _digits(r, 9),
            lambda: _digits(r, 11),
        ],
        "address": [
            lambda: fake.street_address(),
            lambda: f"{fake.street_address()}, {r.choice(['Apt', 'Unit', '#', 'Apt.'])} {r.randint(1, 40)}{r.choice(['', 'B', 'C'])}",
            lambda: f"{r.randint(100, 9999)} Calle {fake.last_name()}",
            lambda: f"RR {r.randint(1, 9)} Box {r.randint(10, 999)}",
            lambda: f"N{r.randint(1000, 9999)} County Road {r.choice(['K', 'M', 'JJ'])}",
            lambda: f"{r.randint(10, 999)} Avenue {r.choice('KLMNPJ')}",
        ],
        "zip": [
            lambda: f"{fake.city()}, {fake.state_abbr()} {fake.zipcode()}",
            lambda: f"lives in {fake.zipcode()}", lambda: f"ships to {fake.zipcode()}",
            lambda: f"{r.choice(['K1A', 'M5V', 'H2X', 'V6B', 'T2P'])} {r.randint(1, 9)}{_letters(r, 1)}{r.randint(1, 9)}",
        ],
        "url": [lambda: fake.url() + fake.uri_path(), lambda: "www." + fake.domain_name()],
        "ip": [lambda: fake.ipv4(), lambda: fake.ipv6()],
        "age": [
            lambda: f"{r.choice(['F', 'M'])}/{r.randint(90, 104)}", lambda: f"({r.randint(90, 104)}{r.choice('FM')})",
            lambda: f"{r.randint(90, 104)} y/o", lambda: "a centenarian",
            lambda: f"born in {r.randint(1918, 1935)}", lambda: f"age {r.randint(90, 104)}",
        ],
        "license": [
            lambda: f"{r.choice(LICENCE_LABELS)} {_letters(r, 1)}{_digits(r, r.choice([7, 8, 12]))}",
            lambda: f"DEA {_letters(r, 2)}{_digits(r, 7)}",
            lambda: f"{r.choice(['RN license', 'state license', 'lic #', 'certificate no.'])} {r.choice([_digits(r, 7), _letters(r, 2) + _digits(r, 6)])}",
        ],
        "vehicle": [
            lambda: f"{r.choice(['plate', 'license plate', 'tag', 'plate #'])} {fake.license_plate()}",
            lambda: f"VIN {''.join(r.choice(VIN_CHARS) for _ in range(17))}",
            lambda: "".join(r.choice(VIN_CHARS) for _ in range(17)),
        ],
        "device": [
            lambda: f"{r.choice(['pacemaker serial', 'pump SN', 'CGM serial #', 'S/N', 'device serial'])} "
                    f"{_letters(r, r.randint(2, 3))}{_digits(r, r.randint(6, 9))}{r.choice(['', 'H', 'S'])}",
            lambda: f"UDI (01){_digits(r, 14)}(17){_digits(r, 6)}(21){_letters(r, 2)}{_digits(r, 5)}",
            lambda: f"serial number {_digits(r, 3)}-{_digits(r, 6)}",
        ],
        "biometric": [
            lambda: r.choice(["photo of the wound attached", "fingerprint on file", "see attached photos of the ulcer",
                              "retinal scan on file", "voiceprint was recorded", "full-face photo uploaded",
                              "picture of the rash included"]),
        ],
    }


# ---------------------------------------------------------------- sentence frames
# {x} is where the identifier goes. Tuning and held-out frames differ in wording and order.

TUNING_FRAMES = [
    "{payer} denied {cpt} with {carc} and {rarc}; {x} was on the claim, resubmitted with modifier {mod}.",
    "Called {payer} re {x}: rep said {cpt}-{mod} bundles into {cpt2}, {carc}, appeal within {days} days.",
    "Denied {carc} for {cpt} x{units}, dx {icd}; note from the office mentions {x}.",
    "{x} -- {cpt} billed {amt}, allowed {amt}, {carc}/{rarc}, {pct} coinsurance.",
    "Recon filed for {cpt} per {lcd}; included {x} by mistake in the first appeal.",
    "Per {payer} portal, {x}, {cpt} and {cpt2} denied {carc}, {pos}.",
    "Drug line {ndc} with J-code denied {carc}; {x}; {score}.",
    "Corrected claim for {cpt} ({rev}) after {carc}, {x} noted in the remit comments.",
]
HELD_OUT_FRAMES = [
    "Remit shows {carc} on line 2 ({cpt}, {amt}); the biller wrote {x} in box 19 and {payer} kicked it back.",
    "{payer} recoupment of {amt} for {cpt}; letter referenced {x}. {rarc} attached.",
    "2nd level appeal for {icd} / {cpt}: {x}. Outcome pending, {days} days so far.",
    "front desk entered {x} in the notes field, so the {cpt} claim went out with {rarc} and came back {carc}",
    "Auth denied under {lcd} for {cpt} x {units} units; {x}; peer-to-peer scheduled.",
    "Secondary {payer} wants the primary EOB for {x} before paying {cpt2} ({pct} of {amt}).",
]

CLEAN_TUNING = [
    "{payer} denied {cpt}-{mod} with {carc} and {rarc}, dx {icd}; rebilled {cpt2} x{units} and it paid {amt}.",
    "Appealed {carc} on {cpt} citing {lcd}; {payer} overturned in {days} days, {pct} of billed allowed.",
    "NDC {ndc} on the J-code line, {carc} because units did not match the vial; fixed to {units} units.",
    "{cpt} with {cpt2} same day, modifier {mod} on the second, {pos}, denied {carc} {rarc}.",
    "Inpatient claim with PCS {pcs} and {rev}, {payer} paid DRG after {carc} appeal; denial month {month}.",
    "PT note: {score}; {payer} still denied {cpt} x{units} as not medically necessary ({carc}, {rarc}).",
    "Frequency edit under {lcd}: {cpt} limited to {units} per {days} days; {carc}; wrote off {amt}.",
    "Timely filing {carc}: submitted {month}, clearinghouse 999 and 277CA accepted, appeal with proof won.",
    "{payer} MUE for {cpt} is {units}; billed {units} units, {carc} with {rarc}, split lines with {mod}.",
    "Medicare Advantage plan denied {cpt} for no auth ({carc}), retro auth granted, paid {amt} ({pct}).",
]
CLEAN_HELD_OUT = [
    "Bundled per NCCI: {cpt2} into {cpt}, modifier indicator 1 so {mod} is allowed; {payer} reprocessed, {amt}.",
    "{carc} / {rarc} on {cpt}: missing the {mod} modifier; corrected claim (freq 7) paid {pct} in {month}.",
    "ERA 835 showed {carc} and CAS PR-2 {amt}; {cpt} x{units}, ICD {icd}, {pos}.",
    "Dr. office note supported {cpt}; {payer} policy {lcd} requires 6 weeks of conservative care; appeal won.",
    "Drug denied: {ndc} billed with {cpt}, {carc}; {payer} wanted the NDC qualifier N4 and unit of measure UN.",
    "{score} documented; reconsideration for {cpt} with {rev} was approved after {days} days.",
    "Claim line {cpt} {amt} denied {carc}, then {cpt2} paid; nothing to appeal, contractual write-off {amt}.",
]


@dataclass(frozen=True)
class _Recipe:
    seed: int
    locales: tuple[str, ...]
    frames: list[str]
    clean: list[str]
    per_kind: int
    clean_count: int


TUNING = _Recipe(9001, ("en_US", "es_MX", "en_IN", "yo_NG", "pl_PL", "vi_VN", "fr_FR", "de_DE", "en_NG"),
                 TUNING_FRAMES, CLEAN_TUNING, per_kind=90, clean_count=450)
HELD_OUT = _Recipe(4242, ("en_US", "it_IT", "tw_GH", "pt_BR", "tr_TR", "en_GB", "ig_NG", "fil_PH", "nl_NL"),
                   HELD_OUT_FRAMES, CLEAN_HELD_OUT, per_kind=30, clean_count=160)


def _build(recipe: _Recipe) -> list[dict]:
    r = random.Random(recipe.seed)
    Faker.seed(recipe.seed)
    fakers = [Faker(loc) for loc in recipe.locales]
    for i, f in enumerate(fakers):
        f.seed_instance(recipe.seed + i)
    us = fakers[0]
    cases = []
    for kind in sorted(_makers(us, r)):
        for n in range(recipe.per_kind):
            fake = fakers[n % len(fakers)] if kind == "name" else us
            make = r.choice(_makers(fake, r)[kind])
            value = make()
            frame = r.choice(recipe.frames)
            cases.append({"text": _fill(frame, r).replace("{x}", value), "kinds": [kind]})
    for _ in range(recipe.clean_count):
        cases.append({"text": _fill(r.choice(recipe.clean), r), "kinds": []})
    return cases


def tuning_cases() -> list[dict]:
    return _build(TUNING)


def held_out_cases() -> list[dict]:
    return _build(HELD_OUT)
