# Production image: gunicorn serving Django/Wagtail, static files through WhiteNoise.
# The same image runs the Huey consumer (`python manage.py run_huey`).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

RUN apt-get update \
    && apt-get install -y --no-install-recommends libpq5 libjpeg62-turbo zlib1g libwebp7 \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements/base.txt requirements/base.txt
RUN pip install --no-cache-dir --require-hashes -r requirements/base.txt

COPY . .
# collectstatic needs no secrets beyond throwaway values; nothing here ends up in the image's env.
RUN DEBUG=false SECRET_KEY=collectstatic JWT_SIGNING_KEY=collectstatic \
    DATABASE_URL=sqlite:////tmp/collectstatic.sqlite3 \
    python manage.py collectstatic --noinput -v0 \
    && useradd --system --uid 1000 --home /app proctique \
    && mkdir -p /app/var && chown -R proctique /app/var

USER proctique
EXPOSE 8000
CMD ["gunicorn", "proctique.wsgi", "-c", "gunicorn.conf.py"]
