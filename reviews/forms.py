"""Web forms for the review pages: the models' fields, rules and messages (proctique.forms)."""

from django import forms
from django.core.exceptions import ValidationError

from proctique.forms import ModelMessagesForm
from reviews.models import Report, Review, ReviewReply

RATING_CHOICES = [(n, f"{n} star{'s' if n > 1 else ''}") for n in range(1, 6)]


class ReviewForm(ModelMessagesForm):
    rating = forms.TypedChoiceField(
        label="Your rating", choices=RATING_CHOICES, coerce=int, widget=forms.RadioSelect
    )

    class Meta:
        model = Review
        fields = ["rating", "title", "body"]
        labels = {"title": "Title", "body": "Your review"}
        widgets = {"body": forms.Textarea(attrs={"rows": 6})}
        help_texts = {
            "body": f"Plain text, {Review.BODY_MIN} to {Review.BODY_MAX} characters.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rating"].error_messages["invalid_choice"] = self.fields[
            "rating"
        ].error_messages["required"]

    @classmethod
    def for_review(cls, review: Review, **kwargs) -> "ReviewForm":
        return cls(instance=review, **kwargs)


class ReportForm(ModelMessagesForm):
    class Meta:
        model = Report
        fields = ["reason", "note"]
        labels = {"reason": "Reason", "note": "Note"}
        widgets = {"reason": forms.RadioSelect, "note": forms.Textarea(attrs={"rows": 4})}
        help_texts = {"note": "Required when the reason is “Other”."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].choices = Report.Reason.choices  # no empty radio button


class ReplyForm(ModelMessagesForm):
    class Meta:
        model = ReviewReply
        fields = ["body"]
        labels = {"body": "Your reply"}
        widgets = {"body": forms.Textarea(attrs={"rows": 4})}


def apply_errors(form: forms.Form, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form, next to the field it names."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc.messages)
        return
    for field, messages in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, messages)
