"""HTML pages: home, search, the code page and its estimator fragment, API docs."""


def test_home_has_search_and_catalog(client):
    page = client.get("/").get_data(as_text=True)
    assert 'role="search"' in page and "How it works" in page
    assert "/codes/20553" in page


def test_search_by_words_and_exact_code_first(client):
    page = client.get("/codes?q=trigger+point").get_data(as_text=True)
    assert "20553" in page and "20552" in page
    page = client.get("/codes?q=20610").get_data(as_text=True)
    assert page.index("20610") < page.index("20611") if "20611" in page else "20610" in page


def test_search_escapes_the_query(client):
    page = client.get("/codes?q=<script>alert(1)</script>").get_data(as_text=True)
    assert "<script>alert(1)" not in page and "&lt;script&gt;" in page


def test_code_page_left_and_right_columns(client):
    page = client.get("/codes/20553").get_data(as_text=True)
    for heading in ["What it is", "Clinical indications", "Procedure steps", "Coding guidelines", "Billing tips",
                    "Medicare payment estimate", "NCCI bundling edits", "Medically unlikely edit",
                    "Live denial dashboard"]:
        assert heading in page, heading
    assert "$59.79" in page  # CY2026 national non-facility
    assert "0 of 5 reports" in page
    assert "10112-00" in page  # locality picker


def test_code_page_shows_the_shipped_mue_with_its_vintage(client):
    page = client.get("/codes/20553").get_data(as_text=True)
    assert "1 unit</strong> per day" in page and "Code Descriptor / CPT Instruction" in page
    assert "MUE practitioner 2026 Q2" in page
    therapy = client.get("/codes/97110").get_data(as_text=True)
    assert "6 units</strong> per day" in therapy and "Clinical: Data" in therapy


def test_code_page_estimate_follows_query(client):
    page = client.get("/codes/20553?year=2025&locality=10112-00").get_data(as_text=True)
    assert "$53.29" in page and "$37.27" in page


def test_estimate_fragment(client):
    fragment = client.get("/codes/20552/estimate?year=2025&locality=10112-00&modifiers=").get_data(as_text=True)
    assert 'id="estimates"' in fragment and "$46.26" in fragment and "$32.77" in fragment
    bad = client.get("/codes/20552/estimate?modifiers=QQ").get_data(as_text=True)
    assert "not a modifier the estimator knows" in bad


def test_code_without_catalog_entry_uses_reference_data(empty_app):
    from tests.test_loaders import PPRRVU_2025, load

    assert load(empty_app, "load-pprrvu", str(PPRRVU_2025)).exit_code == 0
    page = empty_app.test_client().get("/codes/77003").get_data(as_text=True)
    assert "Our description of this code is not written yet" in page and "Relative value units" in page
    assert "No NCCI data loaded for this quarter" in page


def test_unknown_code_is_a_404_page(client):
    response = client.get("/codes/99999")
    assert response.status_code == 404 and "not in the catalog" in response.get_data(as_text=True)


def test_api_docs_page_serves_local_assets(client):
    page = client.get("/api/docs").get_data(as_text=True)
    assert "/static/vendor/swagger-ui" in page and "https://" not in page.split("<footer")[0]
    with client.get("/static/vendor/swagger-ui-5.35.0/swagger-ui-bundle.js") as asset:
        assert asset.status_code == 200


def test_security_headers(client):
    response = client.get("/codes/20553")
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy and "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "Strict-Transport-Security" not in response.headers
    secure = client.get("/codes/20553", base_url="https://localhost")
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=")
    assert "<script>" not in response.get_data(as_text=True).replace('<script src=', '')


def test_every_kind_of_response_carries_the_security_headers(client):
    for url in ("/api/v1/codes/20553/dashboard", "/static/css/app.css", "/codes/00000", "/api/v1/codes/00000"):
        with client.get(url) as response:
            assert response.headers["X-Frame-Options"] == "DENY", url
            assert len(response.headers.getlist("Content-Security-Policy")) == 1, url


def test_hsts_behind_a_trusted_proxy_that_terminates_tls(app_with):
    behind_tls = app_with(TRUSTED_PROXIES="127.0.0.1").test_client().get(
        "/healthz", headers={"X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "https"})
    assert behind_tls.headers["Strict-Transport-Security"].startswith("max-age=")


def test_pages_have_no_inline_script(client):
    import re

    for url in ["/", "/codes?q=trigger", "/codes/20553", "/codes/20553/report", "/reports/update", "/api/docs"]:
        page = client.get(url).get_data(as_text=True)
        for tag in re.findall(r"<script[^>]*>", page):
            assert "src=" in tag, (url, tag)
        assert not re.search(r"\son[a-z]+=", page), url


def test_catalog_headings_read_as_words(client):
    home = client.get("/").get_data(as_text=True)
    toolkit = client.get("/toolkit").get_data(as_text=True)
    for page in (home, toolkit):
        assert "Office E/M visits" in page and "Joints, bursae and tendons" in page
        assert "Office em" not in page and "Nerve spine" not in page and "Injections drugs" not in page


# Any code in a loaded fee schedule is a first-class code: real CMS rows of each kind (tests/fixtures).

from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

EVERY_KIND = Path(__file__).resolve().parent / "fixtures" / "PPRRVU2025_Oct_codepages.csv"
CPT_TEXT = "PLACEHOLDER FOR AN AMA DESCRIPTOR"


@pytest.fixture
def every_kind(empty_app, tmp_path):
    """An app whose only data is the fixture's rows, descriptors kept, one CPT row given a descriptor."""
    from tests.test_loaders import load

    licensed = tmp_path / EVERY_KIND.name
    licensed.write_text(EVERY_KIND.read_text().replace("64635,,,A", f"64635,,{CPT_TEXT},A"))
    result = load(empty_app, "load-pprrvu", str(licensed), "--keep-descriptors")
    assert result.exit_code == 0, result.output
    return empty_app


def test_cpt_code_outside_the_catalog_has_its_status_indicators_section_and_payment(every_kind):
    response = every_kind.test_client().get("/codes/64635")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Our description of this code is not written yet" in page and "CPT section: <strong>Surgery: Nervous system" in page
    assert "<strong>Status A</strong>: Active: paid separately under the physician fee schedule" in page
    assert "Global surgery days: 010" in page and "10-day global" in page
    assert "Bilateral surgery (modifier 50): 1" in page and "Bilateral at 150%" in page
    assert "Multiple procedures (modifier 51): 2" in page and "Assistant at surgery may not be paid" in page
    assert "$420.50" in page and "$186.64" in page  # (3.32 + 9.39 | 2.16 + 0.29) x 32.3465, CY2025 national
    assert "No NCCI data loaded for this quarter" in page and "No MUE data loaded" in page
    assert CPT_TEXT not in page  # a CPT descriptor is never shown, even when the operator loaded them


def test_hcpcs_level_two_code_shows_cms_descriptor(every_kind):
    response = every_kind.test_client().get("/codes/G0283")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<h1>Elec stim other than wound</h1>" in page and "HCPCS G0283" in page
    assert "CPT section" not in page
    assert "Professional/technical component (PC/TC): 7" in page and "independently practicing therapist" in page


def test_anesthesia_code_is_not_priced_from_rvus(every_kind):
    response = every_kind.test_client().get("/codes/00840")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "CPT section: <strong>Anesthesia" in page and "<strong>Status J</strong>: Anesthesia service" in page
    assert "not paid from RVUs" in page and "anesthesia conversion factor" in page
    assert "$0.00" not in page and 'class="amount"' not in page


@pytest.mark.parametrize(("code", "words"), [
    ("20930", "Bundled: always bundled into payment for other services"),
    ("0469T", "Non-covered: not covered by Medicare"),
    ("0042T", "Carrier priced"),
    ("0001F", "Not valid for Medicare"),
    ("A0425", "Statutory exclusion"),
    ("J3301", "Excluded from the physician fee schedule by regulation"),
])
def test_status_in_words_for_every_kind(every_kind, code, words):
    response = every_kind.test_client().get(f"/codes/{code}")
    assert response.status_code == 200 and words in response.get_data(as_text=True)


def test_category_ii_and_iii_sections(every_kind):
    client = every_kind.test_client()
    assert "Category III (emerging technology)" in client.get("/codes/0042T").get_data(as_text=True)
    assert "Category II (performance measurement)" in client.get("/codes/0001F").get_data(as_text=True)


def test_a_report_is_accepted_for_any_code_in_the_fee_schedule(every_kind):
    client = every_kind.test_client()
    for code in ("64635", "20930", "0469T"):  # active, bundled, non-covered: all get denied
        response = client.post("/api/v1/reports", json={"code": code, "payer_type": "medicare",
                                                        "denial_category": "bundling"})
        assert response.status_code == 201, response.json
    page = client.get("/codes/64635/report").get_data(as_text=True)
    assert "64635" in page


@pytest.mark.parametrize("typed", ["20553", "CPT 20553", "cpt: 20553", "20553-59", "20553 59", " 20553-XS "])
def test_a_code_as_billers_type_it_opens_its_page(client, typed):
    response = client.get("/codes", query_string={"q": typed})
    assert response.status_code == 302 and response.headers["Location"] == "/codes/20553"


@pytest.mark.parametrize("typed", ["((( NEAR", '"""', "%_\\", "abc*", "-"])
def test_odd_searches_are_answered(client, typed):
    assert client.get("/codes", query_string={"q": typed}).status_code == 200
    assert client.get("/api/v1/codes", query_string={"q": typed}).status_code == 200


@pytest.mark.parametrize("typed", ["abc\x00", "\x00"])
def test_a_nul_in_a_search_is_a_clear_400(client, typed):
    assert client.get("/codes", query_string={"q": typed}).status_code == 400
    assert client.get("/api/v1/codes", query_string={"q": typed}).status_code == 400


def test_an_unknown_code_is_searched_not_opened(client):
    response = client.get("/codes?q=99999")
    assert response.status_code == 200 and "No code matches" in response.get_data(as_text=True)


def test_e_m_finds_every_office_visit(client):
    for typed in ("E/M", "E&M", "em"):
        page = client.get("/codes", query_string={"q": typed}).get_data(as_text=True)
        for code in ("99202", "99203", "99204", "99205", "99211", "99212", "99213", "99214", "99215", "G2211"):
            assert f"/codes/{code}" in page, (typed, code)


def test_search_tolerates_typos(client):
    for typed in ("trigger piont", "trigr point", "dry neddling"):
        page = client.get("/codes", query_string={"q": typed}).get_data(as_text=True)
        assert "/codes/20552" in page or "/codes/20560" in page, typed
    assert "No code matches" in client.get("/codes?q=xyzzyq").get_data(as_text=True)


def test_search_finds_hcpcs_descriptors_never_cpt_ones(every_kind):
    client = every_kind.test_client()
    page = client.get("/codes?q=elec+stim").get_data(as_text=True)
    assert all(f"/codes/{code}" in page for code in ("G0281", "G0283", "A4543"))
    assert "/codes/64635" not in client.get("/codes?q=placeholder").get_data(as_text=True)
    assert client.get("/codes?q=g0283").headers["Location"] == "/codes/G0283"


def test_the_index_migration_indexes_data_loaded_before_it(every_kind):
    from flask_migrate import downgrade, upgrade

    downgrade(revision="3d2c7a9b5e10")
    upgrade()
    assert every_kind.test_client().get("/codes?q=g0283").headers["Location"] == "/codes/G0283"
    assert "/codes/G0281" in every_kind.test_client().get("/codes?q=elec+stim").get_data(as_text=True)


def test_a_zip_on_the_code_page_prices_at_its_locality(client):
    page = client.get("/codes/20553?year=2025&zip=35203").get_data(as_text=True)
    assert "$53.29" in page and "ALABAMA" in page.upper() and 'value="35203"' in page
    unknown = client.get("/codes/20553?year=2025&zip=00000")
    assert unknown.status_code == 200 and "not in the loaded CMS ZIP to locality file" in unknown.get_data(as_text=True)
    fragment = client.get("/codes/20553/estimate?year=2025&zip=35203&locality=01112-05").get_data(as_text=True)
    assert "$53.29" in fragment  # the ZIP wins over a stale locality choice
