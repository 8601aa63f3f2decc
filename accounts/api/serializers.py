from allauth.account.adapter import get_adapter
from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress
from allauth.account.utils import url_str_to_user_pk
from rest_framework import serializers
from rest_framework.exceptions import Throttled
from rest_framework_simplejwt.exceptions import AuthenticationFailed, InvalidToken, TokenError
from rest_framework_simplejwt.serializers import TokenObtainPairSerializer, TokenVerifySerializer
from rest_framework_simplejwt.settings import api_settings as jwt_settings
from rest_framework_simplejwt.tokens import UntypedToken
from rest_framework_simplejwt.utils import get_md5_hash_password

from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError as DjangoValidationError

from accounts import lockout
from accounts.tokens import RoleRefreshToken, rotate_refresh_token
from proctique.api import fields as strict

User = get_user_model()


class MessageSerializer(serializers.Serializer):
    message = serializers.CharField()


class UserSerializer(strict.StrictModelSerializer):
    """The signed-in user as the API shows them to themselves."""

    public_name = serializers.CharField(read_only=True)
    role = serializers.CharField(read_only=True)
    is_author = serializers.BooleanField(read_only=True)
    profile_url = strict.AbsoluteURLField(source="get_absolute_url", read_only=True)

    class Meta:
        model = User
        fields = [
            "id",
            "email",
            "username",
            "display_name",
            "public_name",
            "notify_new_reviews",
            "role",
            "is_author",
            "profile_url",
            "date_joined",
        ]
        read_only_fields = ["id", "email", "username", "date_joined"]


class TokenPairSerializer(serializers.Serializer):
    access = serializers.CharField()
    refresh = serializers.CharField()


class RegisterSerializer(serializers.Serializer):
    email = strict.EmailField(max_length=254)
    username = strict.CharField(max_length=150)
    password = strict.CharField(write_only=True, style={"input_type": "password"})
    display_name = strict.CharField(
        max_length=80,
        required=False,
        allow_blank=True,
        validators=User._meta.get_field("display_name").validators,  # the model's own rules
    )

    def validate_email(self, value: str) -> str:
        value = get_adapter().clean_email(value.strip().lower())
        # With mandatory verification the view answers the same for a taken address.
        enumeration_safe = self.context.get("enumeration_safe", False)
        if not enumeration_safe and User.objects.filter(email__iexact=value).exists():
            raise serializers.ValidationError(
                "A user is already registered with this email address."
            )
        return value

    def validate_username(self, value: str) -> str:
        try:
            return get_adapter().clean_username(value.strip())
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages) from exc

    def validate(self, attrs):
        candidate = User(
            email=attrs["email"],
            username=attrs["username"],
            display_name=attrs.get("display_name", ""),
        )
        try:
            password_validation.validate_password(attrs["password"], user=candidate)
        except DjangoValidationError as exc:
            raise serializers.ValidationError({"password": exc.messages}) from exc
        return attrs

    def create(self, validated_data):
        return User.objects.create_user(
            username=validated_data["username"],
            email=validated_data["email"],
            password=validated_data["password"],
            display_name=validated_data.get("display_name", ""),
        )


class RegisterPendingSerializer(serializers.Serializer):
    """With mandatory verification: the same answer whether or not the address was taken."""

    message = serializers.CharField()
    email_verification_required = serializers.BooleanField()


class RegisterResponseSerializer(serializers.Serializer):
    user = UserSerializer()
    access = serializers.CharField(
        required=False,
        help_text="Absent until the email is verified, when verification is mandatory.",
    )
    refresh = serializers.CharField(required=False)
    email_verification_required = serializers.BooleanField()


class TokenObtainSerializer(TokenObtainPairSerializer):
    """Email + password -> access and refresh tokens carrying the user's role."""

    token_class = RoleRefreshToken

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[self.username_field] = strict.CharField(write_only=True)
        self.fields["password"] = strict.CharField(
            write_only=True, trim_whitespace=False, style={"input_type": "password"}
        )

    def validate(self, attrs):
        # The same per-account lockout as the web sign-in (accounts.lockout).
        wait = lockout.locked_for(attrs.get(self.username_field))
        if wait:
            raise Throttled(wait=wait, detail="Too many failed sign-in attempts.")
        data = super().validate(attrs)
        verified = EmailAddress.objects.filter(user=self.user, verified=True)
        if settings.ACCOUNT_EMAIL_VERIFICATION == "mandatory" and not verified.exists():
            raise AuthenticationFailed(
                "Verify your email address before signing in.", "email_not_verified"
            )
        return data


class TokenRefreshSerializer(serializers.Serializer):
    """Spend a refresh token for a new pair; the role is read again from the database."""

    refresh = strict.CharField()
    access = serializers.CharField(read_only=True)

    def validate(self, attrs):
        return rotate_refresh_token(attrs["refresh"])


class RefreshTokenInputSerializer(serializers.Serializer):
    refresh = strict.CharField()


class TokenCheckSerializer(TokenVerifySerializer):
    """A token is valid when its signature, claims and blacklist check pass *and* its user is
    still active with the password it was issued for (as the API's authentication checks)."""

    token = strict.CharField(write_only=True)

    def validate(self, attrs):
        try:
            data = super().validate(attrs)
        except serializers.ValidationError as exc:  # blacklisted: refused, like a revoked one
            raise AuthenticationFailed("The token is blacklisted.", "token_blacklisted") from exc
        try:
            token = UntypedToken(attrs["token"])
        except TokenError as exc:
            raise InvalidToken(exc.args[0]) from exc
        user_id = token.payload.get(jwt_settings.USER_ID_CLAIM)
        user = User.objects.filter(**{jwt_settings.USER_ID_FIELD: user_id}).first()
        if user is None or not jwt_settings.USER_AUTHENTICATION_RULE(user):
            raise AuthenticationFailed("The token's user is inactive or gone.", "user_inactive")
        revoke = token.payload.get(jwt_settings.REVOKE_TOKEN_CLAIM)
        if jwt_settings.CHECK_REVOKE_TOKEN and revoke != get_md5_hash_password(user.password):
            raise AuthenticationFailed("The user's password has been changed.", "password_changed")
        return {**data, "valid": True}


class TokenValidSerializer(serializers.Serializer):
    """What a successful token check answers."""

    valid = serializers.BooleanField()


class PasswordResetRequestSerializer(serializers.Serializer):
    email = strict.EmailField(max_length=254)


class PasswordResetConfirmSerializer(serializers.Serializer):
    """The uid and key of a reset link (accounts.passwords.reset_url) and the new password."""

    uid = strict.CharField(max_length=64)
    key = strict.CharField(max_length=128)
    new_password = strict.CharField(write_only=True, style={"input_type": "password"})

    default_error_messages = {"invalid_link": "This password reset link is invalid or has expired."}

    def validate(self, attrs):
        try:
            pk = url_str_to_user_pk(attrs["uid"])
            user = User.objects.filter(pk=pk, is_active=True).first()
        except (ValueError, TypeError, OverflowError):
            user = None
        if user is None or not default_token_generator.check_token(user, attrs["key"]):
            raise serializers.ValidationError({"key": [self.error_messages["invalid_link"]]})
        try:
            password_validation.validate_password(attrs["new_password"], user=user)
        except DjangoValidationError as exc:
            raise serializers.ValidationError({"new_password": exc.messages}) from exc
        attrs["user"] = user
        return attrs
