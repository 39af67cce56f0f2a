"""The code shapes of app/reference/code_format.py, as each of their users needs them."""
import pytest

from app.claims.appeal_schemas import DenialRequest
from app.claims.schemas import ClaimLineIn
from app.privacy.phi import find_phi
from app.reference.code_format import FEE_SCHEDULE_CODE, MODIFIER, NCCI_CODE, PROCEDURE_CODE, is_code
from app.reports.schemas import ReportSchema

CODES = ["20553", "99213", "00100", "0042T", "0001U", "1234F", "G0283", "J1030", "A0425", "V2020"]
NOT_CODES = ["2055", "205531", "2055X", "W1234", "G028", "g0283 ", "20553-59", "0001M", ""]


@pytest.mark.parametrize("code", CODES)
def test_every_pattern_takes_a_code_a_biller_may_type(code):
    assert is_code(code)
    assert FEE_SCHEDULE_CODE.match(code) and NCCI_CODE.match(code)


@pytest.mark.parametrize("text", NOT_CODES)
def test_a_biller_may_not_type_other_shapes(text):
    assert not is_code(text)


def test_the_loaders_read_cms_files_wider():
    assert FEE_SCHEDULE_CODE.match("W1234") and not PROCEDURE_CODE.match("W1234")
    assert NCCI_CODE.match("0001M") and not PROCEDURE_CODE.match("0001M")


def test_schemas_refuse_the_same_shapes(app):
    assert "code" in ClaimLineIn().validate({"code": "W1234"})
    assert "code" not in ClaimLineIn().validate({"code": "0042T"})
    assert "code" in DenialRequest().validate({"code": "2055", "carc": "97"})


def test_the_openapi_document_states_the_pattern(client):
    spec = client.get("/api/openapi.json").get_json()
    assert spec["components"]["schemas"]["ClaimLineIn"]["properties"]["code"]["pattern"] == PROCEDURE_CODE.pattern


def test_report_schema_uses_the_same_shape(app):
    errors = ReportSchema().validate({"code": "W1234", "payer_type": "medicare", "carc": "97"})
    assert errors["code"] == ["Use a CPT code (5 digits, or 4 digits and F, T or U) "
                              "or a HCPCS code (a letter A-V and 4 digits)."]


def test_the_phi_check_reads_code_shapes_as_codes_not_identifiers():
    assert find_phi("Lines 0001U-0042T and G0283-97110 were denied; 20553-59 x2 paid.") == []
    assert find_phi("Member 0001U0042T was denied.")


@pytest.mark.parametrize("modifier, shaped", [("25", True), ("XS", True), ("59", True),
                                               ("5", False), ("-59", False), ("xs", False)])
def test_a_modifier_is_two_letters_or_digits(modifier, shaped):
    assert bool(MODIFIER.match(modifier)) is shaped
