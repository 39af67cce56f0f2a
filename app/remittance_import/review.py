"""The review between upload and submission, held by the browser as a signed list of drafts.

Only the extracted anonymous drafts are signed into the page (never the file): the server keeps
nothing between the two requests, and a tampered list fails its signature.
"""
from dataclasses import dataclass, field

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer
from marshmallow import ValidationError

from app.lookup_errors import Invalid
from app.reports.schemas import ReportSchema

REVIEW_SALT = "remittance-review"
RECEIPTS_SALT = "remittance-receipts"
REVIEW_MAX_AGE = 6 * 3600
RECEIPT_COLUMNS = ("receipt", "status", "code", "modifiers", "units", "payer_type", "group_code", "carc", "rarc",
                   "denial_month", "denied_amount", "appeal_strategy", "appeal_outcome", "days_to_resolution")


@dataclass
class ReviewRow:
    index: int
    draft: dict
    errors: dict = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    included: bool = True
    appeal_strategy: str = ""


def serializer(salt: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt=salt)


def sign(value, salt: str = REVIEW_SALT) -> str:
    return serializer(salt).dumps(value)


def unsign(token: str, salt: str = REVIEW_SALT):
    try:
        return serializer(salt).loads(token or "", max_age=REVIEW_MAX_AGE)
    except BadSignature:
        raise Invalid("state", "This review has expired or was changed: upload the file again.") from None


def flatten(errors) -> dict[str, str]:
    return {name: " ".join(map(str, messages if isinstance(messages, list) else [messages]))
            for name, messages in errors.items()}


def review_rows(drafts: list[dict], warnings: list[dict]) -> list[ReviewRow]:
    """Each draft pre-checked as the API would: one that would be refused starts unticked, with why."""
    schema = ReportSchema()
    rows = [ReviewRow(index, draft, flatten(schema.validate(draft))) for index, draft in enumerate(drafts)]
    for row in rows:
        row.included = not row.errors
    for warning in warnings:
        rows[warning["draft"]].warnings.append(warning["message"])
    return rows


def chosen_reports(drafts: list[dict], form) -> tuple[list[dict], list[ReviewRow]]:
    """The ticked drafts with their appeal strategies, validated all together; and the rows to show again."""
    rows = review_rows(drafts, [])
    chosen, indices = [], []
    for row in rows:
        row.included = form.get(f"include-{row.index}") == "on"
        row.appeal_strategy = form.get(f"appeal_strategy-{row.index}", "")
        if row.included:
            chosen.append(row.draft | ({"appeal_strategy": row.appeal_strategy} if row.appeal_strategy else {}))
            indices.append(row.index)
    if not chosen:
        raise Invalid("reports", "Tick at least one denial to report.")
    try:
        loaded = ReportSchema(many=True).load(chosen)
    except ValidationError as error:
        for position, errors in error.messages.items():
            rows[indices[position]].errors = flatten(errors)
        raise ReviewRefused(rows) from None
    return loaded, rows


class ReviewRefused(Exception):
    def __init__(self, rows: list[ReviewRow]):
        super().__init__("some ticked drafts are not valid reports")
        self.rows = rows


def receipt_rows(chosen: list[dict], results) -> list[dict]:
    """One row per submitted draft, for the page and its CSV (outcome columns left for later)."""
    rows = []
    for item, result in zip(chosen, results):
        row = {name: item.get(name) for name in RECEIPT_COLUMNS}
        row |= {"receipt": result.submitted.receipt if result.submitted else "",
                "status": "created" if result.submitted else "already_recorded",
                "modifiers": " ".join(item.get("modifiers", [])), "rarc": " ".join(item.get("rarc", [])),
                "payer_type": str(item["payer_type"].value), "group_code": item["group_code"].value if item.get("group_code") else "",
                "appeal_strategy": item["appeal_strategy"].value if item.get("appeal_strategy") else "",
                "denied_amount": str(item["denied_amount"]) if item.get("denied_amount") is not None else ""}
        rows.append({name: ("" if value is None else value) for name, value in row.items()})
    return rows
