"""Clean the rich text of descriptions stored before every route cleaned it (live rows and
revisions), so a hostile paragraph saved through the old API cannot come back on a revert."""

import json

from django.db import migrations

from proctique.richtext import clean_rich_text
from showcase.blocks import PARAGRAPH_FEATURES


def _raw(value):
    """The stored JSON as a list of dicts, whatever the field hands back."""
    if isinstance(value, str):
        return json.loads(value)
    if hasattr(value, "raw_data"):  # a StreamValue
        return [dict(block) for block in value.raw_data]
    return value


def _clean_blocks(blocks):
    changed = False
    for block in blocks or []:
        if isinstance(block, dict) and block.get("type") == "paragraph":
            cleaned = clean_rich_text(block.get("value") or "", PARAGRAPH_FEATURES)
            if cleaned != block.get("value"):
                block["value"], changed = cleaned, True
    return changed


def clean(apps, schema_editor):
    ProjectPage = apps.get_model("showcase", "ProjectPage")
    Revision = apps.get_model("wagtailcore", "Revision")
    ContentType = apps.get_model("contenttypes", "ContentType")
    for pk, raw in ProjectPage.objects.values_list("pk", "description").iterator():
        blocks = _raw(raw)
        if _clean_blocks(blocks):
            ProjectPage.objects.filter(pk=pk).update(description=blocks)
    project_type = ContentType.objects.filter(app_label="showcase", model="projectpage").first()
    if project_type is None:
        return
    for revision in Revision.objects.filter(content_type=project_type).iterator():
        content = revision.content or {}
        raw = content.get("description")
        blocks = _raw(raw)
        if _clean_blocks(blocks):
            content["description"] = json.dumps(blocks) if isinstance(raw, str) else blocks
            Revision.objects.filter(pk=revision.pk).update(content=content)


class Migration(migrations.Migration):
    dependencies = [
        ("showcase", "0003_single_line_text_clean_rich_text"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(clean, migrations.RunPython.noop)]
