from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import (
    MaxLengthValidator,
    MaxValueValidator,
    MinLengthValidator,
    MinValueValidator,
)
from django.db import models
from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from proctique.text import reject_control_characters

# The review rules, stated once: forms, serializers and the admin take these fields (and their
# messages) from the model; the services call full_clean() before every write.
RATING_MESSAGE = "Choose a rating from 1 to 5 stars."


class ReviewQuerySet(models.QuerySet):
    def visible(self):
        """Reviews shown to the public (pages, API, aggregates, feeds)."""
        return self.filter(status=Review.Status.VISIBLE)

    def hidden(self):
        return self.filter(status=Review.Status.HIDDEN)

    def with_helpful_count(self):
        return self.annotate(helpful_total=Count("helpful_votes", distinct=True))

    def with_open_reports(self):
        """`is_reported` and `open_report_count`: the review's reports still waiting for a
        moderator."""
        open_reports = Report.objects.filter(review=OuterRef("pk"), status=Report.Status.OPEN)
        counted = open_reports.order_by().values("review").annotate(n=Count("pk")).values("n")
        return self.annotate(
            is_reported=Exists(open_reports),
            open_report_count=Coalesce(Subquery(counted, output_field=IntegerField()), 0),
        )


class Review(models.Model):
    """A user's rating and review of one live project; one per user per project."""

    class Status(models.TextChoices):
        VISIBLE = "visible", "Visible"
        HIDDEN = "hidden", "Hidden by a moderator"

    TITLE_MAX = 120
    BODY_MIN = 10
    BODY_MAX = 5000

    project = models.ForeignKey(
        "showcase.ProjectPage", on_delete=models.CASCADE, related_name="reviews"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reviews"
    )
    rating = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        error_messages={
            "min_value": RATING_MESSAGE,
            "max_value": RATING_MESSAGE,
            "invalid": RATING_MESSAGE,
            "null": RATING_MESSAGE,
            "blank": RATING_MESSAGE,
            "required": RATING_MESSAGE,
        },
    )
    title = models.CharField(
        max_length=TITLE_MAX,
        validators=[reject_control_characters],
        error_messages={
            "blank": "Give your review a title.",
            "required": "Give your review a title.",
            "max_length": f"Keep the title under {TITLE_MAX + 1} characters.",
        },
    )
    body = models.TextField(
        max_length=BODY_MAX,
        validators=[MinLengthValidator(BODY_MIN), MaxLengthValidator(BODY_MAX)],
        error_messages={
            "blank": f"Write at least {BODY_MIN} characters.",
            "required": f"Write at least {BODY_MIN} characters.",
            "min_length": f"Write at least {BODY_MIN} characters.",
            "max_length": f"Keep the review under {BODY_MAX + 1} characters.",
        },
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.VISIBLE)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    edited = models.BooleanField(default=False)

    objects = ReviewQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "author"], name="one_review_per_user"),
            models.CheckConstraint(
                condition=models.Q(rating__gte=1, rating__lte=5), name="review_rating_1_to_5"
            ),
        ]
        indexes = [
            models.Index(fields=["project", "status", "-created_at"]),
            models.Index(fields=["author", "-created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.rating}/5)"

    @property
    def is_visible(self) -> bool:
        return self.status == self.Status.VISIBLE

    @property
    def open_reports_label(self) -> str:
        """Say "2 open reports" or "No open reports" (the admin's Reported column).

        Reads the count `with_open_reports()` annotates."""
        count = getattr(self, "open_report_count", 0)
        if not count:
            return "No open reports"
        return f"{count} open report{'s' if count != 1 else ''}"


class ReviewReply(models.Model):
    """The project owner's one public reply under a review."""

    BODY_MAX = 2000

    review = models.OneToOneField(Review, on_delete=models.CASCADE, related_name="reply")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="review_replies"
    )
    body = models.TextField(
        max_length=BODY_MAX,
        validators=[MaxLengthValidator(BODY_MAX)],
        error_messages={
            "blank": "Write a reply.",
            "required": "Write a reply.",
            "max_length": f"Keep the reply under {BODY_MAX + 1} characters.",
        },
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "owner reply"
        verbose_name_plural = "owner replies"

    def __str__(self) -> str:
        return f"Reply to {self.review_id}"


class HelpfulVote(models.Model):
    """A signed-in user found a review helpful (once per user, never on their own)."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="helpful_votes")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="helpful_votes"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["review", "user"], name="one_helpful_vote_per_user")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} found {self.review_id} helpful"


class ReportQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=Report.Status.OPEN)


class Report(models.Model):
    """A user's report of a review or a project (exactly one target) for moderators."""

    class Reason(models.TextChoices):
        SPAM = "spam", "Spam"
        ABUSE = "abuse", "Abuse or harassment"
        OFF_TOPIC = "off_topic", "Off-topic"
        OTHER = "other", "Other"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        RESOLVED = "resolved", "Resolved"
        DISMISSED = "dismissed", "Dismissed"

    NOTE_MAX = 1000

    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reports_made"
    )
    review = models.ForeignKey(
        Review, null=True, blank=True, on_delete=models.CASCADE, related_name="reports"
    )
    project = models.ForeignKey(
        "showcase.ProjectPage",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="reports",
    )
    reason = models.CharField(
        max_length=20,
        choices=Reason.choices,
        error_messages={
            "blank": "Choose a reason.",
            "required": "Choose a reason.",
            "invalid_choice": "Choose a reason.",
        },
    )
    note = models.TextField(
        blank=True,
        max_length=NOTE_MAX,
        validators=[MaxLengthValidator(NOTE_MAX)],
        error_messages={"max_length": f"Keep the note under {NOTE_MAX + 1} characters."},
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reports_handled",
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(review__isnull=False, project__isnull=True)
                    | Q(review__isnull=True, project__isnull=False)
                ),
                name="report_exactly_one_target",
            ),
            models.CheckConstraint(
                condition=~Q(reason="other") | ~Q(note=""), name="report_other_needs_note"
            ),
            models.UniqueConstraint(
                fields=["reporter", "review"],
                condition=Q(status="open", review__isnull=False),
                name="one_open_report_per_review",
            ),
            models.UniqueConstraint(
                fields=["reporter", "project"],
                condition=Q(status="open", project__isnull=False),
                name="one_open_report_per_project",
            ),
        ]
        indexes = [models.Index(fields=["status", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} report on {self.target_label}"

    OTHER_NEEDS_NOTE = "Tell us what is wrong."

    def clean(self):
        super().clean()
        self.note = (self.note or "").strip()
        if self.reason == self.Reason.OTHER and not self.note:
            raise ValidationError({"note": self.OTHER_NEEDS_NOTE})

    @property
    def target(self):
        return self.review if self.review_id else self.project

    @property
    def target_label(self) -> str:
        if self.review_id:
            return f"review “{self.review.title}”"
        return f"project “{self.project.title}”"

    target_label.fget.short_description = "Reported"
