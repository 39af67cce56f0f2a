"""Extension objects, created once and bound to the app by the factory."""
from flask_limiter import Limiter
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_smorest import Api
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
csrf = CSRFProtect()
rest_api = Api()
login_manager = LoginManager()
login_manager.login_view = "moderation.login"
# Limits are keyed per route (by the contributor hash), never by raw address.
limiter = Limiter(key_func=lambda: "global", headers_enabled=True, swallow_errors=True, in_memory_fallback_enabled=True)
