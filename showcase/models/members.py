from django.conf import settings
from django.db import models


class ProjectMember(models.Model):
    """A co-maker of a project: invited by its owner, active once they accept.

    Active members edit and publish the project on every route like its owner; only the owner
    (or an admin) invites, transfers or deletes it.
    """

    class Status(models.TextChoices):
        INVITED = "invited", "Invited"
        ACTIVE = "active", "Active"

    project = models.ForeignKey(
        "showcase.ProjectPage", on_delete=models.CASCADE, related_name="members"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="project_memberships"
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.INVITED)
    created_at = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["project", "user"], name="one_membership_per_user")
        ]
        indexes = [models.Index(fields=["user", "status"])]

    def __str__(self) -> str:
        return f"{self.user} on {self.project_id} ({self.status})"


def member_project_ids(user) -> list[int]:
    """Ids of the projects `user` is an active co-maker of."""
    if user is None or not user.is_authenticated:
        return []
    return list(
        ProjectMember.objects.filter(user=user, status=ProjectMember.Status.ACTIVE).values_list(
            "project_id", flat=True
        )
    )


def active_membership(user):
    """The active memberships of `user`, for a subquery against the project (`project` is
    the outer reference)."""
    return ProjectMember.objects.filter(
        project=models.OuterRef("pk"), user=user, status=ProjectMember.Status.ACTIVE
    )


def remember_makes(project, user_pk: int, answer: bool) -> None:
    """Keep the answer of `makes(project, user)` on this project instance."""
    project.__dict__.setdefault("_makers_memo", {})[user_pk] = answer


def makes(project, user) -> bool:
    """The user owns or co-makes the project (so may not review, upvote or vote on it).

    Asked twice in one request (the route, then the service), so the answer is kept on the
    project instance for that user (a route may load the project knowing it already, see
    `ProjectPageQuerySet.knowing_makers`); a membership change is seen by a freshly loaded
    project.
    """
    if project.owner_id == user.pk:
        return True
    answers = project.__dict__.setdefault("_makers_memo", {})
    if user.pk not in answers:
        answers[user.pk] = project.pk in member_project_ids(user)
    return answers[user.pk]
