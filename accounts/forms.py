from django import forms
from django.contrib.auth import get_user_model

from wagtail.users.forms import UserCreationForm, UserEditForm

from accounts.avatars import square_avatar
from proctique.forms import ModelMessagesForm


class AccountSettingsForm(forms.ModelForm):
    """What a signed-in user may change about themselves on the settings page."""

    class Meta:
        model = get_user_model()
        fields = ["display_name", "notify_new_reviews"]
        labels = {
            "display_name": "Display name",
            "notify_new_reviews": "Email me when someone reviews one of my projects",
        }
        help_texts = {
            "display_name": "Shown on your reviews and your author profile. "
            "Leave blank to show your username.",
            "notify_new_reviews": "",
        }


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
