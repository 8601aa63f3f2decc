from django.db import models

from wagtail.admin.panels import FieldPanel, TitleFieldPanel
from wagtail.admin.widgets.slug import SlugInput

from proctique.rows import FromRows
from proctique.text import reject_control_characters


class Category(FromRows, models.Model):
    """A subject area projects are filed under; managed by admins as a snippet."""

    name = models.CharField(max_length=80, unique=True, validators=[reject_control_characters])
    slug = models.SlugField(max_length=80, unique=True)
    description = models.TextField(blank=True, max_length=500)

    # The slug follows the name as it is typed (Wagtail's w-sync / w-slug, as on page titles);
    # apply_if_live because a category has no live state to guard.
    panels = [
        TitleFieldPanel("name", placeholder=False, apply_if_live=True),
        FieldPanel("slug", widget=SlugInput),
        FieldPanel("description"),
    ]

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "categories"

    def __str__(self) -> str:
        return self.name

    def delete_refusal(self) -> str | None:
        """Why this category may not be deleted (it still files projects), or None.

        Drafts count: `ProjectPage.category` is PROTECT, so the database refuses too.
        """
        held = self.projects.count()
        if not held:
            return None
        noun = "project" if held == 1 else "projects"
        return (
            f"“{self.name}” still holds {held} {noun}. Move {'it' if held == 1 else 'them'} "
            "to another category first, then delete it."
        )
