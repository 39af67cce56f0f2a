"""What a client sends is refused with a 400 before any parser or the database sees it, when it is
text that is not well-formed Unicode (a lone surrogate from a JSON escape), holds a NUL (PostgreSQL
cannot store one), is JSON nested deeper than any request of ours, or is an integer out of range.

One before_request hook checks the path, the query string, form fields and JSON bodies of every
request, so no view, schema or query has to; the API answers its JSON error, pages their HTML one.
"""
import json
from urllib.parse import unquote_to_bytes

from flask import Flask, request
from werkzeug.exceptions import BadRequest
from werkzeug.routing import IntegerConverter

# A report is an object of lists of strings: depth 2. Anything much deeper is not ours.
MAX_JSON_DEPTH = 16
# Database integer columns are 32-bit (PostgreSQL's integer).
MAX_DATABASE_INTEGER = 2**31 - 1
BAD_TEXT = "Send well-formed Unicode text without NUL characters."
# What the OpenAPI document's strings carry of is_clean_text: the NUL. A lone surrogate has no place
# in a JSON Schema (ECMA-262) pattern, so the document's description says it (REQUEST_RULES).
CLEAN_TEXT_PATTERN = r"^[^\u0000]*$"
REQUEST_RULES = (
    "Every text (path, query string, JSON string) must be well-formed Unicode without NUL: a lone "
    f"surrogate escape or a NUL answers 400, as does JSON nested more than {MAX_JSON_DEPTH} levels.")
URL_ENCODED_FORM, MULTIPART_FORM = "application/x-www-form-urlencoded", "multipart/form-data"
OPENING, CLOSING, QUOTE, BACKSLASH = frozenset(b"[{"), frozenset(b"]}"), ord('"'), ord("\\")


def is_clean_text(text: str) -> bool:
    """No NUL, and encodable as UTF-8 (a lone surrogate is not). CLEAN_TEXT_PATTERN says the same."""
    if "\x00" in text:
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def json_too_deep(raw: bytes, limit: int = MAX_JSON_DEPTH) -> bool:
    """Does the body nest arrays or objects more than `limit` levels (brackets inside strings
    don't count)? Told without parsing it: json.loads would recurse once per level."""
    if raw.count(b"[") + raw.count(b"{") <= limit:
        return False
    depth, in_string, escaped = 0, False, False
    for byte in raw:
        if in_string:
            if escaped:
                escaped = False
            elif byte == BACKSLASH:
                escaped = True
            elif byte == QUOTE:
                in_string = False
        elif byte == QUOTE:
            in_string = True
        elif byte in OPENING:
            depth += 1
            if depth > limit:
                return True
        elif byte in CLOSING:
            depth -= 1
    return False


def first_unclean_text(value, path: str = "") -> str | None:
    """The path ('rarc.0', or '' for the whole body) of the first key or string that is not clean."""
    if isinstance(value, str):
        return None if is_clean_text(value) else path
    if isinstance(value, dict):
        items = value.items()
    elif isinstance(value, list):
        items = enumerate(value)
    else:
        return None
    for key, item in items:
        where = f"{path}.{key}" if path else str(key)
        if isinstance(key, str) and not is_clean_text(key):
            return path or "body"
        if (found := first_unclean_text(item, where)) is not None:
            return found
    return None


def parse_int(text: str, low: int, high: int) -> int | None:
    """ASCII digits (with an optional minus) within [low, high]; anything else is None.
    str.isdigit alone would let '²' through to int(), which refuses it."""
    digits = text.removeprefix("-")
    if not digits or not digits.isascii() or not digits.isdigit() or len(digits) > len(str(high)) + 1:
        return None
    number = int(text)
    return number if low <= number <= high else None


def refuse(location: str, field: str | None, message: str):
    error = BadRequest(description=message)
    # The API's error handler reads messages by location and field, as for a 422 from a schema.
    error.data = {"messages": {location: {field: [message]} if field else [message]}}
    raise error


def query_int(name: str, low: int, high: int) -> int | None:
    """An optional integer from the query string; present but not a number in range is a 400."""
    text = request.args.get(name, "")
    if not text:
        return None
    number = parse_int(text, low, high)
    if number is None:
        refuse("query", name, f"{name} must be a whole number from {low} to {high}.")
    return number


def first_bad_parameter(encoded: bytes) -> str | None:
    """In a query string or url-encoded form: the name ('' if the name itself is bad) of the first
    parameter whose bytes are not UTF-8 or hold a NUL. Werkzeug would keep the percent escapes of
    such bytes as text, or drop the whole form, so they are checked before it decodes them."""
    for pair in encoded.split(b"&"):
        decoded = []
        for part in pair.partition(b"=")[::2]:
            try:
                decoded.append(unquote_to_bytes(part.replace(b"+", b" ")).decode("utf-8"))
            except UnicodeDecodeError:
                decoded.append(None)
        name, value = decoded
        if name is None or not is_clean_text(name):
            return ""
        if value is None or not is_clean_text(value):
            return name
    return None


def is_clean_path(wsgi_path: str) -> bool:
    """WSGI gives the path's bytes as Latin-1 text: they must be UTF-8 (Werkzeug would put U+FFFD
    for what is not) and hold no NUL."""
    try:
        return "\x00" not in wsgi_path.encode("latin-1").decode("utf-8")
    except UnicodeError:
        return False


def first_repeated_parameter() -> str | None:
    """Every API query parameter is one value: year=1&year=2 is ambiguous, not a choice to make for the client."""
    return next((name for name, values in request.args.lists() if len(values) > 1), None)


def check_request() -> None:
    if not is_clean_path(request.environ.get("PATH_INFO", "")):
        refuse("path", None, BAD_TEXT)
    if request.query_string and (name := first_bad_parameter(request.query_string)) is not None:
        refuse("query", name or None, BAD_TEXT)
    if request.path.startswith("/api/") and (name := first_repeated_parameter()) is not None:
        refuse("query", name, "Give each query parameter once (a list is comma-separated, e.g. modifiers=26,51).")
    if request.mimetype == URL_ENCODED_FORM:
        if (name := first_bad_parameter(request.get_data(cache=True))) is not None:
            refuse("form", name or None, BAD_TEXT)
    elif request.mimetype == MULTIPART_FORM:
        for name, value in request.form.items(multi=True):
            if not (is_clean_text(name) and is_clean_text(value)):
                refuse("form", name if is_clean_text(name) else None, BAD_TEXT)
    elif request.is_json and (raw := request.get_data(cache=True)):
        check_json(raw)


def check_json(raw: bytes) -> None:
    if json_too_deep(raw):
        refuse("json", None, f"JSON nested more than {MAX_JSON_DEPTH} levels deep is refused.")
    try:
        body = json.loads(raw)
    except ValueError:
        refuse("json", None, "The body is not valid JSON.")
    where = first_unclean_text(body)
    if where is not None:
        refuse("json", where or None, BAD_TEXT)


class BoundedIntegerConverter(IntegerConverter):
    """`<int:...>` in a route matches only what a database integer column can hold."""

    def __init__(self, map, fixed_digits=0, min=None, max=MAX_DATABASE_INTEGER, signed=False):
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def init_app(app: Flask) -> None:
    """Before the blueprints: routes pick their converters when they are added."""
    app.url_map.converters["int"] = BoundedIntegerConverter
    app.before_request(check_request)
