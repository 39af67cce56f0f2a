"""gunicorn.conf.py, as gunicorn reads it: no client address survives into its logs."""
import logging
import runpy
from pathlib import Path

import pytest

CONFIG = runpy.run_path(str(Path(__file__).resolve().parent.parent / "gunicorn.conf.py"))


@pytest.mark.parametrize(("message", "logged"), [
    ("Invalid request from ip=203.0.113.9: Invalid HTTP Header: 'Bad Header'",
     "Invalid request from ip=[client]: Invalid HTTP Header: 'Bad Header'"),
    ("Invalid request from ip=2001:db8::7: Request Line is too large (5014 > 4094)",
     "Invalid request from ip=[client]: Request Line is too large (5014 > 4094)"),
    ("Invalid request from ip=::1: bad", "Invalid request from ip=[client]: bad"),
    ("Invalid request from ip=::ffff:10.0.0.1: bad", "Invalid request from ip=[client]:[client]: bad"),
    ("Booting worker with pid: 1234", "Booting worker with pid: 1234"),
    ("Listening at: unix:/run/gunicorn.sock (12)", "Listening at: unix:/run/gunicorn.sock (12)"),
    ("Worker timeout at 12:30:45 after 30.5 s, version 3.1.3", "Worker timeout at 12:30:45 after 30.5 s, version 3.1.3"),
])
def test_addresses_are_taken_out(message, logged):
    assert CONFIG["without_addresses"](message) == logged


def test_the_filter_sits_on_gunicorns_loggers_once():
    runpy.run_path(str(Path(__file__).resolve().parent.parent / "gunicorn.conf.py"))  # as a reload reads it again
    for name in ("gunicorn.error", "gunicorn.access"):
        filters = [f for f in logging.getLogger(name).filters if type(f).__name__ == "NoClientAddresses"]
        assert len(filters) == 1
        record = logging.LogRecord(name, logging.WARNING, __file__, 1, "Invalid request from ip=%s: %s",
                                   ("198.51.100.4", "bad"), None)
        assert filters[0].filter(record) and record.getMessage() == "Invalid request from ip=[client]: bad"


def test_access_log_format_has_no_address():
    assert "%(h)s" not in CONFIG["access_log_format"] and "%({x-forwarded-for}i)s" not in CONFIG["access_log_format"]
