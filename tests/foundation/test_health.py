"""/healthz and /readyz."""

import pytest
from huey.contrib.djhuey import HUEY
from huey.storage import RedisStorage

DEAD_REDIS = "redis://127.0.0.1:1/0"


@pytest.mark.django_db
def test_healthz_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_readyz_ok_when_all_services_answer(client):
    response = client.get("/readyz")
    assert response.status_code == 200, response.json()
    assert response.json()["checks"] == {"database": "ok", "cache": "ok", "queue": "ok"}


@pytest.mark.django_db
def test_readyz_names_an_unreachable_redis(client, settings, monkeypatch):
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": DEAD_REDIS,
        },
    }
    monkeypatch.setattr(HUEY, "storage", RedisStorage(HUEY.name, url=DEAD_REDIS))
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["checks"]["database"] == "ok"
    assert set(body["failing"]) == {"cache", "queue"}
