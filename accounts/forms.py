from django import forms
from django.contrib.auth import get_user_model

from wagtail.users.forms import UserCreationForm, UserEditForm


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
