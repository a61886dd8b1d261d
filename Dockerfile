# TrueStyle web, Celery worker and Celery beat: one image, three commands
# (see docker-compose.yml). The default command serves the site with gunicorn.

# --- npm assets: installed from the npm registry, exactly as package-lock.json says.
FROM node:22-slim AS assets
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error

# --- the application
FROM python:3.13-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

RUN groupadd --system truestyle \
    && useradd --system --gid truestyle --home-dir /app --no-create-home --shell /usr/sbin/nologin truestyle

# Requirements first, so that a code change does not reinstall them.
COPY requirements.txt ./
RUN pip install -r requirements.txt

COPY . .
# settings.STATICFILES_DIRS serves htmx from node_modules/htmx.org/dist.
COPY --from=assets /build/node_modules/htmx.org/dist ./node_modules/htmx.org/dist

# collectstatic needs settings that load, not real services: the SECRET_KEY
# here is a build-time placeholder that no running container uses
# (docker-compose.yml requires a real one), and nothing connects to a database.
# var/ holds the request-log spool and the beat schedule; the directories exist
# in the image so that named volumes mounted there start out owned by the
# unprivileged user.
RUN DEBUG=0 SECRET_KEY=build-time-collectstatic-only TRUESTYLE_VAR_DIR=/tmp/build-var \
        python manage.py collectstatic --noinput --verbosity 0 \
    && rm -rf /tmp/build-var \
    && mkdir -p var/request-log-spool var/beat \
    && chown -R truestyle:truestyle var

USER truestyle

EXPOSE 8000

CMD ["gunicorn", "truestyle.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3"]
