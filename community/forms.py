"""Web forms for collections; their fields and rules come from the models."""

from django import forms

from community.models import Collection, CollectionItem


class CollectionForm(forms.ModelForm):
    class Meta:
        model = Collection
        fields = ["title", "description", "is_public"]
        labels = {"is_public": "Public (anyone with the link can see it)"}
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class SaveToCollectionForm(forms.Form):
    """Save a project to one of the user's collections, or to a new one named here."""

    collection = forms.ModelChoiceField(
        queryset=Collection.objects.none(),
        required=False,
        empty_label="A new collection…",
        label="Collection",
    )
    new_title = forms.CharField(
        required=False,
        label="New collection title",
        max_length=Collection._meta.get_field("title").max_length,
        validators=Collection._meta.get_field("title").validators,
    )
    note = forms.CharField(
        required=False,
        label="Note (optional)",
        max_length=CollectionItem._meta.get_field("note").max_length,
        validators=CollectionItem._meta.get_field("note").validators,
    )

    def __init__(self, *args, owner, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["collection"].queryset = Collection.objects.filter(owner=owner).order_by(
            "title"
        )

    def clean(self):
        data = super().clean()
        if not data.get("collection") and not (data.get("new_title") or "").strip():
            self.add_error("new_title", "Choose a collection or name a new one.")
        return data
