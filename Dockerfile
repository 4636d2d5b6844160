FROM python:3.11-slim-bookworm
RUN apt-get update && apt-get install -y --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu fonts-paratype \
      fonts-liberation2 gettext npm postgresql-client \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY pyproject.toml package.json package-lock.json ./
COPY mentorship/__init__.py mentorship/__init__.py
RUN pip install --no-cache-dir -e . && npm ci --no-audit --no-fund
COPY . .
# The Russian catalogue (.mo is not in git): three plural forms instead of the msgids' two.
RUN python manage.py compilemessages -l ru --ignore='.*' --ignore=node_modules --ignore=var
ENV DJANGO_SETTINGS_MODULE=mentorship.settings
EXPOSE 8000
