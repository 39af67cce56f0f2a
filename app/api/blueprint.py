"""The API's blueprint class: flask-smorest's, with query strings parsed once per distinct string."""
from collections import OrderedDict
from threading import Lock

import flask_smorest
from marshmallow import Schema
from webargs.flaskparser import FlaskParser

QUERY_LOCATIONS = {"query", "querystring"}


class QueryMemoParser(FlaskParser):
    """webargs' Flask parser, remembering what a query string validated to.

    The arguments of a query-string schema depend on the query string alone, and the read-only
    endpoints are asked the same few questions over and over (a code page's locality picker, a
    dashboard slice), so a valid query string is parsed once per process. Invalid ones are parsed
    every time and answer their 422 as usual; bodies are never memoised.
    """

    LIMIT = 4096

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._parsed: OrderedDict[tuple, dict] = OrderedDict()
        self._lock = Lock()

    def parse(self, argmap, req=None, *, location=None, **kwargs):
        if location not in QUERY_LOCATIONS or not isinstance(argmap, Schema) or kwargs.get("validate"):
            return super().parse(argmap, req, location=location, **kwargs)
        request = req if req is not None else self.get_default_request()
        key = (id(argmap), request.query_string)
        with self._lock:
            parsed = self._parsed.get(key)
        if parsed is None:
            parsed = super().parse(argmap, request, location=location, **kwargs)
            with self._lock:
                self._parsed[key] = parsed
                if len(self._parsed) > self.LIMIT:
                    self._parsed.popitem(last=False)
        # Views get their own copy: nothing they do to it reaches the next request.
        return {name: list(value) if isinstance(value, list) else value for name, value in parsed.items()}


class Blueprint(flask_smorest.Blueprint):
    ARGUMENTS_PARSER = QueryMemoParser()
