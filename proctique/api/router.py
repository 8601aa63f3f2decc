"""The REST router; each app registers its viewsets in its own `api/urls.py`."""

from rest_framework.routers import DefaultRouter

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
