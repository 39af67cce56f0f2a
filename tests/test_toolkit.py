"""The Revenue Protection Toolkit: /toolkit, the PDFs, what they show and hide, and their cache."""
import io
import re
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest
from pypdf import PdfReader

from app.codes.profile import code_profile
from app.formatting import money
from app.extensions import cache, db
from app.reference.models import CatalogCode, FeeScheduleRvu
from app.dashboards.aggregates import refresh_aggregate
from app import pdf
from app.toolkit import builds
from tests.databases import service_missing
from tests.factories import AppealOutcome, AppealStrategy, DenialCategory, make_report, make_reports
from workers import tasks

SCRIPT = "<script>alert(1)</script>"


@pytest.fixture(autouse=True)
def own_cache(app):
    """The toolkit cache directory in this test's instance folder; downloads check the key every time."""
    app.config["TOOLKIT_KEY_TTL"] = 0
    return Path(app.instance_path) / "toolkit"


@pytest.fixture
def render_calls(monkeypatch):
    """Counts PDF renders (the expensive part), still rendering for real."""
    calls = []
    real = pdf.render

    def counting(toolkit):
        calls.append([section.code for section in toolkit.sections])
        return real(toolkit)

    monkeypatch.setattr(pdf, "render", counting)
    return calls


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def flat(text: str) -> str:
    return " ".join(text.split())


def download(client, path: str, **headers):
    response = client.get(path, headers=headers, buffered=True)  # buffered: the file is read and closed
    if response.status_code == 200:
        assert response.mimetype == "application/pdf"
        assert response.data.startswith(b"%PDF")
    return response


def make_live_code():
    """20553 live: 6 reports CO-97 (bundling) and 2 reports CO-50 from 3 contributors."""
    make_reports(6, contributors=3, carc="97", category=DenialCategory.BUNDLING, modifiers=("25",),
                 strategy=AppealStrategy.CORRECTED_CLAIM, outcome=AppealOutcome.WON, days=30)
    make_reports(2, contributors=2, carc="50", category=DenialCategory.MEDICAL_NECESSITY,
                 strategy=AppealStrategy.PEER_TO_PEER, outcome=AppealOutcome.LOST)
    return refresh_aggregate("20553")


def test_toolkit_page_lists_downloads_without_any_gate(client):
    response = client.get("/toolkit")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'href="/toolkit.pdf"' in page
    assert 'href="/codes/20553/toolkit.pdf"' in page
    assert "Denial triggers" in page and "Modifier pitfalls" in page and "Bundling conflicts" in page
    main = page[page.index("<main"):page.index("</main>")]
    assert 'type="email"' not in main and "<form" not in main  # free: no e-mail gate, no form at all
    assert 'href="/toolkit"' in client.get("/").get_data(as_text=True)  # the nav link


def test_code_pdf_shows_catalog_tips_payment_and_ncci_with_its_vintage(client):
    response = download(client, "/codes/20553/toolkit.pdf")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    assert "revenue-protection-toolkit-20553.pdf" in response.headers["Content-Disposition"]
    text = flat(pdf_text(response.data))
    profile = code_profile("20553")
    assert "20553" in text and profile.title in text
    assert "Revenue Protection Toolkit" in text and "Contents" in text and "Page 2 of" in text
    impacts = [tip.impact_text for tip in profile.billing_tips if tip.impact_text]
    assert impacts and all(impact in text for impact in impacts)
    assert "Source: NCCI PTP 2024 Q2 (v30.1, derived copy without effective dates)" in text
    assert "20553 (column 1) with 20552 (column 2): 20552 is bundled" in text and "not in this copy" in text
    assert money(profile.national_payment["non_facility"]) in text
    assert money(profile.national_payment["facility"]) in text
    assert profile.fee_schedule_vintage.label in text
    assert "Not enough reports yet (0 of 5)" in text
    for row in db.session.scalars(db.select(FeeScheduleRvu).where(FeeScheduleRvu.hcpcs == "20553")):
        assert not row.descriptor or row.descriptor not in text  # CPT descriptors never appear


def test_live_code_shows_display_strings_never_a_small_count(client):
    make_live_code()
    text = pdf_text(download(client, "/codes/20553/toolkit.pdf").data)
    chart = text[text.index("Top denial reasons"):text.index("Reports (groups under 3 are not drawn)")]
    assert "CO-97" in chart and "CO-50" not in chart  # the chart draws non-suppressed rows only
    table = text[text.index("What the payer's code says"):text.index("Appeal strategies that won")]
    top = table[table.index("CO-97"):table.index("CO-50")]
    assert re.search(r"\b5\b", top) and "50%" in top  # 6 of 8, shown as 5 of 10 (README: disclosure control)
    suppressed = table[table.index("CO-50"):]
    assert "fewer than 3" in suppressed
    assert "2" not in re.findall(r"\b\d+\b", suppressed)
    appeals = flat(text[text.index("Appeal strategies that won"):text.index("Median time to resolution")])
    assert "Corrected claim 5 5 fewer than 3 fewer than 3 fewer than 3 86%" in appeals
    assert "Peer-to-peer review fewer than 3 fewer than 3 fewer than 3 fewer than 3 fewer than 3 not enough" in appeals
    assert "10 reports from 3 billers" in flat(text)


def test_unknown_codes_are_404(client):
    for path in ("/codes/99999/toolkit.pdf", "/codes/not-a-code/toolkit.pdf", "/codes/..%2f..%2fsecret/toolkit.pdf"):
        assert download(client, path).status_code == 404


def test_report_free_text_never_reaches_the_pdf(client):
    for index in range(5):
        make_report(contributor=f"c{index % 3}", narrative=SCRIPT, narrative_approved=True,
                    appeal_notes=f"{SCRIPT} worked", appeal_notes_approved=True,
                    strategy=AppealStrategy.WRITTEN_APPEAL, outcome=AppealOutcome.WON)
    assert refresh_aggregate("20553").live
    response = download(client, "/codes/20553/toolkit.pdf")
    assert response.status_code == 200
    text = pdf_text(response.data)
    assert "CO-97" in text
    assert "alert(1)" not in text and "<script>" not in text and SCRIPT.encode() not in response.data


def test_markup_in_reference_strings_is_escaped(app):
    """A string from a file or the dashboard is text, never ReportLab markup."""
    assert pdf.text('<b>x</b> & <font color="red">y</font>') == (
        "&lt;b&gt;x&lt;/b&gt; &amp; &lt;font color=\"red\"&gt;y&lt;/font&gt;")
    board = {"code": "20553", "live": True, "report_count": 9, "contributor_count": 3, "threshold": 5,
             "min_contributors": 3, "computed_at": "2026-08-01T10:00:00Z",
             "denial_reasons": [
                 {"group_code": "CO", "carc": "97", "carc_description": "<para>broken <b>markup", "rarcs": [],
                  "category_label": "Bundling <i>", "count": 7, "display": "7", "share": 0.78},
                 {"group_code": "CO", "carc": "50", "carc_description": "x", "rarcs": [], "category_label": "y",
                  "count": None, "display": "fewer than 3", "share": None}],
             "appeal_strategies": [], "modifiers": [{"key": "<x>", "label": "<x>", "count": 9, "display": "9",
                                                     "share": 1.0}]}
    section = pdf.CodeSection(code_profile("20553"), board, {})
    text = pdf_text(pdf.render(pdf.Toolkit([section], [("Crowd <b>", "a & b")], None, single=True)))
    assert "<para>broken <b>markup" in text and "Bundling <i>" in text and "<x>" in text and "a & b" in text


def test_second_download_is_a_file_read_and_a_refresh_rebuilds(client, own_cache, render_calls):
    make_live_code()
    first = download(client, "/codes/20553/toolkit.pdf")
    files = list(own_cache.glob("code-20553-*.pdf"))
    assert len(files) == 1 and first.headers["ETag"].strip('"') == files[0].stem
    mtime = files[0].stat().st_mtime_ns
    second = download(client, "/codes/20553/toolkit.pdf")
    assert render_calls == [["20553"]]
    assert second.data == first.data and second.headers["ETag"] == first.headers["ETag"]
    assert files[0].stat().st_mtime_ns == mtime
    assert "Last-Modified" in second.headers
    assert download(client, "/codes/20553/toolkit.pdf", **{"If-None-Match": first.headers["ETag"]}).status_code == 304

    make_reports(3, contributors=3, carc="16", category=DenialCategory.DOCUMENTATION)
    refresh_aggregate("20553")  # a new aggregate version: the cached PDF is stale
    third = download(client, "/codes/20553/toolkit.pdf")
    assert render_calls == [["20553"], ["20553"]]
    assert third.headers["ETag"] != first.headers["ETag"]
    assert "CO-16" in flat(pdf_text(third.data))  # 11 reports read "10", as 8 did: the new reason shows it
    assert [path.stem for path in own_cache.glob("code-20553-*.pdf")] == [third.headers["ETag"].strip('"')]
    assert not list(own_cache.glob(".building-*"))


def test_a_remembered_key_lasts_its_ttl_or_until_a_worker_rebuilds(app, client, own_cache, render_calls):
    app.config["TOOLKIT_KEY_TTL"] = 60
    make_live_code()
    first = download(client, "/codes/20553/toolkit.pdf").headers["ETag"]
    assert cache.get(builds.remembered_key_name("code-20553-")) == first.strip('"')  # in the cache every process shares
    make_reports(3, contributors=3, carc="16", category=DenialCategory.DOCUMENTATION)
    refresh_aggregate("20553")
    assert download(client, "/codes/20553/toolkit.pdf").headers["ETag"] == first  # within the TTL
    assert builds.code_key("20553") != first.strip('"')
    tasks.build_toolkit_pdf.run("20553")  # the worker's rebuild deletes the old file...
    fresh = download(client, "/codes/20553/toolkit.pdf")
    assert fresh.headers["ETag"] != first and "CO-16" in flat(pdf_text(fresh.data))
    assert render_calls[0] == render_calls[1] == ["20553"] and len(render_calls) == 3  # ...and no request rebuilt
    app.config["TOOLKIT_KEY_TTL"] = 0
    make_reports(3, contributors=3, carc="11", category=DenialCategory.MEDICAL_NECESSITY)
    refresh_aggregate("20553")
    assert "15 reports from 3 billers" in flat(pdf_text(download(client, "/codes/20553/toolkit.pdf").data))


def test_whole_toolkit_holds_every_catalog_code_and_is_cached(client, own_cache, render_calls):
    first = download(client, "/toolkit.pdf")
    assert first.status_code == 200
    text = flat(pdf_text(first.data))
    catalog = db.session.execute(db.select(CatalogCode.code, CatalogCode.title)).all()
    assert catalog
    for code, title in catalog:
        assert f"{code} {title}" in text
    assert f"0 of {len(catalog)} codes live" in text
    assert download(client, "/toolkit.pdf").data == first.data
    assert len(render_calls) == 1
    assert [path.stem for path in own_cache.glob("toolkit-*.pdf")] == [first.headers["ETag"].strip('"')]
    make_live_code()  # 20553 is in the catalog: the whole toolkit's key changes too
    assert builds.toolkit_key() != first.headers["ETag"].strip('"')
    key = builds.toolkit_key()
    make_report(code="20610")  # a report alone changes nothing until its code is aggregated
    assert builds.toolkit_key() == key
    refresh_aggregate("20610")
    assert builds.toolkit_key() != key


def test_worker_task_rebuilds_stale_pdfs_once(app, own_cache, render_calls):
    make_live_code()
    tasks.build_toolkit_pdf.run("20553")
    assert len(render_calls) == 2 and render_calls[0] == ["20553"]
    assert "20553" in render_calls[1] and len(render_calls[1]) > 1  # then the whole toolkit
    assert {path.name.split("-")[0] for path in own_cache.glob("*.pdf")} == {"code", "toolkit"}
    tasks.build_toolkit_pdf.run("20553")  # nothing changed: nothing is rebuilt
    assert len(render_calls) == 2

    make_reports(3, contributors=3, carc="16", category=DenialCategory.DOCUMENTATION)
    refresh_aggregate("20553")
    tasks.build_toolkit_pdf.run("20553")  # the whole toolkit was rebuilt less than a minute ago
    assert render_calls[2:] == [["20553"]]
    app.config["TOOLKIT_WHOLE_REBUILD_SECONDS"] = 0
    tasks.build_toolkit_pdf.run("20553")
    assert len(render_calls) == 4 and len(render_calls[3]) > 1
    assert len(list(own_cache.glob("toolkit-*.pdf"))) == len(list(own_cache.glob("code-20553-*.pdf"))) == 1

    tasks.build_toolkit_pdf.run(None)  # the whole toolkit alone, already current
    assert len(render_calls) == 4
    assert builds.rebuild_stale("99999") == []  # an unknown code builds nothing


def png_pixels(data: bytes) -> tuple[int, int, int, bytes]:
    """Decode an 8-bit, non-interlaced PNG (what pdftoppm writes) with the standard library."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    position, idat, header = 8, b"", None
    while position < len(data):
        length, kind = struct.unpack(">I4s", data[position:position + 8])
        chunk = data[position + 8:position + 8 + length]
        position += 12 + length
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", chunk)
        elif kind == b"IDAT":
            idat += chunk
    width, height, depth, color_type, _, _, interlace = header
    assert depth == 8 and interlace == 0
    channels = {0: 1, 2: 3, 4: 2, 6: 4}[color_type]
    raw, stride = zlib.decompress(idat), width * channels
    rows, previous = [], bytearray(stride)
    for y in range(height):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for x in range(stride):
            left = line[x - channels] if x >= channels else 0
            up, corner = previous[x], previous[x - channels] if x >= channels else 0
            if kind == 1:
                line[x] = (line[x] + left) & 255
            elif kind == 2:
                line[x] = (line[x] + up) & 255
            elif kind == 3:
                line[x] = (line[x] + (left + up) // 2) & 255
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                line[x] = (line[x] + (left if pa <= pb and pa <= pc else up if pb <= pc else corner)) & 255
        rows.append(bytes(line))
        previous = line
    return width, height, channels, b"".join(rows)


def test_title_page_renders_and_is_not_blank(client, tmp_path):
    if shutil.which("pdftoppm") is None:
        service_missing("pdftoppm (poppler-utils) is not installed: `make browser-deps` installs it")
    source = tmp_path / "toolkit-20553.pdf"
    source.write_bytes(download(client, "/codes/20553/toolkit.pdf").data)
    subprocess.run(["pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "1", str(source), str(tmp_path / "page")],
                   check=True, capture_output=True, timeout=60)
    (image,) = Path(tmp_path).glob("page*.png")
    width, height, channels, pixels = png_pixels(image.read_bytes())
    assert (width, height) == (425, 550)  # US Letter at 50 dpi
    colored = sum(1 for i in range(0, len(pixels), channels) if min(pixels[i:i + min(channels, 3)]) < 245)
    assert colored / (width * height) > 0.01
