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
    assert "No catalog entry yet" in page and "Relative value units" in page
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
