"""Configuration from environment variables, with defaults that run on one laptop."""
import os
import secrets
from pathlib import Path


def database_url(raw: str | None, instance_path: str) -> str:
    """Default to SQLite in instance/; pick psycopg 3 for any PostgreSQL URL."""
    if not raw:
        return f"sqlite:///{Path(instance_path) / 'denial_radar.db'}"
    for prefix in ("postgres://", "postgresql://"):
        if raw.startswith(prefix):
            return "postgresql+psycopg://" + raw[len(prefix):]
    return raw


def instance_secret(instance_path: str, name: str) -> str:
    """Read a secret from instance/<name>, generating it on first use.

    Secrets never live in the code: an operator sets the environment variable,
    or the first run writes a random one that later runs (and workers) share.
    """
    path = Path(instance_path) / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32))
    return path.read_text().strip()


#: Where CMS publishes each file, as its public URLs have been named (override any in the config).
#: CMS's ZIP-to-locality file carries its revision date in the name, and X12 publishes CARC/RARC as
#: web pages, so those have no default: configure them, or they are skipped.
CMS_REFERENCE_URLS = {
    "rvu_bundle": "https://www.cms.gov/files/zip/rvu{yy}{release}.zip",
    "zip_localities": None,
    "ncci_ptp": "https://www.cms.gov/files/zip/medicare-ncci-{year}q{quarter}-practitioner-ptp-edits-ccipra-v{version}r0-f{part}.zip",
    "mue": "https://www.cms.gov/files/zip/medicare-ncci-{year}-q{quarter}-practitioner-services-mue-table.zip",
    "carc": None,
    "rarc": None,
}

#: Environment variable -> source of `flask data update`.
REFERENCE_URL_VARIABLES = {
    "CMS_RVU_BUNDLE_URL": "rvu_bundle", "CMS_ZIP_LOCALITY_URL": "zip_localities", "CMS_NCCI_PTP_URL": "ncci_ptp",
    "CMS_MUE_URL": "mue", "CARC_LIST_URL": "carc", "RARC_LIST_URL": "rarc",
}


def reference_urls(env) -> dict:
    return CMS_REFERENCE_URLS | {kind: env[name] or None for name, kind in REFERENCE_URL_VARIABLES.items() if name in env}


def cache_settings(redis_url: str | None, directory: str) -> dict:
    """Flask-Caching, one cache for every web process and worker: Redis when there is one, else files
    in a directory (one machine needs no other service)."""
    if redis_url:
        return {"CACHE_TYPE": "app.tolerant_cache.TolerantRedisCache", "CACHE_REDIS_URL": redis_url}
    # Entries past the threshold are pruned, oldest first: a miss reads the database again.
    return {"CACHE_TYPE": "FileSystemCache", "CACHE_DIR": directory, "CACHE_THRESHOLD": 10_000}


def from_environment(instance_path: str, overrides: dict) -> dict:
    """Settings from the environment; keys in ``overrides`` (the test config) win and are not computed."""
    env = os.environ
    sqlalchemy_url = database_url(env.get("DATABASE_URL"), instance_path)
    redis_url = env.get("REDIS_URL")
    broker_url = env.get("CELERY_BROKER_URL") or redis_url or (
        f"sqlalchemy+sqlite:///{Path(instance_path) / 'broker.db'}"
    )
    settings = {
        "SECRET_KEY": overrides.get("SECRET_KEY") or env.get("SECRET_KEY") or instance_secret(instance_path, "secret_key"),
        "SQLALCHEMY_DATABASE_URI": sqlalchemy_url,
        "REDIS_URL": redis_url,
        "CELERY_BROKER_URL": broker_url,
        # Several deployments (or test runs) can share one Redis with their own queue names.
        "CELERY_QUEUE": env.get("CELERY_QUEUE", "denial-radar"),
        # Seconds before Redis redelivers the message of a worker that died (workers/__init__.py).
        "CELERY_VISIBILITY_TIMEOUT": int(env.get("CELERY_VISIBILITY_TIMEOUT", 300)),
        "CONTRIBUTOR_SECRET": overrides.get("CONTRIBUTOR_SECRET") or env.get("CONTRIBUTOR_SECRET")
        or instance_secret(instance_path, "contributor_secret"),
        # Addresses or networks of the proxies in front of the app (e.g. 127.0.0.1,10.0.0.0/8); empty trusts none.
        "TRUSTED_PROXIES": env.get("TRUSTED_PROXIES", ""),
        # Shared by every web process: Redis when there is one, else a SQLite file in instance/ (app.rate_limits).
        "RATELIMIT_STORAGE_URI": env.get("RATELIMIT_STORAGE_URI") or redis_url
        or f"sqlite:///{Path(instance_path) / 'ratelimits.db'}",
        "REPORT_RATE_LIMIT": env.get("REPORT_RATE_LIMIT", "30 per 10 minutes;200 per day"),
        "LOGIN_RATE_LIMIT": env.get("LOGIN_RATE_LIMIT", "10 per 15 minutes"),
        "FLAG_RATE_LIMIT": env.get("FLAG_RATE_LIMIT", "10 per hour"),
        # Without a submission token, the same body from the same contributor within this is a double click.
        "DOUBLE_SUBMIT_SECONDS": int(env.get("DOUBLE_SUBMIT_SECONDS", 10)),
        # An 835 upload is read in memory; past this it is refused with 413.
        "REMITTANCE_MAX_BYTES": int(env.get("REMITTANCE_MAX_BYTES", 32 * 1024 * 1024)),
        # Cookies travel only over HTTPS, except where the operator serves plain HTTP on loopback (make run).
        "SESSION_COOKIE_SECURE": env.get("SECURE_COOKIES", "1").lower() not in {"0", "false", "no"},
        "REMEMBER_COOKIE_SECURE": env.get("SECURE_COOKIES", "1").lower() not in {"0", "false", "no"},
        **cache_settings(env.get("CACHE_REDIS_URL") or redis_url, env.get("CACHE_DIR") or str(Path(instance_path) / "cache")),
        # Entries are also dropped when their data changes (docs/architecture.md, "Caching"); this bounds the rest.
        "CACHE_DEFAULT_TIMEOUT": int(env.get("CACHE_DEFAULT_TIMEOUT", 300)),
        # How long a web process trusts the aggregate version it last read (app/dashboards/versions.py).
        "DASHBOARD_VERSION_SECONDS": float(env.get("DASHBOARD_VERSION_SECONDS", 0.05)),
        "CACHE_KEY_PREFIX": "denial-radar:",
        "AGGREGATION_THRESHOLD": int(env.get("AGGREGATION_THRESHOLD", 5)),
        "MIN_CONTRIBUTORS": int(env.get("MIN_CONTRIBUTORS", 3)),
        # `flask data update` sources (URL templates, see app/reference/update.py); an empty value skips one.
        "REFERENCE_URLS": reference_urls(env),
        # Beat runs `data update` only when enabled: it downloads from cms.gov, which an operator opts into.
        "REFERENCE_UPDATE_ENABLED": env.get("REFERENCE_UPDATE_ENABLED", "0").lower() in {"1", "true", "yes"},
        "REFERENCE_UPDATE_SECONDS": float(env.get("REFERENCE_UPDATE_SECONDS", 86_400)),
    }
    return settings | overrides
