"""Who sent a report, without knowing who: a keyed hash of the client's network (IPv4 /24, IPv6 /48).

The hash (HMAC-SHA256 with a server secret) is stored only to count distinct contributors,
to rate-limit and to spot duplicates. The raw address is never stored or logged. Rotating
CONTRIBUTOR_SECRET starts new hashes; reports from before still count under their old hash.
Billers behind one office NAT or network count as one contributor: the price of one person with
a few addresses not counting as several (README, "Contributors and rate limits").
"""
import hashlib
import hmac

from flask import current_app, request

from app.proxies import network_identity


def contributor_hash(network_identity: str, secret: str) -> str:
    return hmac.new(secret.encode(), network_identity.encode(), hashlib.sha256).hexdigest()


def current_contributor() -> str:
    """The hash of this request's client network; app.proxies (TRUSTED_PROXIES) decides remote_addr."""
    return contributor_hash(network_identity(request.remote_addr or ""), current_app.config["CONTRIBUTOR_SECRET"])


def report_rate_limit() -> str:
    """How many reports (and appeal updates) one contributor may send; Flask-Limiter syntax."""
    return current_app.config["REPORT_RATE_LIMIT"]
