from django.conf import settings
from django.db import models

from tasks.emails import kind_choices


class EmailEvent(models.Model):
    """The outbox: one row per email to send. The row, not the queue message, is the record.

    A delivery attempt first *claims* the row (``claimed_until`` = now + lease, attempts + 1) in a
    short transaction, then talks SMTP with no transaction open, then marks it sent. A worker that
    dies mid-attempt leaves a claim that expires; the periodic sweep then re-enqueues the row.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"
        SKIPPED = "skipped", "Skipped"

    # Declared by the domain apps in their emails.py (see proctique.emails).
    kind = models.CharField(max_length=32, choices=kind_choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="email_events"
    )
    # The ids the email refers to (review_id, project_id, ...); never objects, never tokens.
    refs = models.JSONField(default=dict, blank=True)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # Not before: set after a failed attempt (exponential backoff).
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    # Lease of the attempt in progress; a past value means the worker died mid-attempt.
    claimed_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "created_at"]),
            # What a delivery batch claims: unclaimed pending events, oldest first.
            models.Index(
                fields=["created_at", "id"],
                name="tasks_emailevent_ready",
                condition=models.Q(status="pending", claimed_until__isnull=True),
            ),
        ]
        verbose_name = "email event"
        verbose_name_plural = "email outbox"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} to {self.recipient_id} ({self.status})"
