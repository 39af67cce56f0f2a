"""Amounts as the pages, the pre-check's messages and the PDF print them, formatted in one place."""
from decimal import Decimal


def money(amount: Decimal | float | None, missing: str = "") -> str:
    """Dollars with a thousands separator, a negative amount signed before the dollar sign
    (-$1,234.50); ``missing`` where there is no amount."""
    if amount is None:
        return missing
    sign = "-" if amount < 0 else ""
    return f"{sign}${abs(amount):,.2f}"
