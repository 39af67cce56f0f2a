"""The catalog and reference lists that pages and the API show, read on the shipped sample."""
from app.codes.catalog import catalog_by_category, catalog_codes, catalog_titles, listings_by_category
from app.payment.estimates import year_localities
from app.reference.remittance_codes import adjustment_reason_codes, remark_codes
from tests.test_toolkit import make_live_code


def test_catalog_lists_agree_and_run_in_category_order(app):
    entries = catalog_by_category()
    listings = listings_by_category()
    assert list(entries) == sorted(entries) and list(listings) == list(entries)
    for category, codes in listings.items():
        assert [listing.code for listing in codes] == sorted(entry.code for entry in entries[category])
    assert catalog_codes() == [listing.code for codes in listings.values() for listing in codes]
    titles = catalog_titles()
    assert all(titles[listing.code] == listing.title for codes in listings.values() for listing in codes)
    assert "20553" in titles


def test_a_listing_is_live_once_its_dashboard_is_published(app):
    def live_codes() -> set[str]:
        return {listing.code for codes in listings_by_category().values() for listing in codes if listing.live}

    assert live_codes() == set()
    make_live_code()
    assert live_codes() == {"20553"}


def test_year_localities_are_that_years_in_state_and_name_order(app):
    localities = year_localities(2025)
    assert localities and {gpci.year for gpci in localities} == {2025}
    assert [(g.state, g.locality_name) for g in localities] == sorted((g.state, g.locality_name) for g in localities)
    assert year_localities(None) == [] and year_localities(1999) == []


def test_remittance_code_lists_are_in_code_order(app):
    carcs, rarcs = adjustment_reason_codes(), remark_codes()
    assert "97" in {row.code for row in carcs} and "N56" in {row.code for row in rarcs}
    assert [row.code for row in carcs] == sorted(row.code for row in carcs)
    assert [row.code for row in rarcs] == sorted(row.code for row in rarcs)
