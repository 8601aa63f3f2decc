from django import forms
from django.contrib.auth import get_user_model

from follows.models import FollowPreferences
from showcase.models import Category, ProjectPage


class FollowTargetForm(forms.Form):
    """Which author, category or project a follow button is about."""

    target = forms.ChoiceField(choices=[(t, t) for t in ("author", "category", "project")])
    id = forms.IntegerField(min_value=1, max_value=2**62)

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        found = {
            "author": get_user_model().objects.filter(is_active=True),
            "category": Category.objects.all(),
            "project": ProjectPage.objects.discoverable(),
        }[data["target"]].filter(pk=data["id"])
        data["object"] = found.first()
        if data["object"] is None:
            raise forms.ValidationError("There is nothing to follow here.")
        return data


class FollowPreferencesForm(forms.ModelForm):
    """How to email new things from what one follows; choices come from the model."""

    class Meta:
        model = FollowPreferences
        fields = ["new_project_email", "new_review_email"]
        widgets = {
            "new_project_email": forms.RadioSelect,
            "new_review_email": forms.RadioSelect,
        }
