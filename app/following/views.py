"""/codes/<code>/feed.atom (one code) and /changes.atom (the digest of every code)."""
from flask import abort, make_response, render_template, request

from app.following import bp
from app.dashboards.change_log import recent_changes
from app.reference.code_format import is_code
from app.reference.models import utcnow


def atom(title: str, entries: list, self_url: str, alternate_url: str):
    body = render_template("following/feed.xml", title=title, entries=entries, self_url=self_url,
                           alternate_url=alternate_url, feed_id=self_url, now=utcnow())
    response = make_response(body)
    response.mimetype = "application/atom+xml"
    response.headers["Cache-Control"] = "public, max-age=300"
    return response


@bp.get("/codes/<code>/feed.atom")
def code_feed(code: str):
    code = code.upper()
    if not is_code(code):
        abort(404)
    return atom(f"Denial Radar: {code}", recent_changes(code), request.url,
                request.url_root.rstrip("/") + f"/codes/{code}")


@bp.get("/changes.atom")
def digest():
    return atom("Denial Radar: changes on every code", recent_changes(), request.url, request.url_root)
