"""One list of US states and territories (app/reference/states.py) for the forms, the schemas and the PHI check."""
import pytest

from app.claims.schemas import ClaimCheckRequest
from app.precheck.forms import ClaimCheckForm
from app.privacy import _vocab
from app.privacy.phi import find_phi
from app.reference.states import STATE_NAMES, US_STATES
from app.reporting.forms import ReportForm

TERRITORIES = {"DC", "PR", "VI", "GU", "AS", "MP"}


def test_fifty_states_dc_and_the_territories():
    assert len(US_STATES) == 56 and TERRITORIES <= US_STATES


def test_the_forms_offer_every_state(app):
    with app.test_request_context():
        for form in (ReportForm(), ClaimCheckForm()):
            assert [choice.value for choice in form.state.choices if choice.value] == sorted(US_STATES)


@pytest.mark.parametrize("state", sorted(TERRITORIES))
def test_the_schemas_accept_a_territory(state):
    assert "state" not in ClaimCheckRequest().validate({"lines": [{"code": "20553"}], "state": state})


def test_the_schemas_refuse_what_is_not_a_state():
    assert "state" in ClaimCheckRequest().validate({"lines": [{"code": "20553"}], "state": "XX"})


def test_the_phi_check_knows_every_state_and_its_zip_prefixes():
    assert set(_vocab.STATE_ABBR) == US_STATES == set(_vocab.ZIP3_RANGES)
    assert set(_vocab.STATE_NAMES.values()) == US_STATES
    assert _vocab.STATE_NAMES["northern mariana islands"] == "MP" and STATE_NAMES["MP"] == "Northern Mariana Islands"


@pytest.mark.parametrize("text, zip_code", [
    ("Patient lives in Hagatna, Guam 96910.", "96910"),
    ("Mailed to Saipan MP 96950 last week", "96950"),
    ("Sent to Pago Pago, American Samoa 96799", "96799"),
    ("Charlotte Amalie, Virgin Islands 00802", "00802"),
])
def test_the_phi_check_finds_a_territory_address(text, zip_code):
    assert zip_code in [text[f.start:f.end] for f in find_phi(text) if f.kind == "zip"]


def test_as_before_a_code_stays_a_word():
    assert find_phi("Coded as 96750 and billed as 96910.") == []
