"""Forms that take their rules *and their messages* from the model, so one error reads the same
on the web, in the admin and in the API (see proctique.api.fields.StrictModelSerializer)."""

from django import forms


class ModelMessagesFormMixin:
    """Copy each model field's `error_messages` onto its form field.

    Django maps a validator's error code to the field's message (`max_length`, `min_length`,
    `blank` ...), so a form field then says what the model says for the same error.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        model = self._meta.model
        for name, field in self.fields.items():
            try:
                model_field = model._meta.get_field(name)
            except Exception:  # noqa: BLE001, S112 (a form-only field has no model messages)
                continue
            # The messages the model states itself, not Django's defaults.
            messages = dict(getattr(model_field, "_error_messages", None) or {})
            if "blank" in messages:
                messages.setdefault("required", messages["blank"])
            field.error_messages.update(messages)


class ModelMessagesForm(ModelMessagesFormMixin, forms.ModelForm):
    """A ModelForm whose field errors carry the model's messages."""
