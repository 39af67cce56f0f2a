"""Contributors that cannot be faked cheaply: trusted proxy addresses, coarse networks, shared limits."""
import pytest
import sqlalchemy as sa

from app.extensions import db
from app.proxies import forwarded_client, network_identity, trusted_networks
from app.dashboards.aggregates import refresh_aggregate
from app.reports.models import DenialReport
from tests.test_reports_api import VALID

PROXY = "10.0.0.5"


def send(client, number: int, address: str, forwarded: str):
    # A different denial each time (its modifier), so none is refused as a duplicate.
    body = VALID | {"narrative": None, "modifiers": [("25", "59", "XS", "76", "LT", "RT")[number]]}
    return client.post("/api/v1/reports", json=body, environ_base={"REMOTE_ADDR": address},
                       headers={"X-Forwarded-For": forwarded})


def test_forwarded_for_is_read_only_from_configured_proxies():
    networks = trusted_networks("127.0.0.1, 10.0.0.0/8")
    assert forwarded_client("203.0.113.9", "198.51.100.1", networks) == "203.0.113.9"  # not a proxy: ignored
    # The proxy appends the address it saw; anything a client wrote before that is skipped.
    assert forwarded_client(PROXY, "198.51.100.1, 203.0.113.9", networks) == "203.0.113.9"
    assert forwarded_client(PROXY, "203.0.113.9, 10.0.0.7", networks) == "203.0.113.9"  # two proxies of ours
    assert forwarded_client(PROXY, "garbage", networks) == PROXY
    with pytest.raises(ValueError, match="not a hop count"):
        trusted_networks("1")


def test_one_office_is_one_contributor():
    assert network_identity("203.0.113.9") == network_identity("203.0.113.200") != network_identity("203.0.114.9")
    assert network_identity("2001:db8:1:2::1") == network_identity("2001:db8:1:ffff::9")
    assert network_identity("::ffff:203.0.113.9") == network_identity("203.0.113.1")


def test_rotating_forwarded_for_against_a_configured_proxy_is_one_contributor(app, app_with):
    behind_proxy = app_with(TRUSTED_PROXIES=PROXY, REPORT_RATE_LIMIT="4 per minute").test_client()
    # Straight to gunicorn, a made-up header each time.
    direct = [send(behind_proxy, n, "203.0.113.9", f"198.51.100.{n}").status_code for n in range(3)]
    # Through the proxy, which appends the client's real address after whatever the client sent.
    proxied = [send(behind_proxy, n, PROXY, f"198.51.{n}.1, 203.0.113.{20 + n}").status_code for n in range(3, 6)]
    assert direct + proxied == [201, 201, 201, 201, 429, 429]  # one client, one limit
    assert db.session.scalar(sa.select(sa.func.count(sa.distinct(DenialReport.contributor)))) == 1
    refresh_aggregate("20553")
    with app.test_client() as client:
        board = client.get("/api/v1/codes/20553/dashboard").json
    assert board["live"] is False and board["contributor_count"] == 1
