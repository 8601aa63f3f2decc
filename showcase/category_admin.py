"""Categories in the Wagtail admin: a category that still files projects is not deleted.

The rule is the model's (`Category.delete_refusal`); the delete page shows it in place of the
"Yes, delete" button, and the `before_delete_snippet` hook refuses the POST of the single and
the bulk delete alike (so a stale reference index cannot let one through).
"""

from django.contrib import messages
from django.http import HttpRequest, HttpResponseRedirect

from wagtail.snippets.views.snippets import DeleteView

from showcase.models import Category


class CategoryDeleteView(DeleteView):
    """Wagtail's delete confirmation, saying why a category holding projects stays."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["refusal"] = self.object.delete_refusal()
        if context["refusal"]:
            context["is_protected"] = True
        return context


def refuse_deleting_used_categories(request: HttpRequest, instances) -> HttpResponseRedirect | None:
    """Before any snippet delete: refuse a POST that would delete a category holding projects."""
    if request.method != "POST":
        return None
    refusals = [
        refusal
        for instance in instances
        if isinstance(instance, Category) and (refusal := instance.delete_refusal())
    ]
    if not refusals:
        return None
    for refusal in refusals:
        messages.error(request, refusal)
    return HttpResponseRedirect(request.get_full_path())
