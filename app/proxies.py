"""Which client sent a request: forwarded headers are believed only from the operator's own proxies.

TRUSTED_PROXIES lists proxy addresses or networks (`127.0.0.1,10.0.0.0/8`), not a count of hops:
a request that does not come from one of them is taken at its socket address, whatever its
X-Forwarded-For says, so a client reaching gunicorn directly cannot pick its own identity.
"""
import ipaddress

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def trusted_networks(setting: str | None) -> tuple[Network, ...]:
    """Parse TRUSTED_PROXIES; a bare hop count is refused, since it would trust any direct client."""
    networks = []
    for item in (setting or "").replace(" ", "").split(","):
        if not item:
            continue
        if item.isdigit():
            raise ValueError(f"TRUSTED_PROXIES lists proxy addresses (e.g. 127.0.0.1,10.0.0.0/8), not a hop count: {item}")
        networks.append(ipaddress.ip_network(item, strict=False))
    return tuple(networks)


def parsed_address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        address = ipaddress.ip_address(text.strip().strip("[]"))
    except ValueError:
        return None
    return getattr(address, "ipv4_mapped", None) or address


def is_trusted(text: str, networks: tuple[Network, ...]) -> bool:
    address = parsed_address(text)
    return address is not None and any(address in network for network in networks)


def forwarded_client(remote_addr: str, forwarded_for: str, networks: tuple[Network, ...]) -> str:
    """The client address: walk X-Forwarded-For from the right past our own proxies only."""
    if not is_trusted(remote_addr, networks):
        return remote_addr
    client = remote_addr
    for hop in reversed([h.strip() for h in forwarded_for.split(",") if h.strip()]):
        if parsed_address(hop) is None:
            break
        client = hop
        if not is_trusted(hop, networks):
            break
    return client


class TrustedProxies:
    """WSGI middleware: REMOTE_ADDR and the scheme from forwarded headers, when a trusted proxy sent them."""

    def __init__(self, wsgi_app, networks: tuple[Network, ...]):
        self.wsgi_app, self.networks = wsgi_app, networks

    def __call__(self, environ, start_response):
        remote = environ.get("REMOTE_ADDR", "")
        if is_trusted(remote, self.networks):
            environ["REMOTE_ADDR"] = forwarded_client(remote, environ.get("HTTP_X_FORWARDED_FOR", ""), self.networks)
            proto = environ.get("HTTP_X_FORWARDED_PROTO", "").split(",")[-1].strip().lower()
            if proto in {"http", "https"}:
                environ["wsgi.url_scheme"] = proto
        return self.wsgi_app(environ, start_response)


def network_identity(remote_addr: str) -> str:
    """The network a client address belongs to: an IPv4 /24 or an IPv6 /48, so that one office or
    household with several addresses counts as one contributor (and shares one rate limit)."""
    address = parsed_address(remote_addr)
    if address is None:
        return "unknown"
    prefix = 24 if address.version == 4 else 48
    return str(ipaddress.ip_network(f"{address}/{prefix}", strict=False))
