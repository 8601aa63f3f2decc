from django import forms
from django.contrib.auth import get_user_model

from wagtail.users.forms import UserCreationForm, UserEditForm

from accounts.avatars import square_avatar
from accounts.models import EMAIL_PREFERENCES, MODERATOR_PREFERENCES
from proctique.forms import ModelMessagesForm


class AccountSettingsForm(forms.ModelForm):
    """What a signed-in user may change about themselves on the settings page: the display
    name and one switch per email kind they can turn off (moderators see theirs too)."""

    class Meta:
        model = get_user_model()
        fields = ["display_name", *EMAIL_PREFERENCES]
        labels = {"display_name": "Display name"}
        help_texts = {
            "display_name": "Shown on your reviews and your author profile. "
            "Leave blank to show your username.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.role != "admin":
            for name in MODERATOR_PREFERENCES:
                del self.fields[name]
        for name in EMAIL_PREFERENCES:
            if name in self.fields:
                # The model's sentence is the label ("Email me when ..."), without a full stop.
                field = self.fields[name]
                field.label, field.help_text = str(field.help_text).rstrip("."), ""

    @property
    def email_preferences(self) -> list:
        """The bound preference fields, in the settings page's order."""
        return [self[name] for name in EMAIL_PREFERENCES if name in self.fields]


class ProfileForm(ModelMessagesForm):
    """What the public profile shows: avatar, bio and links, and whether reviews are listed."""

    class Meta:
        model = get_user_model()
        fields = ["avatar", "bio", "website_url", "code_url", "show_reviews_on_profile"]
        widgets = {"bio": forms.Textarea(attrs={"rows": 4}), "avatar": forms.ClearableFileInput}
        help_texts = {
            "avatar": "A square crop of it is shown, 256 pixels wide.",
            "bio": "A few words about you and what you make (600 characters at most).",
        }

    def clean_avatar(self):
        avatar = self.cleaned_data.get("avatar")
        if avatar and hasattr(avatar, "content_type"):  # a new upload, not the stored file
            return square_avatar(avatar)
        return avatar


class _ProctiqueUserFields(forms.ModelForm):
    """Our user has a public handle and a display name instead of required first/last names."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["first_name"].required = False
        self.fields["last_name"].required = False
        self.fields["display_name"].required = False


class WagtailUserCreationForm(_ProctiqueUserFields, UserCreationForm):
    class Meta(UserCreationForm.Meta):
        fields = UserCreationForm.Meta.fields | {"username", "display_name"}


class WagtailUserEditForm(_ProctiqueUserFields, UserEditForm):
    class Meta(UserEditForm.Meta):
        fields = UserEditForm.Meta.fields | {"username", "display_name"}
