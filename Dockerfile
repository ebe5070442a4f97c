# EDN's production image: the same image runs gunicorn (web), the Celery
# worker and Celery beat; docker-compose.yml chooses the command.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    EDN_ENV_FILE=/dev/null

RUN groupadd --system edn \
    && useradd --system --gid edn --home-dir /app --shell /usr/sbin/nologin edn

WORKDIR /app

# Runtime requirements only; tests and linters stay out of the image.
COPY requirements.txt .
RUN pip install -r requirements.txt

COPY . .

# Static files are collected and compressed once, at build. The key below is a
# placeholder that only lets production settings load; it signs nothing.
RUN DEBUG=false \
    SECRET_KEY=collectstatic-at-build-time-only-this-key-signs-nothing-0123456789 \
    python manage.py collectstatic --noinput \
    && mkdir -p /app/media \
    && chown edn:edn /app/media

USER edn

EXPOSE 8000

HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-m", "edn.healthcheck"]

# gunicorn takes its worker count from WEB_CONCURRENCY.
CMD ["gunicorn", "edn.wsgi:application", "--bind", "0.0.0.0:8000", \
     "--access-logfile", "-"]
