"""The API's blueprint class: flask-smorest's, with query strings parsed once per distinct string, and
the caching headers of the read-only reference endpoints."""
from collections import OrderedDict
from threading import Lock

import flask_smorest
from flask import Response, request
from marshmallow import Schema
from webargs.flaskparser import FlaskParser

#: Reference answers change only when CMS data is loaded: a proxy may answer repeats for this long.
PUBLIC_MAX_AGE = 300
PUBLIC_CACHE_CONTROL = f"public, max-age={PUBLIC_MAX_AGE}"
QUERY_LOCATIONS = {"query", "querystring"}


class QueryMemoParser(FlaskParser):
    """webargs' Flask parser, remembering what a query string validated to.

    The one private memo the API keeps, because bench/pages.py's and bench/dashboard.py's goals (the
    payment and dashboard APIs at >= 60% of bare Flask) need it: marshmallow's load of a query costs
    about as much as the rest of a hot payment request. It is safe to keep per process: the arguments
    of a query-string schema depend on the query string alone, and the read-only endpoints are asked
    the same few questions over and over (a code page's locality picker, a dashboard slice). Invalid
    query strings are parsed every time and answer their 422 as usual; bodies are never memoised.
    """

    LIMIT = 4096

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._parsed: OrderedDict[tuple, dict] = OrderedDict()
        self._lock = Lock()

    def parse(self, argmap, req=None, *, location=None, **kwargs):
        if location not in QUERY_LOCATIONS or not isinstance(argmap, Schema) or kwargs.get("validate"):
            return super().parse(argmap, req, location=location, **kwargs)
        incoming = req if req is not None else self.get_default_request()
        key = (id(argmap), incoming.query_string)
        with self._lock:
            parsed = self._parsed.get(key)
        if parsed is None:
            parsed = super().parse(argmap, incoming, location=location, **kwargs)
            with self._lock:
                self._parsed[key] = parsed
                if len(self._parsed) > self.LIMIT:
                    self._parsed.popitem(last=False)
        # Views get their own copy: nothing they do to it reaches the next request.
        return {name: list(value) if isinstance(value, list) else value for name, value in parsed.items()}


class Blueprint(flask_smorest.Blueprint):
    ARGUMENTS_PARSER = QueryMemoParser()

    def cache_publicly(self) -> None:
        """Let browsers and proxies keep this blueprint's successful GET answers for PUBLIC_MAX_AGE
        seconds (each also has an ETag, so a stale copy is revalidated with a 304)."""
        self.after_request(public_cache_control)


def public_cache_control(response: Response) -> Response:
    if request.method in {"GET", "HEAD"} and response.status_code in {200, 304}:
        # The header as text: werkzeug's cache_control object costs a hot request more than the rest of it.
        response.headers["Cache-Control"] = PUBLIC_CACHE_CONTROL
    return response
