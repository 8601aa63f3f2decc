"""The account API: registration, JWTs, the signed-in user, roles and password reset."""

from allauth.account.utils import setup_user_email
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import permissions, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework_simplejwt.exceptions import InvalidToken, TokenError
from rest_framework_simplejwt.settings import api_settings as jwt_settings
from rest_framework_simplejwt.tokens import RefreshToken
from rest_framework_simplejwt.views import TokenObtainPairView, TokenVerifyView

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from accounts import events
from accounts.api import serializers as s
from accounts.api.throttles import (
    AuthRateThrottle,
    PasswordResetEmailThrottle,
    PasswordResetRateThrottle,
)
from accounts.roles import make_author
from accounts.tokens import token_pair
from proctique.api.parsers import BoundedJSONParser
from proctique.api.schema import ErrorSerializer
from proctique.api.throttling import AnonThrottle, UserThrottle

User = get_user_model()

ERROR_400 = OpenApiResponse(ErrorSerializer, description="Invalid input: see `errors`.")
ERROR_401 = OpenApiResponse(
    ErrorSerializer, description="Missing, invalid, expired or revoked credentials."
)
ERROR_403 = OpenApiResponse(
    ErrorSerializer, description="The refresh token belongs to another account."
)
ERROR_429 = OpenApiResponse(
    ErrorSerializer, description="Rate limited: retry after `Retry-After` seconds."
)
RESET_REQUESTED = "If an account uses that address, we have sent it a password reset link."
REGISTER_PENDING = {
    "message": "Check your inbox: we have sent a link to confirm the address.",
    "email_verification_required": True,
}


class PublicAuthView(APIView):
    """Endpoints a client calls before it has a token: no authentication is attempted.

    JSON bodies only, like the rest of the API, so the fields' JSON types are the contract.
    """

    authentication_classes: list = []
    permission_classes = [permissions.AllowAny]
    parser_classes = [BoundedJSONParser]
    throttle_classes: list = [AnonThrottle]

    def get_authenticate_header(self, request) -> str:
        # A refused token is a 401 (with WWW-Authenticate), not a 403.
        return 'Bearer realm="api"'


class SignedInAuthView(APIView):
    """Endpoints for a signed-in caller: a bearer access token is required."""

    permission_classes = [permissions.IsAuthenticated]
    parser_classes = [BoundedJSONParser]
    throttle_classes = [AnonThrottle, UserThrottle]


@extend_schema(
    tags=["auth"],
    summary="Create an account",
    request=s.RegisterSerializer,
    description="Without mandatory email verification the account is signed in at once (201 "
    "with tokens; 400 for a taken address). With it, the answer is 202 whether or not the "
    "address was taken (the owner of a taken one gets an email): addresses cannot be probed.",
    responses={
        201: s.RegisterResponseSerializer,
        202: s.RegisterPendingSerializer,
        400: ERROR_400,
        429: ERROR_429,
    },
)
class RegisterView(PublicAuthView, GenericAPIView):
    serializer_class = s.RegisterSerializer
    throttle_classes = [AuthRateThrottle, AnonThrottle]

    def post(self, request):
        # With mandatory verification nobody is signed in by registering, so the answer can
        # (and does) read the same for a new and a taken address: the owner of a taken one
        # is emailed instead. Otherwise the new account is signed in at once, which cannot be
        # done without telling that the address was free.
        mandatory = settings.ACCOUNT_EMAIL_VERIFICATION == "mandatory"
        serializer = self.get_serializer(
            data=request.data,
            context={**self.get_serializer_context(), "enumeration_safe": mandatory},
        )
        serializer.is_valid(raise_exception=True)
        existing = User.objects.filter(email__iexact=serializer.validated_data["email"]).first()
        if mandatory and existing is not None:
            with transaction.atomic():
                events.signup_with_existing_address.send(sender=User, user=existing)
            return Response(REGISTER_PENDING, status=status.HTTP_202_ACCEPTED)
        with transaction.atomic():
            user = serializer.save()
            address = setup_user_email(request._request, user, [])
            if address is not None and settings.ACCOUNT_EMAIL_VERIFICATION != "none":
                address.send_confirmation(request._request, signup=True)
        if mandatory:
            return Response(REGISTER_PENDING, status=status.HTTP_202_ACCEPTED)
        body = {"user": s.UserSerializer(user).data, "email_verification_required": False}
        return Response({**body, **token_pair(user)}, status=status.HTTP_201_CREATED)


@extend_schema(
    tags=["auth"],
    summary="Obtain an access and a refresh token (email + password)",
    request=s.TokenObtainSerializer,
    responses={200: s.TokenPairSerializer, 400: ERROR_400, 401: ERROR_401, 429: ERROR_429},
)
class TokenObtainView(PublicAuthView, TokenObtainPairView):
    serializer_class = s.TokenObtainSerializer
    throttle_classes = [AuthRateThrottle, AnonThrottle]


@extend_schema(
    tags=["auth"],
    summary="Spend a refresh token for a new pair (rotation; the old one is blacklisted)",
    request=s.RefreshTokenInputSerializer,
    responses={200: s.TokenPairSerializer, 400: ERROR_400, 401: ERROR_401, 429: ERROR_429},
)
class TokenRefreshView(PublicAuthView, GenericAPIView):
    serializer_class = s.TokenRefreshSerializer

    def post(self, request):
        serializer = self.get_serializer(data=request.data)
        try:
            with transaction.atomic():
                serializer.is_valid(raise_exception=True)
        except TokenError as exc:
            raise InvalidToken(exc.args[0]) from exc
        return Response(serializer.validated_data)


@extend_schema(
    tags=["auth"],
    summary="Check a token's signature, expiry, audience and issuer",
    responses={
        200: OpenApiResponse(s.TokenValidSerializer, description="The token is valid."),
        400: ERROR_400,
        401: ERROR_401,
        429: ERROR_429,
    },
)
class TokenCheckView(PublicAuthView, TokenVerifyView):
    serializer_class = s.TokenCheckSerializer


@extend_schema(
    tags=["auth"],
    summary="Log out: blacklist your refresh token",
    request=s.RefreshTokenInputSerializer,
    responses={204: None, 400: ERROR_400, 401: ERROR_401, 403: ERROR_403, 429: ERROR_429},
)
class LogoutView(SignedInAuthView, GenericAPIView):
    serializer_class = s.RefreshTokenInputSerializer

    def post(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            refresh = RefreshToken(serializer.validated_data["refresh"])
        except TokenError as exc:
            raise InvalidToken(exc.args[0]) from exc
        owner = refresh.payload.get(jwt_settings.USER_ID_CLAIM)
        if str(owner) != str(getattr(request.user, jwt_settings.USER_ID_FIELD)):
            raise PermissionDenied("This refresh token belongs to another account.")
        refresh.blacklist()
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=["auth"])
class MeView(SignedInAuthView, GenericAPIView):
    serializer_class = s.UserSerializer

    def get_object(self):
        return self.request.user

    @extend_schema(
        summary="The signed-in user",
        responses={200: s.UserSerializer, 401: ERROR_401, 429: ERROR_429},
    )
    def get(self, request):
        return Response(self.get_serializer(request.user).data)

    @extend_schema(
        summary="Change your display name or notification preference",
        request=s.UserSerializer,
        responses={200: s.UserSerializer, 400: ERROR_400, 401: ERROR_401, 429: ERROR_429},
    )
    def patch(self, request):
        serializer = self.get_serializer(request.user, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        serializer.save()
        return Response(serializer.data)


@extend_schema(
    tags=["auth"],
    summary="Become an author (immediate; refresh your token to get the new role claim)",
    request=None,
    responses={200: s.UserSerializer, 401: ERROR_401, 429: ERROR_429},
)
class BecomeAuthorView(SignedInAuthView):
    def post(self, request):
        if not request.user.is_author:
            make_author(request.user)
        return Response(s.UserSerializer(request.user).data)


@extend_schema(
    tags=["auth"],
    summary="Request a password reset email (same answer whether or not the address is known)",
    request=s.PasswordResetRequestSerializer,
    responses={202: s.MessageSerializer, 400: ERROR_400, 429: ERROR_429},
)
class PasswordResetView(PublicAuthView, GenericAPIView):
    serializer_class = s.PasswordResetRequestSerializer
    throttle_classes = [PasswordResetRateThrottle, PasswordResetEmailThrottle, AnonThrottle]

    def post(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        email = serializer.validated_data["email"]
        users = User.objects.filter(email__iexact=email, is_active=True)
        with transaction.atomic():
            for user in users:
                events.password_reset_requested.send(sender=User, user=user)
        return Response({"message": RESET_REQUESTED}, status=status.HTTP_202_ACCEPTED)


@extend_schema(
    tags=["auth"],
    summary="Set a new password with the uid and key from a reset link",
    request=s.PasswordResetConfirmSerializer,
    responses={200: s.MessageSerializer, 400: ERROR_400, 429: ERROR_429},
)
class PasswordResetConfirmView(PublicAuthView, GenericAPIView):
    serializer_class = s.PasswordResetConfirmSerializer
    throttle_classes = [AuthRateThrottle, AnonThrottle]

    def post(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = serializer.validated_data["user"]
        with transaction.atomic():
            user.set_password(serializer.validated_data["new_password"])
            user.save(update_fields=["password"])
            events.password_changed.send(sender=User, user=user)
        return Response({"message": "Your password has been changed. Sign in again."})
