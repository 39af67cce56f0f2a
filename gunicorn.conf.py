"""Gunicorn settings shared by `make run`, the Dockerfile and docker-compose (each adds --bind and
the number of workers). No log line carries a client's address: the access log format leaves it
out, and a filter takes it out of the error log, where gunicorn names the sender of a malformed
request (a bad header, a request line over 4,094 bytes)."""
import ipaddress
import logging
import re

wsgi_app = "app:create_app()"
accesslog = "-"
access_log_format = '%(t)s "%(r)s" %(s)s %(b)s %(M)sms'
# The control socket (gunicorn 24+) would be a file in the working directory; nothing uses it.
control_socket_disable = True

IPV4_LIKE = re.compile(r"(?<![\d.])\d{1,3}(?:\.\d{1,3}){3}(?!\d)")
IPV6_LIKE = re.compile(r"(?<![\w:])[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}(?:%\w+)?")


def address_replaced(match: re.Match) -> str:
    candidate = match[0]
    address = candidate.rstrip(":")  # "ip=::1: bad header"
    try:
        ipaddress.ip_address(address)
    except ValueError:
        return candidate
    return "[client]" + candidate[len(address):]


def without_addresses(text: str) -> str:
    """The text with every IPv4 or IPv6 address replaced by [client]."""
    return IPV6_LIKE.sub(address_replaced, IPV4_LIKE.sub(address_replaced, text))


class NoClientAddresses(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = without_addresses(message)
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        return True


# Gunicorn configures these loggers after reading this file and keeps their filters; workers inherit
# them when forked. A reload reads the file again (a new class of the same name): add the filter once.
for name in ("gunicorn.error", "gunicorn.access"):
    logger = logging.getLogger(name)
    if not any(type(existing).__name__ == NoClientAddresses.__name__ for existing in logger.filters):
        logger.addFilter(NoClientAddresses())
