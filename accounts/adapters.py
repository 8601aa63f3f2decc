from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.core.ratelimit import respond_429

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts import events, lockout


class AccountAdapter(DefaultAccountAdapter):
    """Site-specific allauth behaviour: reset mail through the outbox, 429 on lockout."""

    def send_password_reset_mail(self, user, email, context) -> None:
        # The worker makes the link at send time (accounts.passwords.reset_url): no token is
        # stored in the outbox and nothing in the request waits on SMTP.
        with transaction.atomic():
            events.password_reset_requested.send(sender=type(user), user=user)

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        # A reset request for an unknown address sends nothing, so the request does no SMTP
        # work that a known address would not do (the answer is the same page either way).
        if template_prefix == "account/email/unknown_account":
            return
        super().send_mail(template_prefix, email, context)

    def pre_authenticate(self, request, **credentials) -> None:
        # The per-account lockout (accounts.lockout) and allauth's own limits both answer
        # 429 with Retry-After (accounts.views.rate_limited), like every other rate limit.
        if lockout.locked_for(credentials.get("email") or credentials.get("username")):
            raise ImmediateHttpResponse(respond_429(request))
        try:
            super().pre_authenticate(request, **credentials)
        except ValidationError as exc:
            if exc.code == "too_many_login_attempts":
                raise ImmediateHttpResponse(respond_429(request)) from exc
            raise
