"""The API's blueprint class, and the caching headers of the read-only reference endpoints."""
import flask_smorest
from flask import Response, request

#: Reference answers change only when CMS data is loaded: a proxy may answer repeats for this long.
PUBLIC_MAX_AGE = 300


class Blueprint(flask_smorest.Blueprint):
    def cache_publicly(self) -> None:
        """Let browsers and proxies keep this blueprint's successful GET answers for PUBLIC_MAX_AGE
        seconds (each also has an ETag, so a stale copy is revalidated with a 304)."""
        self.after_request(public_cache_control)


def public_cache_control(response: Response) -> Response:
    if request.method in {"GET", "HEAD"} and response.status_code in {200, 304}:
        response.cache_control.public = True
        response.cache_control.max_age = PUBLIC_MAX_AGE
    return response
