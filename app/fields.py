"""Exact decimals (money, RVUs, GPCIs) travel as strings, and the OpenAPI document says so."""
from marshmallow import fields


class DecimalString(fields.Decimal):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, as_string=True, **kwargs)
