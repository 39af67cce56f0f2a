"""Rules a schema's fields cannot state, in the OpenAPI document. Every string is well-formed
Unicode without NUL (app/client_input refuses anything else); a schema class gives rules across
fields (at least one of two fields, at least one field) as JSON Schema keywords in OPENAPI_RULES,
and sets OPENAPI_BLANK_IS_ABSENT when it reads "" and null as an absent field (so its optional fields
accept both)."""
from apispec import BasePlugin

from app.client_input import CLEAN_TEXT_PATTERN


def with_clean_text(prop: dict) -> dict:
    if prop.get("type") == "string" and not {"enum", "pattern", "format"} & prop.keys():
        return prop | {"pattern": CLEAN_TEXT_PATTERN}
    if prop.get("type") == "array" and isinstance(prop.get("items"), dict):
        return prop | {"items": with_clean_text(prop["items"])}
    return prop


class SchemaRules(BasePlugin):
    def schema_helper(self, name, definition, **kwargs):
        schema = kwargs.get("schema")
        rules = dict(getattr(schema, "OPENAPI_RULES", {}))
        required = set(definition.get("required", ()))
        blank_is_absent = getattr(schema, "OPENAPI_BLANK_IS_ABSENT", False)
        properties = {}
        for field, prop in definition.get("properties", {}).items():
            if blank_is_absent and "enum" in prop and field not in required:
                prop = prop | {"enum": [*prop["enum"], ""]}
            if blank_is_absent and field not in required and not prop.get("nullable"):
                prop = prop | {"nullable": True} | ({"enum": [*prop["enum"], None]} if "enum" in prop else {})
            pattern = prop.get("pattern", "")
            if blank_is_absent and pattern.startswith("^") and pattern.endswith("$") and field not in required:
                prop = prop | {"pattern": f"^(?:{pattern[1:-1]})?$"}
            properties[field] = with_clean_text(prop)
        return rules | {"properties": properties}

    def operation_helper(self, path=None, operations=None, **kwargs):
        """Query and path strings are held to the same rule as body strings."""
        for operation in (operations or {}).values():
            for parameter in operation.get("parameters", []):
                if isinstance(parameter, dict) and isinstance(parameter.get("schema"), dict):
                    parameter["schema"] = with_clean_text(parameter["schema"])
