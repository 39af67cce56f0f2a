FROM python:3.11-slim
WORKDIR /srv/denial-radar
COPY pyproject.toml requirements.lock README.md ./
COPY app app
COPY workers workers
# The lock pins the whole tree, as make run and CI install it.
RUN pip install --no-cache-dir -c requirements.lock .
COPY . .
RUN useradd --system --home /srv/denial-radar radar && mkdir -p instance && chown radar instance
USER radar
ENV FLASK_APP=app
EXPOSE 8000
# Migrations and reference data are loaded once, before this starts (docker-compose's migrate service).
CMD ["gunicorn", "--config", "gunicorn.conf.py", "--bind", "0.0.0.0:8000", "--workers", "4"]
