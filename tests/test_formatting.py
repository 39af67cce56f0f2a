"""Money as the pages, the pre-check and the PDF print it: app/formatting.py, used by all of them."""
from decimal import Decimal

from app import formatting
from app.formatting import money
from app.pdf.formatting import NOT_PRICED


def test_money_has_cents_a_thousands_separator_and_the_sign_first():
    assert money(Decimal("1234.5")) == "$1,234.50"
    assert money(Decimal("-12")) == "-$12.00"
    assert money(0) == "$0.00"


def test_a_missing_amount_reads_as_its_caller_says():
    assert money(None) == "" and money(None, NOT_PRICED) == "not priced"


def test_the_template_filter_is_the_same_function(app):
    assert app.jinja_env.filters["money"] is formatting.money
    assert app.jinja_env.from_string("{{ amount|money }}").render(amount=Decimal("58.55")) == "$58.55"
