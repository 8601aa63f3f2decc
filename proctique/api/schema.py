"""drf-spectacular hooks: the OpenAPI contract covers our REST API, not Wagtail's own APIs."""

EXCLUDED_PREFIXES = ("/admin/", "/api/v2/")


def exclude_wagtail_endpoints(endpoints, **kwargs):
    """Drop Wagtail's admin API and the headless v2 API, which document themselves."""
    return [e for e in endpoints if not e[0].startswith(EXCLUDED_PREFIXES)]
