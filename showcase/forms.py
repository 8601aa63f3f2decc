"""The project editor's form: drafts may be incomplete, a published project may not."""

from django.conf import settings

from wagtail.admin.forms import WagtailAdminPageForm

# What a project needs before it goes live, with the message a missing one shows. The page
# model applies the same rule to every other route (ProjectPage.publish_errors).
PUBLISH_REQUIRED = {
    "cover_image": "Add a cover image before publishing.",
    "category": "Choose a category before publishing.",
    "description": "Describe the project before publishing.",
}


class ProjectPageForm(WagtailAdminPageForm):
    """Marks PUBLISH_REQUIRED fields required; Wagtail defers them when saving a draft."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not settings.PROJECTS_REQUIRE_COMPLETE:
            return
        for name, message in PUBLISH_REQUIRED.items():
            if name in self.fields:
                self.fields[name].required = True
                self.fields[name].error_messages["required"] = message

    def clean(self):
        data = super().clean()
        # An empty StreamField is not "empty" to Django's required check.
        publishing = settings.PROJECTS_REQUIRE_COMPLETE and not self.is_deferred_validation
        description = data.get("description")
        if publishing and "description" not in self.errors and not len(description or []):
            self.add_error("description", PUBLISH_REQUIRED["description"])
        return data
