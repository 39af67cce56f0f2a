"""docker-compose.yml and the Dockerfile, checked without Docker (which cannot run here): the file is
valid by the Compose Specification's schema, and every app service waits for the one-shot migrate."""
import copy
import json
from pathlib import Path

import jsonschema
import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = json.loads((ROOT / "tests" / "compose" / "compose-spec.json").read_text())
APP_SERVICES = ("web", "worker", "toolkit-worker", "beat")


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def schema_errors(document: dict) -> list[str]:
    validator = jsonschema.Draft7Validator(SCHEMA)
    return [f"{'/'.join(map(str, error.absolute_path))}: {error.message}" for error in validator.iter_errors(document)]


def test_compose_file_follows_the_compose_specification(compose):
    assert schema_errors(compose) == []


def test_the_schema_check_catches_a_mistake(compose):
    broken = copy.deepcopy(compose)
    broken["services"]["web"]["depends_on"] = {"migrate": {"condition": "service_finished"}}
    broken["services"]["worker"]["restart_policy"] = "always"
    errors = schema_errors(broken)
    assert len(errors) == 2 and errors[0].startswith("services/web/depends_on") and "restart_policy" in errors[1]


def test_app_services_wait_for_migrate_and_load(compose):
    services = compose["services"]
    migrate = services["migrate"]
    command = " ".join(migrate["command"])
    assert "flask db upgrade" in command and "flask data load-all" in command
    assert command.index("flask db upgrade") < command.index("flask data load-all")
    assert migrate["depends_on"]["db"]["condition"] == "service_healthy"
    for name in APP_SERVICES:
        assert services[name]["depends_on"]["migrate"] == {"condition": "service_completed_successfully"}, name
        assert services[name]["environment"] == migrate["environment"], name


def test_web_uses_the_gunicorn_config_everywhere(compose):
    assert "--config gunicorn.conf.py" in compose["services"]["web"]["command"]
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert '"--config", "gunicorn.conf.py"' in dockerfile
    assert "pip install --no-cache-dir -c requirements.lock ." in dockerfile
    assert "COPY pyproject.toml requirements.lock" in dockerfile
