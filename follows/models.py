"""Who follows what, what they were told about, and how they want to hear of it."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from reviews.models import Review
from showcase.models import ProjectPage
from tasks.models import EmailEvent

TARGETS = ("author", "category", "project")
FOLLOW_YOURSELF = "You cannot follow yourself."


class FollowQuerySet(models.QuerySet):
    def of(self, user) -> "FollowQuerySet":
        """The follows of one signed-in user (none for a visitor)."""
        if user is None or not user.is_authenticated:
            return self.none()
        return self.filter(user=user)


class Follow(models.Model):
    """A signed-in user follows exactly one author, category or project."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="followers",
    )
    category = models.ForeignKey(
        "showcase.Category",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="followers",
    )
    project = models.ForeignKey(
        "showcase.ProjectPage",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="followers",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = FollowQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                name="follows_follow_exactly_one_target",
                condition=(
                    Q(author__isnull=False, category__isnull=True, project__isnull=True)
                    | Q(author__isnull=True, category__isnull=False, project__isnull=True)
                    | Q(author__isnull=True, category__isnull=True, project__isnull=False)
                ),
            ),
            models.CheckConstraint(
                name="follows_follow_not_oneself", condition=~Q(author=models.F("user"))
            ),
            *[
                models.UniqueConstraint(
                    fields=["user", target],
                    condition=Q(**{f"{target}__isnull": False}),
                    name=f"follows_follow_unique_{target}",
                )
                for target in TARGETS
            ],
        ]

    def __str__(self) -> str:
        return f"{self.user_id} follows {self.target_type} {self.target}"

    @property
    def target_type(self) -> str:
        return next((name for name in TARGETS if getattr(self, f"{name}_id")), "")

    @property
    def target(self):
        return getattr(self, self.target_type, None) if self.target_type else None

    def clean(self):
        set_targets = [name for name in TARGETS if getattr(self, f"{name}_id") is not None]
        if len(set_targets) != 1:
            raise ValidationError("Follow exactly one author, category or project.")
        if self.author_id is not None and self.author_id == self.user_id:
            raise ValidationError({"author": FOLLOW_YOURSELF})


class NotificationQuerySet(models.QuerySet):
    def unread(self) -> "NotificationQuerySet":
        return self.filter(read_at__isnull=True)

    def shown(self) -> "NotificationQuerySet":
        """Notifications still worth showing: the project is public, the review visible (a
        project unpublished or a review hidden since drops out of lists, counts and emails)."""
        return self.filter(project__in=ProjectPage.objects.discoverable()).filter(
            Q(review__isnull=True) | Q(review__in=Review.objects.visible())
        )

    def for_listing(self) -> "NotificationQuerySet":
        """What a notification line shows: who, which project, which review."""
        return self.select_related("actor", "project", "review")


class Notification(models.Model):
    """Something new from what a user follows, listed on /notifications/ and mailed per their
    preferences (at once or in the weekly digest)."""

    class Kind(models.TextChoices):
        NEW_PROJECT = "new_project", "New project"
        NEW_REVIEW = "new_review", "New review"

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    project = models.ForeignKey(
        "showcase.ProjectPage", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    review = models.ForeignKey(
        "reviews.Review", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    # Mailed on its own at once: the weekly digest leaves it out.
    emailed = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="follows_notif_unread")]
        constraints = [
            # A fan-out that runs twice (a retried task) tells nobody twice.
            models.UniqueConstraint(
                fields=["recipient", "project"],
                condition=Q(kind="new_project"),
                name="follows_notification_once_per_project",
            ),
            models.UniqueConstraint(
                fields=["recipient", "review"],
                condition=Q(kind="new_review"),
                name="follows_notification_once_per_review",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.recipient_id}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class EmailChoice(models.TextChoices):
    INSTANT = "instant", "Email me at once"
    WEEKLY = "weekly", "In a weekly digest"
    OFF = "off", "Don't email me (notifications on the site only)"


class FollowPreferences(models.Model):
    """How a user wants to hear by email of each notification kind. No row means defaults."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follow_preferences"
    )
    new_project_email = models.CharField(
        "New projects from what I follow",
        max_length=10,
        choices=EmailChoice.choices,
        default=EmailChoice.WEEKLY,
    )
    new_review_email = models.CharField(
        "New reviews of projects I follow",
        max_length=10,
        choices=EmailChoice.choices,
        default=EmailChoice.WEEKLY,
    )

    class Meta:
        verbose_name_plural = "follow preferences"

    def __str__(self) -> str:
        return f"preferences of {self.user_id}"

    def choice_for(self, kind: str) -> str:
        """instant, weekly or off for a Notification.Kind."""
        return getattr(self, PREFERENCE_FIELDS[kind])


# The preference field that says how each notification kind is emailed.
PREFERENCE_FIELDS = {
    Notification.Kind.NEW_PROJECT: "new_project_email",
    Notification.Kind.NEW_REVIEW: "new_review_email",
}


class DigestRun(models.Model):
    """One weekly digest per user per ISO week: the row is taken before its email is written,
    so a periodic task that runs twice, or on two consumers, writes one email."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digest_runs"
    )
    week = models.CharField(max_length=8, help_text="ISO week covered, e.g. 2026-W48")
    event = models.OneToOneField(
        EmailEvent, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "week"], name="follows_digest_once_a_week")
        ]

    def __str__(self) -> str:
        return f"digest {self.week} for {self.user_id}"
