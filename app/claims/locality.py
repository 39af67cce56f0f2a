"""Which Medicare locality prices the claim: the one given, the state's only one, or national (said so)."""
from dataclasses import dataclass

import sqlalchemy as sa

from app.extensions import db
from app.lookup_errors import LookupFailed
from app.payment.estimates import locality_gpcis, zip_locality
from app.reference.cache import cached_reference
from app.reference.models import Gpci


@dataclass(frozen=True)
class PricingLocality:
    locality: str | None          # <MAC>-<locality number>, None for national
    note: str


def state_localities(state: str, year: int) -> tuple[tuple[str, str], ...]:
    return cached_reference("claims.state_localities", (state, year), lambda: tuple(
        (gpci.locality_id, gpci.locality_name) for gpci in db.session.scalars(
            sa.select(Gpci).where(Gpci.year == year, Gpci.state == state).order_by(Gpci.locality_number))))


def pricing_locality(year: int | None, locality: str | None, state: str | None, zip_code: str | None) -> PricingLocality:
    if locality and year is not None:
        try:
            return PricingLocality(locality, f"Priced at {locality_gpcis(locality, year).locality_name} ({locality}).")
        except LookupFailed as error:
            return PricingLocality(None, f"{error.message} Priced nationally (all GPCIs 1.0).")
    if zip_code:
        try:
            place = zip_locality(zip_code)
        except LookupFailed as error:
            return PricingLocality(None, f"{error.message} Priced nationally (all GPCIs 1.0).")
        return pricing_locality(year, place.locality, None, None)
    if not state or year is None:
        return PricingLocality(None, "No locality given: priced nationally (all GPCIs 1.0).")
    found = state_localities(state, year)
    if len(found) == 1:
        return PricingLocality(found[0][0], f"{state} has one Medicare locality, {found[0][1]} ({found[0][0]}).")
    if not found:
        return PricingLocality(None, f"No GPCI loaded for {state} in {year}: priced nationally (all GPCIs 1.0).")
    names = "; ".join(f"{name} ({locality_id})" for locality_id, name in found)
    return PricingLocality(None, f"{state} has {len(found)} Medicare localities in the loaded GPCI file ({names}): "
                                 "priced nationally (all GPCIs 1.0). Give the locality or ZIP to price it locally.")
