"""Form pieces every HTML form shares: the schema, not WTForms, checks (and explains) each value."""
from flask_wtf import FlaskForm
from wtforms import SelectField as WTFormsSelectField
from wtforms.fields.choices import SelectChoice


class SelectField(WTFormsSelectField):
    """A select whose value the schema checks (and explains), not WTForms."""

    def __init__(self, label, choices, **kwargs):
        super().__init__(label, choices=choices, validate_choice=False, **kwargs)


def blank_first(choices: list[tuple[str, str]], label: str = "—") -> list[SelectChoice]:
    return [SelectChoice("", label), *(SelectChoice(value, text) for value, text in choices)]


def split_list(text: str | None) -> list[str]:
    return [item.strip() for item in (text or "").replace(";", ",").split(",") if item.strip()]


def form_payload(form: FlaskForm, list_fields: tuple[str, ...] = ()) -> dict:
    """The form's raw text as the schema expects it: lists split, numbers left for the schema to check."""
    payload = {}
    for name, field in form._fields.items():
        if name in {"csrf_token", "receipt"}:
            continue
        raw = field.raw_data[0] if field.raw_data else ""
        payload[name] = split_list(raw) if name in list_fields else raw.strip()
    return payload
