"""Load a large data set quickly for `manage.py bench`: bulk inserts, never one save at a time.

10,000 published projects across 20 categories, 5,000 users and 100,000 reviews by default;
one project ("bench-popular") carries 1,000 of those reviews. Four projects in five have a
cover (one of 12 images, every rendition made, as the worker makes them after an upload), and
each has up to three of 40 tags, so listings serialize what a real site's do.
"""

import random
import uuid
from dataclasses import dataclass
from datetime import timedelta

from allauth.account.models import EmailAddress
from taggit.models import Tag

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.utils import timezone

from wagtail.images import get_image_model
from wagtail.models import Locale, Page
from wagtail.search.backends import get_search_backend

from reviews.models import Review
from showcase.demo import ensure_site
from showcase.demo_projects import cover_file
from showcase.models import Category, ProjectPage, ProjectPageTag
from showcase.tasks import generate_renditions

BENCH_PASSWORD = "bench-password"  # noqa: S105
POPULAR_SLUG = "bench-popular"
WORDS = [
    "python",
    "rust",
    "django",
    "wagtail",
    "async",
    "compiler",
    "parser",
    "graph",
    "search",
    "cache",
    "queue",
    "vector",
    "editor",
    "terminal",
    "browser",
    "game",
    "engine",
    "audio",
    "image",
    "database",
    "sync",
    "api",
    "cli",
    "kit",
]


@dataclass
class BenchData:
    projects: int = 10_000
    categories: int = 20
    users: int = 5_000
    reviews: int = 100_000
    popular_reviews: int = 1_000
    covers: int = 12
    tags: int = 40


def already_loaded(size: BenchData) -> bool:
    return ProjectPage.objects.filter(slug__startswith="bench-").count() >= size.projects


def _sentence(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize()


def load(size: BenchData, *, seed: int = 7, log=print, search_index: bool = True) -> None:
    """Insert the data set (skipped when it is already there).

    `search_index=False` leaves the search index empty: the data-size sweep reads listings only,
    and indexing 100,000 projects would take longer than the rest of the load.
    """
    if already_loaded(size):
        log("bench data already loaded")
        if not _decorated():  # loaded before covers and tags were part of the set
            bench = ProjectPage.objects.filter(slug__startswith="bench-").order_by("pk")
            _decorate(size, list(bench.values_list("pk", flat=True)), random.Random(seed))
            log("  covers and tags added")
        return
    rng = random.Random(seed)
    _, index = ensure_site()
    with transaction.atomic():
        categories = _categories(size)
        users = _users(size)
        log(f"  {len(users)} users, {len(categories)} categories")
        projects = _projects(size, index, categories, users, rng)
        log(f"  {len(projects)} projects")
        count = _reviews(size, projects, users, rng)
        log(f"  {count} reviews")
        _aggregates()
        _decorate(size, projects, rng)
        log(f"  {size.covers} cover images, {size.tags} tags")
    with connection.cursor() as cursor:
        # Fresh planner statistics and visibility maps after a bulk load, as routine vacuuming
        # keeps a live database, and the load's pages written out: left to autovacuum and the
        # checkpointer, that work would run while the bench measures.
        cursor.execute("VACUUM ANALYZE")
        cursor.execute("CHECKPOINT")
    if search_index:
        _search_index(log)


def _categories(size: BenchData) -> list[Category]:
    cats = [
        Category(name=f"Bench category {i}", slug=f"bench-category-{i}")
        for i in range(size.categories)
    ]
    Category.objects.bulk_create(cats, ignore_conflicts=True)
    return list(Category.objects.filter(slug__startswith="bench-category-"))


def _users(size: BenchData) -> list:
    User = get_user_model()
    password = make_password(BENCH_PASSWORD)
    User.objects.bulk_create(
        [
            User(
                email=f"bench{i}@bench.test",
                username=f"bench{i}",
                display_name=f"Bench User {i}",
                password=password,
            )
            for i in range(size.users)
        ],
        batch_size=2_000,
        ignore_conflicts=True,
    )
    users = list(User.objects.filter(username__startswith="bench").order_by("id"))
    # Verified addresses: with verification mandatory (production settings) the token endpoint
    # refuses accounts without one, and every review POST of the bench would be a 401.
    EmailAddress.objects.bulk_create(
        [EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users],
        batch_size=2_000,
        ignore_conflicts=True,
    )
    return users


def _projects(size, index, categories, users, rng) -> list[int]:
    content_type = ContentType.objects.get_for_model(ProjectPage)
    locale = Locale.get_default()
    now = timezone.now()
    last = index.get_last_child()
    start = int(last.path[-Page.steplen :], 36) + 1 if last else 1
    depth = index.depth + 1
    owners = users[: max(1, len(users) // 10)]
    pages = []
    for i in range(size.projects):
        slug = POPULAR_SLUG if i == 0 else f"bench-project-{i}"
        title = f"{_sentence(rng, 2)} {i}"
        pages.append(
            Page(
                title=title,
                draft_title=title,
                slug=slug,
                path=Page._get_path(index.path, depth, start + i),
                depth=depth,
                numchild=0,
                url_path=f"{index.url_path}{slug}/",
                live=True,
                has_unpublished_changes=False,
                # Spread over time as real publishing is; one shared timestamp would make every
                # "newest first" query sort the whole table.
                first_published_at=now - timedelta(minutes=i),
                last_published_at=now - timedelta(minutes=i),
                content_type=content_type,
                owner=rng.choice(owners),
                locale=locale,
                translation_key=uuid.uuid4(),
            )
        )
    Page.objects.bulk_create(pages, batch_size=2_000)
    ids = dict(Page.objects.filter(path__in=[p.path for p in pages]).values_list("path", "id"))
    children = []
    for page in pages:
        child = ProjectPage(
            page_ptr_id=ids[page.path],
            tagline=_sentence(rng, 8),
            description=[],
            category=rng.choice(categories),
        )
        children.append(child)
    fields = list(ProjectPage._meta.local_concrete_fields)
    for batch in range(0, len(children), 2_000):
        ProjectPage._base_manager._insert(children[batch : batch + 2_000], fields=fields)
    Page.objects.filter(pk=index.pk).update(numchild=index.numchild + len(pages))
    return [ids[p.path] for p in pages]


def _decorated() -> bool:
    return ProjectPageTag.objects.filter(tag__slug__startswith="bench-tag-").exists()


def _cover_images(count: int) -> list[int]:
    Image = get_image_model()
    images = list(Image.objects.filter(title__startswith="Bench cover ").order_by("pk")[:count])
    for n in range(len(images), count):
        title = f"Bench cover {n}"
        image = Image(title=title, file=cover_file(title, n))
        image.save()
        images.append(image)
    for image in images:
        generate_renditions.call_local(image.pk)  # what the worker does after an upload
    return [image.pk for image in images]


def _decorate(size: BenchData, projects: list[int], rng: random.Random) -> None:
    """Covers on four projects in five, up to three tags on each."""
    images = _cover_images(size.covers)
    covered: dict[int, list[int]] = {image: [] for image in images}
    for project in projects:
        if rng.random() < 0.8:
            covered[rng.choice(images)].append(project)
    for image, ids in covered.items():
        for start in range(0, len(ids), 5_000):
            chunk = ids[start : start + 5_000]
            ProjectPage.objects.filter(pk__in=chunk).update(cover_image_id=image)
    Tag.objects.bulk_create(
        [Tag(name=f"bench {n}", slug=f"bench-tag-{n}") for n in range(size.tags)],
        ignore_conflicts=True,
    )
    tags = list(Tag.objects.filter(slug__startswith="bench-tag-").values_list("pk", flat=True))
    rows = [
        ProjectPageTag(tag_id=tag, content_object_id=project)
        for project in projects
        for tag in rng.sample(tags, rng.randint(0, 3))
    ]
    ProjectPageTag.objects.bulk_create(rows, batch_size=5_000)


def _reviews(size, projects, users, rng) -> int:
    rows = []
    popular = projects[0]
    for author in users[: size.popular_reviews]:
        rows.append((popular, author.pk))
    others = projects[1:]
    # Spread the rest evenly; the first `extra` projects take one review more.
    per_project, extra = divmod(size.reviews - len(rows), max(1, len(others)))
    for position, project in enumerate(others):
        count = min(len(users), per_project + (1 if position < extra else 0))
        rows.extend((project, author.pk) for author in rng.sample(users, count))
    batch = []
    for project_id, author_id in rows:
        batch.append(
            Review(
                project_id=project_id,
                author_id=author_id,
                rating=rng.choices([1, 2, 3, 4, 5], weights=[1, 1, 3, 5, 4])[0],
                title=_sentence(rng, 4),
                body=_sentence(rng, 30),
            )
        )
    Review.objects.bulk_create(batch, batch_size=5_000)
    return len(batch)


def _aggregates() -> None:
    """Same formula as the reviews app: average, count, sum and a Bayesian score (prior weight
    5)."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            WITH stats AS (
                SELECT project_id, AVG(rating) AS avg, COUNT(*) AS n, SUM(rating) AS total
                FROM reviews_review WHERE status = 'visible' GROUP BY project_id
            ), prior AS (
                SELECT COALESCE(AVG(rating), 0) AS mean FROM reviews_review WHERE status = 'visible'
            )
            UPDATE showcase_projectpage AS p
            SET rating_average = ROUND(stats.avg, 2), review_count = stats.n,
                rating_sum = stats.total,
                rating_score = (5 * prior.mean + stats.total) / (5 + stats.n)
            FROM stats, prior WHERE p.page_ptr_id = stats.project_id
            """
        )


def _search_index(log) -> None:
    backend = get_search_backend()
    queryset = ProjectPage.objects.filter(slug__startswith="bench-").order_by("pk")
    ids = list(queryset.values_list("pk", flat=True))
    for start in range(0, len(ids), 1_000):
        backend.add_bulk(
            ProjectPage, list(ProjectPage.objects.filter(pk__in=ids[start : start + 1_000]))
        )
    log(f"  search index: {len(ids)} projects")
