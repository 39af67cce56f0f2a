"""Extension objects, created once and bound to the app by the factory."""
from flask_caching import Cache
from flask_limiter import Limiter
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_smorest import Api
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy.orm import DeclarativeBase

from app import rate_limits  # noqa: F401  (registers the sqlite:// rate-limit storage with `limits`)
from app.spec_rules import SchemaRules


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
csrf = CSRFProtect()
rest_api = Api(spec_kwargs={"extra_plugins": [SchemaRules()]})
login_manager = LoginManager()
# Shared by every web process and worker (app.config: files under the instance folder, or Redis).
cache = Cache()
# In each process's memory, for values that never change once made because their key names the data's
# version (a dashboard's JSON for one aggregate version): they cannot go stale, and the hottest read
# skips the shared cache's file read and unpickling.
versioned_cache = Cache(config={"CACHE_TYPE": "SimpleCache", "CACHE_THRESHOLD": 2048, "CACHE_DEFAULT_TIMEOUT": 0})
login_manager.login_view = "moderation.login"


class RouteLimiter(Limiter):
    """Flask-Limiter for limits declared on routes only.

    A route's `@limiter.limit` decorator checks that route's limits itself. The app-wide
    before_request hook adds only default and application-wide limits, which this app does not set,
    yet it runs on every request, so it is left out unless such limits are configured. Measured
    (issue 11): with the hook, a hot payment or dashboard request costs ~65-80 us more, a quarter of
    it, which takes bench/pages.py's payment API under its goal of 60% of bare Flask.
    """

    def init_app(self, app) -> None:
        super().init_app(app)
        manager = self.limit_manager
        if self.enabled and not (manager.default_limits or manager.application_limits):
            app.before_request_funcs[None].remove(self._check_request_limit)


# Limits are keyed per route (by the contributor hash), never by raw address.
limiter = RouteLimiter(key_func=lambda: "global", headers_enabled=True, swallow_errors=True,
                       in_memory_fallback_enabled=True)
