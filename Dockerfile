FROM python:3.11-slim
WORKDIR /srv/denial-radar
COPY pyproject.toml README.md ./
COPY app app
COPY workers workers
RUN pip install --no-cache-dir .
COPY . .
RUN useradd --system --home /srv/denial-radar radar && mkdir -p instance && chown radar instance
USER radar
ENV FLASK_APP=app PORT=8000
EXPOSE 8000
CMD ["sh", "-c", "flask db upgrade && flask data load-all && exec gunicorn --bind 0.0.0.0:${PORT} --workers 4 --access-logfile - --access-logformat '%(t)s \"%(r)s\" %(s)s %(b)s %(M)sms' 'app:create_app()'"]
