from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from proctique.rows import FromRows
from proctique.text import reject_control_characters, validate_handle

AUTHORS_GROUP = "Authors"
MODERATORS_GROUP = "Moderators"

# The email preferences on the settings page, in its order; the last two are for moderators.
EMAIL_PREFERENCES = (
    "notify_new_reviews",
    "notify_review_replies",
    "notify_report_outcomes",
    "notify_moderation_submissions",
    "notify_new_reports",
)
MODERATOR_PREFERENCES = ("notify_moderation_submissions", "notify_new_reports")


class ProctiqueUserManager(UserManager):
    """Email is the login; look it up without regard to case."""

    def get_by_natural_key(self, username: str) -> "User":
        return self.get(email__iexact=username)

    def create_user(self, username=None, email=None, password=None, **extra_fields):
        email = self.normalize_email(email)
        username = username or email.split("@")[0]
        return super().create_user(username, email, password, **extra_fields)

    def create_superuser(self, username=None, email=None, password=None, **extra_fields):
        email = self.normalize_email(email)
        username = username or email.split("@")[0]
        return super().create_superuser(username, email, password, **extra_fields)


class User(FromRows, AbstractUser):
    """A person with an account. Email logs in; `username` is the public handle."""

    username = models.CharField(
        _("username"),
        max_length=150,
        unique=True,
        help_text=_("Required. 150 characters or fewer. Letters, digits and @/./+/-/_ only."),
        validators=[validate_handle],
        error_messages={"unique": _("A user with that username already exists.")},
    )
    email = models.EmailField(_("email address"), unique=True)
    display_name = models.CharField(
        max_length=80, blank=True, validators=[reject_control_characters]
    )
    notify_new_reviews = models.BooleanField(
        default=True, help_text=_("Email me when someone reviews one of my projects.")
    )
    notify_review_replies = models.BooleanField(
        default=True, help_text=_("Email me when a project's owner replies to my review.")
    )
    notify_report_outcomes = models.BooleanField(
        default=True, help_text=_("Email me what moderators decided about my reports.")
    )
    # Moderators only (the settings page shows these to them).
    notify_moderation_submissions = models.BooleanField(
        default=True, help_text=_("Email me when a project is submitted for moderation.")
    )
    notify_new_reports = models.BooleanField(
        default=True, help_text=_("Email me a summary of new reports (at most one per interval).")
    )

    # The public profile (/authors/<username>/).
    bio = models.TextField(_("bio"), blank=True, max_length=600)
    avatar = models.ImageField(_("avatar"), upload_to="avatars/", blank=True)
    website_url = models.URLField(_("website"), blank=True)
    code_url = models.URLField(_("code profile"), blank=True, help_text=_("GitHub, GitLab, …"))
    show_reviews_on_profile = models.BooleanField(_("show my reviews on my profile"), default=True)

    # The per-account failed sign-in counter (accounts.lockout), shared by every sign-in route.
    failed_logins = models.PositiveSmallIntegerField(default=0, editable=False)
    last_failed_login = models.DateTimeField(null=True, blank=True, editable=False)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["username"]

    objects = ProctiqueUserManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique"),
            models.UniqueConstraint(Lower("username"), name="accounts_user_username_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.public_name

    def save(self, *args, **kwargs):
        self.email = self.email.strip().lower() if self.email else self.email
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        """The public author profile."""
        return reverse("author_profile", args=[self.username])

    @property
    def public_name(self) -> str:
        return self.display_name or self.username

    @property
    def initials(self) -> str:
        parts = [p for p in self.public_name.replace("_", " ").split() if p]
        return "".join(p[0] for p in parts[:2]).upper() or "?"

    @cached_property
    def _group_names(self) -> frozenset[str]:
        return frozenset(self.groups.values_list("name", flat=True))

    @property
    def is_author(self) -> bool:
        """A member of Authors (or an admin): shown "My projects" and the author profile."""
        return self.role in ("author", "admin")

    @property
    def role(self) -> str:
        """The role's name in the roles matrix (admin, author or user), for labels and the
        JWT claim. What a role may do is decided by its group's permissions, never by this."""
        if self.is_superuser or MODERATORS_GROUP in self._group_names:
            return "admin"
        if AUTHORS_GROUP in self._group_names:
            return "author"
        return "user"
