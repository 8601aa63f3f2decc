from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.core.ratelimit import respond_429
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.providers.base import AuthProcess

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import render

from accounts import events, lockout


class AccountAdapter(DefaultAccountAdapter):
    """Site-specific allauth behaviour: its emails through the outbox (branded templates, sent by
    the worker, never inside the request), 429 on lockout."""

    def send_password_reset_mail(self, user, email, context) -> None:
        # The worker makes the link at send time (accounts.passwords.reset_url): no token is
        # stored in the outbox and nothing in the request waits on SMTP.
        with transaction.atomic():
            events.password_reset_requested.send(sender=type(user), user=user)

    def send_confirmation_mail(self, request, emailconfirmation, signup: bool) -> None:
        address = emailconfirmation.email_address
        with transaction.atomic():
            events.email_confirmation_requested.send(
                sender=type(address.user),
                user=address.user,
                email_address_id=address.pk,
                signup=signup,
            )

    def send_account_already_exists_mail(self, email: str) -> None:
        user = get_user_model().objects.filter(email__iexact=email).first()
        if user is not None:
            with transaction.atomic():
                events.signup_with_existing_address.send(sender=type(user), user=user)

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


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """Sign-ins through an identity provider (GitHub): a verified address or nothing.

    allauth looks the login up first, by the provider's account id and then by verified
    address (SOCIALACCOUNT_EMAIL_AUTHENTICATION). A login that matched nothing would create an
    account; without a verified address it is refused here instead, so an unverified address
    can neither claim someone's account nor sign up a new one. Connecting a provider to the
    account one is signed in to proves both sides and needs no matching address.
    """

    def pre_social_login(self, request, sociallogin) -> None:
        if sociallogin.is_existing or sociallogin.state.get("process") == AuthProcess.CONNECT:
            return
        if not any(address.verified for address in sociallogin.email_addresses):
            raise ImmediateHttpResponse(
                render(
                    request,
                    "socialaccount/no_verified_email.html",
                    {"provider": sociallogin.provider},
                    status=400,
                )
            )
