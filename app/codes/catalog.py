"""Our code catalog as pages and the toolkit list it: by category, by title, live or not."""
from dataclasses import dataclass

import sqlalchemy as sa

from app.extensions import db
from app.reference.models import CatalogCode
from app.reports.models import CodeAggregate

IN_CATEGORY_ORDER = (CatalogCode.category, CatalogCode.code)


@dataclass(frozen=True)
class CatalogListing:
    code: str
    title: str
    live: bool  # the code's dashboard is published


def catalog_by_category() -> dict[str, list[CatalogCode]]:
    categories: dict[str, list[CatalogCode]] = {}
    for entry in db.session.scalars(sa.select(CatalogCode).order_by(*IN_CATEGORY_ORDER)):
        categories.setdefault(entry.category, []).append(entry)
    return categories


def listings_by_category() -> dict[str, list[CatalogListing]]:
    """Every catalog code by category, with whether its dashboard is live."""
    rows = db.session.execute(
        sa.select(CatalogCode.code, CatalogCode.title, CatalogCode.category, CodeAggregate.live)
        .outerjoin(CodeAggregate, CodeAggregate.code == CatalogCode.code)
        .order_by(*IN_CATEGORY_ORDER)
    )
    categories: dict[str, list[CatalogListing]] = {}
    for code, title, category, live in rows:
        categories.setdefault(category, []).append(CatalogListing(code=code, title=title, live=bool(live)))
    return categories


def catalog_codes() -> list[str]:
    """Every catalog code, in category order."""
    return list(db.session.scalars(sa.select(CatalogCode.code).order_by(*IN_CATEGORY_ORDER)))


def catalog_titles() -> dict[str, str]:
    return {code: title for code, title in db.session.execute(sa.select(CatalogCode.code, CatalogCode.title))}
