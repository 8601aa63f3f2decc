from django.db import models

from wagtail.admin.panels import FieldPanel

from proctique.text import reject_control_characters


class Category(models.Model):
    """A subject area projects are filed under; managed by admins as a snippet."""

    name = models.CharField(max_length=80, unique=True, validators=[reject_control_characters])
    slug = models.SlugField(max_length=80, unique=True)
    description = models.TextField(blank=True, max_length=500)

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("description")]

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "categories"

    def __str__(self) -> str:
        return self.name
