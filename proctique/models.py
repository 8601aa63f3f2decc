from django.db import models


class ContentVersion(models.Model):
    """A counter that names the current state of what the public sees (see proctique.versions).

    It lives in PostgreSQL with the data it describes, so a bump is never lost with the cache,
    and a cached response keyed by it can never outlive a change.
    """

    name = models.CharField(max_length=40, primary_key=True)
    value = models.BigIntegerField(default=1)
    changed_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.name}={self.value}"
