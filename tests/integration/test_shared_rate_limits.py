"""Two gunicorn workers without Redis share one rate-limit storage (app.rate_limits, a SQLite file)."""
import re

import pytest
import requests

from tests.browser.conftest import BIN, Service, free_port, run_cli, server_environment, wait_for_health

pytestmark = pytest.mark.integration


@pytest.fixture
def two_workers(tmp_path):
    env = server_environment(tmp_path) | {
        "RATELIMIT_STORAGE_URI": f"sqlite:///{tmp_path / 'ratelimits.db'}",  # the embedded default, made for this run
        "WEB_CONCURRENCY": "2",
    }
    run_cli(env, "db", "upgrade")
    run_cli(env, "data", "load-all")  # /healthz is 503 until reference data is loaded, and reports need codes
    url = f"http://127.0.0.1:{free_port()}"
    web = Service("gunicorn", [str(BIN / "gunicorn"), "--bind", url.removeprefix("http://"), "--workers", "2",
                               "--no-control-socket", "app:create_app()"], env, tmp_path / "gunicorn.log")
    try:
        wait_for_health(url, web, 90)
        web.wait_for_log(r"(?s)Booting worker.*Booting worker", 30)
        yield url
    finally:
        web.stop()


def test_login_and_report_limits_hold_across_two_workers(two_workers):
    answers = []
    for _ in range(14):
        with requests.Session() as browser:  # a new connection (and so often the other worker) each time
            page = browser.get(f"{two_workers}/login", timeout=10).text
            token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
            answers.append(browser.post(f"{two_workers}/login", timeout=10, data={
                "csrf_token": token, "username": "nobody", "password": "wrong password"}).status_code)
    assert answers.count(429) == 4 and 429 not in answers[:10]  # LOGIN_RATE_LIMIT: 10 per 15 minutes

    reports = [requests.post(f"{two_workers}/api/v1/reports", json={"code": "20553", "payer_type": "medicare"},
                             timeout=10).status_code for _ in range(34)]
    assert reports.count(429) == 4 and 429 not in reports[:30]  # REPORT_RATE_LIMIT: 30 per 10 minutes
