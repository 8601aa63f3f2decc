"""Demo projects for seed_demo: ~30 across 6 categories, covers drawn with Pillow."""

import hashlib
import io

from PIL import Image as PILImage
from PIL import ImageDraw

from django.core.files.images import ImageFile

from wagtail.images import get_image_model
from wagtail.models import Collection

from showcase.models import Category, ProjectIndexPage, ProjectPage

CATEGORIES = [
    ("Developer tools", "developer-tools", "Editors, linters, CLIs: everything that helps ship."),
    ("Web apps", "web-apps", "Sites and applications that run in the browser."),
    ("Data & AI", "data-ai", "Pipelines, notebooks, models and dashboards."),
    ("Games", "games", "Things to play, from jams to long-running projects."),
    ("Hardware", "hardware", "Electronics, keyboards, robots and home automation."),
    ("Open data", "open-data", "Datasets and the tools that publish them."),
]

WORDS = [
    "Lantern",
    "Harbor",
    "Quill",
    "Orbit",
    "Sprout",
    "Beacon",
    "Cobalt",
    "Drift",
    "Ember",
    "Fable",
    "Glade",
    "Helix",
    "Iris",
    "Juniper",
    "Kestrel",
    "Loom",
    "Meadow",
    "Nimbus",
    "Onyx",
    "Pioneer",
    "Quartz",
    "Relay",
    "Summit",
    "Tidal",
    "Umber",
    "Vertex",
    "Willow",
    "Xylo",
    "Yonder",
    "Zephyr",
]
TAGS = ["python", "django", "wagtail", "rust", "typescript", "open-source", "cli", "postgres"]
PALETTE = [
    ((37, 99, 235), (14, 165, 233)),
    ((124, 58, 237), (236, 72, 153)),
    ((5, 150, 105), (132, 204, 22)),
    ((234, 88, 12), (250, 204, 21)),
    ((71, 85, 105), (148, 163, 184)),
    ((190, 18, 60), (251, 113, 133)),
]


def cover_file(title: str, index: int) -> ImageFile:
    """A 1600x900 gradient cover with the project's initial, drawn locally (no downloads)."""
    start, end = PALETTE[index % len(PALETTE)]
    width, height = 1600, 900
    img = PILImage.new("RGB", (width, height), start)
    draw = ImageDraw.Draw(img)
    for x in range(0, width, 8):
        t = x / width
        colour = tuple(int(a + (b - a) * t) for a, b in zip(start, end, strict=True))
        draw.rectangle([x, 0, x + 8, height], fill=colour)
    seed = int(hashlib.sha256(title.encode()).hexdigest(), 16)
    for n in range(6):
        r = 60 + (seed >> (n * 8)) % 180
        cx, cy = (seed >> (n * 5)) % width, (seed >> (n * 7)) % height
        draw.ellipse([cx - r, cy - r, cx + r, cy + r], outline=(255, 255, 255), width=6)
    draw.text((80, 700), title, fill=(255, 255, 255), font_size=120)
    buffer = io.BytesIO()
    img.save(buffer, format="JPEG", quality=82)
    return ImageFile(buffer, name=f"demo-{title.lower().replace(' ', '-')}.jpg")


def ensure_categories() -> list[Category]:
    categories = []
    for name, slug, description in CATEGORIES:
        category, _ = Category.objects.get_or_create(
            slug=slug, defaults={"name": name, "description": description}
        )
        categories.append(category)
    return categories


def ensure_projects(index: ProjectIndexPage, authors: list, count: int = 30) -> int:
    """Create the demo projects that are missing (matched by slug); returns how many were made."""
    Image = get_image_model()
    categories = ensure_categories()
    collection = Collection.get_first_root_node()
    existing = set(ProjectPage.objects.values_list("slug", flat=True))
    made = 0
    for n in range(count):
        word = WORDS[n % len(WORDS)]
        title = f"{word} {categories[n % len(categories)].name.split()[0]}"
        slug = f"demo-{word.lower()}"
        if slug in existing:
            continue
        owner = authors[n % len(authors)]
        image_title = f"Cover: {title}"
        cover = Image.objects.filter(title=image_title).first()
        if cover is None:
            cover = Image(
                title=image_title,
                file=cover_file(title, n),
                collection=collection,
                uploaded_by_user=owner,
            )
            cover.save()
        page = ProjectPage(
            title=title,
            slug=slug,
            tagline=f"{word}: a small, well-made {categories[n % len(categories)].name.lower()} "
            "project.",
            description=[
                (
                    "paragraph",
                    f"<p>{title} started as a weekend experiment and grew into something "
                    "people use every day. This demo page shows how a project looks.</p>",
                )
            ],
            cover_image=cover,
            category=categories[n % len(categories)],
            repository_url=f"https://example.com/{slug}",
            owner=owner,
            live=False,
        )
        index.add_child(instance=page)
        page.tags.add(TAGS[n % len(TAGS)], TAGS[(n * 3 + 1) % len(TAGS)])
        revision = page.save_revision(user=owner)
        revision.publish(user=owner, skip_permission_checks=True)
        made += 1
    return made
