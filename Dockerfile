# The ENT Paris portal image: gunicorn for the web, the same image for the Celery worker and beat.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --create-home --home-dir /home/ent --uid 1000 ent

WORKDIR /app

# Dependencies first (the project declares no package of its own: this layer changes only
# with pyproject.toml).
COPY pyproject.toml ./
RUN pip install .

COPY . .

# Static files and translations are built into the image; settings need a key to load.
RUN DJANGO_ENV=production SECRET_KEY=image-build-only-not-a-secret ALLOWED_HOSTS=localhost \
        python manage.py collectstatic --no-input -v0 \
    && if [ -d locale ]; then \
        DJANGO_ENV=production SECRET_KEY=image-build-only-not-a-secret ALLOWED_HOSTS=localhost \
        python manage.py compilemessages -v0; fi \
    && mkdir -p /app/var/media \
    && chown -R ent:ent /app/var

USER ent
ENV DJANGO_ENV=production
EXPOSE 8000

CMD ["gunicorn", "--config", "deploy/gunicorn.conf.py", "ent.wsgi:application"]
