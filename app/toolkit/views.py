"""/toolkit (what it holds, download links) and the PDF downloads, served from the cache."""
from flask import abort, render_template, send_file

from app.codes.catalog import listings_by_category
from app.toolkit import bp
from app.toolkit.builds import CachedPdf, current_pdf


@bp.get("/toolkit")
def index():
    categories = listings_by_category()
    return render_template("toolkit/index.html", categories=categories,
                           code_count=sum(len(codes) for codes in categories.values()))


def send_pdf(cached: CachedPdf):
    # ETag is the cache key: it changes exactly when the PDF does. no-cache: revalidate, then 304.
    return send_file(cached.path, mimetype="application/pdf", as_attachment=True,
                     download_name=cached.download_name, conditional=True, etag=cached.key, max_age=None)


def download(code: str | None):
    """A file read when the current PDF is cached; else build it now (first download, or stale)."""
    try:
        return send_pdf(current_pdf(code, build_missing=False, recent=True))
    except FileNotFoundError:  # not built yet for this key, or the remembered key's file was replaced
        pass
    for _attempt in range(3):
        try:
            return send_pdf(current_pdf(code))
        except FileNotFoundError:  # replaced by a newer build between the key and the read: again
            continue
    abort(503, description="The toolkit is being rebuilt: try again in a moment.")


@bp.get("/toolkit.pdf")
def toolkit_pdf():
    return download(None)


@bp.get("/codes/<code>/toolkit.pdf")
def code_pdf(code: str):
    return download(code)
