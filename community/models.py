"""Upvotes ("I use this") and collections (a user's named lists of projects)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from proctique.text import reject_control_characters


class Upvote(models.Model):
    """One user's "I use this" on one project (never on a project they make)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="upvotes"
    )
    project = models.ForeignKey(
        "showcase.ProjectPage", on_delete=models.CASCADE, related_name="upvotes"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "project"], name="one_upvote_per_user")
        ]
        indexes = [models.Index(fields=["project", "created_at"])]

    def __str__(self) -> str:
        return f"{self.user_id} uses {self.project_id}"


class CollectionQuerySet(models.QuerySet):
    def visible_to(self, user) -> "CollectionQuerySet":
        """Public collections, plus the caller's own private ones."""
        if user is not None and user.is_authenticated:
            return self.filter(Q(is_public=True) | Q(owner=user))
        return self.filter(is_public=True)


class Collection(models.Model):
    """A user's named list of projects; a public one is readable by anyone at its URL."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="collections"
    )
    title = models.CharField(max_length=100, validators=[reject_control_characters])
    description = models.TextField(
        blank=True, max_length=500, validators=[reject_control_characters]
    )
    is_public = models.BooleanField(
        default=False, help_text="Anyone with the link can see a public collection."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CollectionQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "title"],
                name="collection_title_unique_per_owner",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("community:collection", args=[self.pk])


class CollectionItem(models.Model):
    """A project in a collection, in the order it was added."""

    collection = models.ForeignKey(Collection, on_delete=models.CASCADE, related_name="items")
    project = models.ForeignKey(
        "showcase.ProjectPage", on_delete=models.CASCADE, related_name="collection_items"
    )
    note = models.CharField(max_length=200, blank=True, validators=[reject_control_characters])
    position = models.PositiveIntegerField(default=0)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["collection", "project"],
                name="project_once_per_collection",
                violation_error_message="This project is already in the collection.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.project_id} in {self.collection_id}"
