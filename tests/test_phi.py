"""Tests for the PHI check (app/privacy/phi.py). Plain functions, no Flask app."""

from __future__ import annotations

import ast
import dataclasses
import logging
from pathlib import Path

import pytest
import yaml

from app.privacy import PHI_KINDS, PhiFinding, check_fields, find_phi
from tests.phi_generated import held_out_cases, tuning_cases

CORPUS_PATH = Path(__file__).with_name("phi_corpus.yaml")
CORPUS: list[dict] = yaml.safe_load(CORPUS_PATH.read_text(encoding="utf-8"))
TUNING = tuning_cases()
HELD_OUT = held_out_cases()
PRIVACY_DIR = Path(__file__).resolve().parent.parent / "app" / "privacy"


def _kinds(text: str) -> set[str]:
    return {f.kind for f in find_phi(text)}


# ------------------------------------------------------------------ corpus

def test_corpus_shape():
    assert len(CORPUS) >= 200
    for case in CORPUS:
        assert {"text", "kinds"} <= set(case) <= {"text", "kinds", "known_miss"}
        assert isinstance(case["text"], str) and case["text"].strip()
        assert set(case["kinds"]) <= set(PHI_KINDS), case["kinds"]
    clean = [c for c in CORPUS if not c["kinds"]]
    assert len(clean) >= 80
    everything = CORPUS + TUNING + HELD_OUT
    assert len(everything) >= 2000
    for kind in PHI_KINDS:
        assert sum(kind in c["kinds"] for c in everything) >= 30, kind


def test_generated_parts_are_deterministic_and_disjoint():
    assert tuning_cases() == TUNING and held_out_cases() == HELD_OUT
    assert not {c["text"] for c in TUNING} & {c["text"] for c in HELD_OUT}


def _scores(cases: list[dict]) -> tuple[float, float, list[str]]:
    """(recall, false-positive rate, the texts got wrong): recall counts a case with PHI as caught
    when its kind is reported; a false positive is a clean case with any finding."""
    missed, flagged = [], []
    for case in cases:
        kinds = _kinds(case["text"])
        if case["kinds"] and not set(case["kinds"]) <= kinds:
            missed.append(case["text"])
        elif not case["kinds"] and kinds:
            flagged.append(case["text"])
    positives = sum(1 for c in cases if c["kinds"])
    return 1 - len(missed) / positives, len(flagged) / (len(cases) - positives), missed + flagged


@pytest.mark.parametrize("part", ["tuning", "held_out"])
def test_generated_corpus_recall_and_false_positives(part):
    recall, fp_rate, wrong = _scores(TUNING if part == "tuning" else HELD_OUT)
    assert recall >= 0.995 and fp_rate <= 0.01, wrong[:10]


def _corpus_params():
    for i, case in enumerate(CORPUS):
        marks = ()
        if case.get("known_miss"):
            marks = (pytest.mark.xfail(strict=True, reason=case["known_miss"]),)
        yield pytest.param(case, id=f"case{i:03d}", marks=marks)


@pytest.mark.parametrize("case", list(_corpus_params()))
def test_corpus_case(case):
    assert _kinds(case["text"]) == set(case["kinds"])


def test_known_misses_are_few():
    assert sum(1 for c in CORPUS if c.get("known_miss")) <= len(CORPUS) // 50


# ------------------------------------------------------------------ messages never echo the text

def test_message_never_contains_matched_text():
    checked = 0
    for case in CORPUS:
        text = case["text"]
        for finding in find_phi(text, "narrative"):
            if finding.kind == "biometric":
                continue  # its span is the word "photo" or "fingerprint", not a value
            matched = text[finding.start:finding.end]
            message = finding.message()
            assert matched.strip() and matched not in message
            # nor any sizeable piece of it
            for piece in matched.split():
                if len(piece) >= 4:
                    assert piece not in message, finding.kind
            assert message.startswith("Looks like ") and "narrative" not in message
            assert f"(characters {finding.start}-{finding.end})" in message
            assert message.endswith("No patient information, please.")
            checked += 1
    assert checked > 200


def test_message_example_from_spec():
    text = "Denied for DOS 03/14/2026, CO-97."
    (finding,) = find_phi(text, "narrative")
    assert finding.message() == (
        "Looks like a date (characters 15-25). Give the month only (YYYY-MM) or write 'the date of service'. "
        "No patient information, please."
    )


@pytest.mark.parametrize("kind", PHI_KINDS)
def test_every_kind_has_a_description_and_advice(kind):
    message = PhiFinding("narrative", kind, 0, 1).message()
    assert message.startswith("Looks like ") and message.count(".") >= 3


def test_finding_holds_no_text():
    text = "Pt John Smith, SSN 219-09-9999, jsmith@gmail.com"
    for finding in find_phi(text):
        fields = dataclasses.asdict(finding)
        assert set(fields) == {"field", "kind", "start", "end"}
        assert "Smith" not in repr(finding) and "9999" not in repr(finding)
    with pytest.raises(dataclasses.FrozenInstanceError):
        find_phi(text)[0].kind = "x"  # type: ignore[misc]


def test_nothing_logged_or_printed(caplog, capsys):
    caplog.set_level(logging.DEBUG)
    for case in CORPUS[:60]:
        find_phi(case["text"], "narrative")
    assert caplog.records == []
    out, err = capsys.readouterr()
    assert out == "" and err == ""


# ------------------------------------------------------------------ spans

@pytest.mark.parametrize(
    ("text", "kind", "expected"),
    [
        ("DOS 03/14/2026 denied CO-97", "date", "03/14/2026"),
        ("Seen on March 14, 2026 for 99214", "date", "March 14, 2026"),
        ("DOB 1/2/1950 and Medicare denied", "date", "1/2/1950"),
        ("Pt cell 512-555-0134 for the ABN", "phone", "512-555-0134"),
        ("send to J.Doe@yahoo.com today", "email", "J.Doe@yahoo.com"),
        ("SSN 219-09-9999 was used", "ssn", "219-09-9999"),
        ("member ID XYZ123456789 termed", "identifier", "XYZ123456789"),
        ("claim # 2026012345678 denied", "identifier", "2026012345678"),
        ("acct 55512 balance", "identifier", "55512"),
        ("lives at 1423 Oak Hollow Dr now", "address", "1423 Oak Hollow Dr"),
        ("Pt is in Austin, TX 78701 now", "zip", "78701"),
        ("see https://records.example.com/p/88231.", "url", "https://records.example.com/p/88231"),
        ("login from 192.168.1.45 today", "ip", "192.168.1.45"),
        ("92 year old pt, G0439 denied", "age", "92 year old"),
        ("Pt John Smith was billed 99214", "name", "John Smith"),
        ("Called about Mrs. Okafor's claim", "name", "Okafor"),
        ("Garcia, Luis - 97110 denied", "name", "Garcia, Luis"),
        ("Mrs. J. Whitfield called", "name", "J. Whitfield"),
        ("Kim, Ji-hoon: 97110 denied", "name", "Kim, Ji-hoon"),
        ("Patient account 55-0091823 denied CO-22", "identifier", "55-0091823"),
        ("account number ending 4471 billed", "identifier", "4471"),
        ("DEA AB1234563 on the Rx", "license", "AB1234563"),
        ("plate EZW 751 on the trip sheet", "vehicle", "EZW 751"),
        ("VIN 1HGCM82633A004352 in the auto claim", "vehicle", "1HGCM82633A004352"),
        ("pacemaker serial PJN402118H, 93294", "device", "PJN402118H"),
        ("photo of the wound attached", "biometric", "photo"),
        ("call +44 20 7946 0958 today", "phone", "+44 20 7946 0958"),
        ("DOS 07JAN2026 denied", "date", "07JAN2026"),
        ("pt F/94 seen", "age", "F/94"),
        ("moved to M5V 2T6, COB", "zip", "M5V 2T6"),
        ("lives at 8 Via Roma, 99213 denied", "address", "8 Via Roma"),
        ("flat #14C, 99213 denied", "address", "#14C"),
    ],
)
def test_span_points_at_identifier(text, kind, expected):
    findings = [f for f in find_phi(text) if f.kind == kind]
    assert len(findings) == 1
    f = findings[0]
    assert text[f.start:f.end] == expected


def test_spans_are_sorted_and_inside_text():
    for case in CORPUS:
        text = case["text"]
        findings = find_phi(text)
        assert findings == sorted(findings, key=lambda f: (f.start, f.end))
        for f in findings:
            assert 0 <= f.start < f.end <= len(text)


def test_offsets_survive_smart_punctuation():
    text = "Per Dr. Feinberg\u2019s note \u2013 DOS 03\u201314\u20132026, call 512\u2011555\u20110134"
    found = {f.kind: text[f.start:f.end] for f in find_phi(text)}
    assert found == {
        "name": "Feinberg",
        "date": "03\u201314\u20132026",
        "phone": "512\u2011555\u20110134",
    }


# ------------------------------------------------------------------ check_fields

def test_check_fields_names_the_field():
    findings = check_fields({
        "narrative": "Aetna denied 20553 with CO-97/N56, won on appeal after 42 days.",
        "appeal_notes": "Called pt at 512-555-0134 on 3/14/26.",
        "payer_name": "Blue Cross Blue Shield of Texas",
        "empty": None,
        "blank": "",
    })
    assert [(f.field, f.kind) for f in findings] == [("appeal_notes", "phone"), ("appeal_notes", "date")]
    assert all(f.field == "appeal_notes" for f in findings)


def test_check_fields_clean():
    assert check_fields({"narrative": "Cigna denied 0232T CO-50 N386 in Q3 2026.", "payer_name": "Cigna"}) == []


def test_find_phi_default_field_and_empty_input():
    assert find_phi("") == []
    (finding,) = find_phi("MRN 123456")
    assert finding == PhiFinding("text", "identifier", 4, 10)


def test_phi_kinds():
    assert PHI_KINDS == ("name", "date", "phone", "email", "ssn", "identifier",
                         "address", "zip", "url", "ip", "age", "license", "vehicle", "device", "biometric")


# ------------------------------------------------------------------ billing language passes

@pytest.mark.parametrize(
    "text",
    [
        "we will bill 99214 with 25", "mark the claim as corrected", "grant the appeal",
        "Will resubmit", "Mark 59 on 97140", "Bill secondary", "Grant the appeal",
        "45 year old", "89 yo", "age 89", "3 units", "30 days", "denied after 45 days",
        "2026-08", "Aug 2026", "August 2026", "08/2026", "2025", "Q3 2026",
        "L39240", "NCCI edit", "$1,234.56", "58.55", "CO-97", "PR-1", "CO 45", "N56", "M80", "MA130",
        "M79.1", "M54.50", "G89.29", "J3301", "G2211", "0232T", "3074F", "XS RT LT -50",
        "Aetna", "UnitedHealthcare", "Blue Cross Blue Shield of Texas", "Humana", "Cigna", "Medicare",
        "Medicaid", "Tricare", "Noridian", "Novitas", "Palmetto GBA", "WPS", "CGS",
        "the physician", "Dr. signature missing", "Baker's cyst", "Tommy John surgery",
        "NDC 00006-3026-02", "97140 OR 97110", "43239 is included IN 47562",
        "N400009307303", "pain from 8/10 to 3/10", "strength from 3/5 to 4/5", "Sister Mary Joseph nodule",
        "Austin Moore hemiarthroplasty", "Denis Browne bar", "CMS-1500", "005010X222A1", "0SR9019",
        "L33797", "A57067", "S83.241A", "99214-25-59", "20553/97140", "CO-P12", "FY2026", "2026Q3",
        "CareFirst BlueCross BlueShield", "DME MAC", "box #24J", "rev code 0450", "NPI 1234567893",
    ],
)
def test_billing_language_passes(text):
    assert find_phi(text) == []


# ------------------------------------------------------------------ module hygiene

def test_privacy_package_imports_no_flask_and_no_logging():
    for path in PRIVACY_DIR.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                assert not name.split(".")[0] in {"flask", "logging"}, (path.name, name)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                assert node.func.id != "print", path.name
