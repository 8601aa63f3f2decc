"""Web forms for the review pages; the rules themselves live in reviews.services."""

from django import forms
from django.core.exceptions import ValidationError

from reviews.models import Report, Review, ReviewReply

RATING_CHOICES = [(n, f"{n} star{'s' if n > 1 else ''}") for n in range(1, 6)]


class ReviewForm(forms.Form):
    rating = forms.TypedChoiceField(
        label="Your rating", choices=RATING_CHOICES, coerce=int, widget=forms.RadioSelect
    )
    title = forms.CharField(label="Title", max_length=Review.TITLE_MAX)
    body = forms.CharField(
        label="Your review",
        min_length=Review.BODY_MIN,
        max_length=Review.BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=f"Plain text, {Review.BODY_MIN} to {Review.BODY_MAX} characters.",
    )

    @classmethod
    def for_review(cls, review: Review, **kwargs) -> "ReviewForm":
        initial = {"rating": review.rating, "title": review.title, "body": review.body}
        return cls(initial=initial, **kwargs)


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label="Reason", choices=Report.Reason.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label="Note",
        required=False,
        max_length=Report.NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Required when the reason is “Other”.",
    )

    def clean(self):
        data = super().clean()
        if data.get("reason") == Report.Reason.OTHER and not (data.get("note") or "").strip():
            self.add_error("note", "Tell us what is wrong.")
        return data


class ReplyForm(forms.Form):
    body = forms.CharField(
        label="Your reply",
        max_length=ReviewReply.BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


def apply_errors(form: forms.Form, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form, next to the field it names."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc.messages)
        return
    for field, messages in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, messages)
