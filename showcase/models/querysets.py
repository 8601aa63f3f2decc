"""Which projects a listing may show, and what a listing joins: the one home of both rules."""

from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace

from django.db import router
from django.db.models import Exists, FilteredRelation, OuterRef, Q, QuerySet
from django.db.models.functions import Length, Substr

from wagtail.images import get_image_model
from wagtail.models import Page, PageManager, PageQuerySet, PageViewRestriction

from proctique.statements import Select
from showcase import renditions
from showcase.models.members import active_membership, member_project_ids, remember_makes
from showcase.permissions import manages_all_projects
from showcase.restrictions import restricted_paths

# Where `with_tags()` puts a page's tags, by name (read through ProjectPage.listed_tags()).
LISTED_TAGS = "prefetched_listed_tags"
# Where `with_covers(..., rows=True)` puts a page's cover (read through
# ProjectPage.listed_cover()).
LISTED_COVER = "prefetched_listed_cover"


class ProjectPageQuerySet(PageQuerySet):
    # Whether every row this queryset yields passed `discoverable()`; the projects it loads say
    # so (`found_discoverable`), so a service handed one need not ask the database again.
    _discoverable = False
    # The user whose co-making the rows were loaded knowing (`knowing_makers`).
    _makers_for: int | None = None
    # Whether the rows it loads get their tags (`with_tags`), the rendition set their covers
    # come with (`with_covers`) and whether as `CoverRow`s.
    _tags = False
    _covers: str | None = None
    _cover_rows = False

    def discoverable(self) -> "ProjectPageQuerySet":
        """Projects anyone may find: live, and neither they nor an ancestor view-restricted.

        Every public listing, search, feed, sitemap, API list and detail, the headless API,
        author profiles and the review and report routes start here.
        """
        # Path filters (not a subquery): the search backend applies these filters itself.
        queryset = self.live()
        for path in restricted_paths():
            queryset = queryset.exclude(path__startswith=path)
        queryset._discoverable = True
        return queryset

    def discoverable_in_one_query(self) -> "ProjectPageQuerySet":
        """`discoverable()` with the view restrictions read in the same query (a `NOT EXISTS`
        over the restrictions of the page and its ancestors) instead of from the process's
        memo of them: for a query of one project, which then needs no version read. Search
        cannot take it (its backend applies path filters only)."""
        restricted = PageViewRestriction.objects.filter(
            page__path=Substr(OuterRef("path"), 1, Length("page__path"))
        )
        queryset = self.live().filter(~Exists(restricted))
        queryset._discoverable = True
        return queryset

    def _clone(self):
        clone = super()._clone()
        clone._discoverable = self._discoverable
        clone._makers_for = self._makers_for
        clone._tags = self._tags
        clone._covers = self._covers
        clone._cover_rows = self._cover_rows
        return clone

    def __or__(self, other):
        # Rows from the other side need not be discoverable.
        combined = super().__or__(other)
        combined._discoverable = self._discoverable and getattr(other, "_discoverable", False)
        return combined

    def __xor__(self, other):
        combined = super().__xor__(other)
        combined._discoverable = False
        return combined

    def _combinator_query(self, *args, **kwargs):
        combined = super()._combinator_query(*args, **kwargs)
        combined._discoverable = False
        return combined

    def _fetch_all(self):
        loading = self._result_cache is None
        super()._fetch_all()
        if not loading:
            return
        pages = [row for row in self._result_cache if isinstance(row, Page)]
        for page in pages:
            loaded(page, discoverable=self._discoverable, makers_for=self._makers_for)
        if self._tags:
            attach_tags(pages)
        if self._covers is not None:
            attach_covers(pages, self._covers, rows=self._cover_rows)

    def knowing_makers(self, user) -> "ProjectPageQuerySet":
        """Rows that know whether `user` co-makes them, read in the same query, so that
        `makes()` asks the database nothing more about them."""
        if user is None or not user.is_authenticated:
            return self
        return self.knowing_makers_of(user.pk)

    def knowing_makers_of(self, user_id: int) -> "ProjectPageQuerySet":
        """`knowing_makers()` for the user `user_id` (a compiled statement's argument)."""
        queryset = self.annotate(comade_by_caller=Exists(active_membership(user_id)))
        queryset._makers_for = user_id
        return queryset

    def visible_to(self, user) -> "ProjectPageQuerySet":
        """Discoverable projects, plus the caller's own and co-made ones in any state (all for
        admins)."""
        if user is not None and user.is_authenticated and manages_all_projects(user):
            return self
        if user is not None and user.is_authenticated:
            theirs = Q(owner=user) | Q(pk__in=member_project_ids(user))
            return self.filter(Q(pk__in=self.discoverable().values("pk")) | theirs)
        return self.discoverable()

    def with_tags(self) -> "ProjectPageQuerySet":
        """Each project's tags in one query for the page of results (`attach_tags`)."""
        clone = self._chain()
        clone._tags = True
        return clone

    def with_covers(self, rendition_set: str, *, rows: bool = False) -> "ProjectPageQuerySet":
        """Each project's cover with the renditions of `rendition_set` (`attach_covers`); with
        `rows`, as a `CoverRow` under ProjectPage.listed_cover() (what the REST API shows)."""
        clone = self._chain()
        clone._covers = rendition_set
        clone._cover_rows = rows
        return clone

    def for_listing(
        self, rendition_set: str = "card", *, cover_rows: bool = False
    ) -> "ProjectPageQuerySet":
        """What a card shows, in a fixed number of queries: owner, category, tags, the cover
        with the renditions of `rendition_set` (see showcase.renditions; as rows with
        `cover_rows`), no StreamFields."""
        return (
            self.defer_streamfields()
            .select_related("category", "owner")
            .with_tags()
            .with_covers(rendition_set, rows=cover_rows)
        )


ProjectPageManager = PageManager.from_queryset(ProjectPageQuerySet)


# A page of a listing shows at most this many projects; a larger set reads through the ORM (no
# statement compiled per size).
_COMPILED_UP_TO = 100
_by_ids: dict[tuple[str, int], Select] = {}
_TAG_COLUMNS = ("id", "name", "slug")


def _rows_for(
    key: str, model, build: Callable[[list[int]], QuerySet], ids: list[int], *, rows: bool = False
) -> list:
    """The instances `build(ids)` loads (with `rows`, its `values_list` rows), through a
    statement compiled once per process for each number of ids (proctique.statements): a
    listing asks the same few sizes."""
    if len(ids) > _COMPILED_UP_TO:
        return list(build(ids))
    statement = _by_ids.get((key, len(ids)))
    if statement is None:

        def named(**values: int) -> QuerySet:
            return build(list(values.values()))

        named.__qualname__ = f"{key}[{len(ids)}]"
        statement = Select(model, named, **{f"id{n}": int for n in range(len(ids))})
        _by_ids[(key, len(ids))] = statement
    arguments = {f"id{n}": pk for n, pk in enumerate(ids)}
    return statement.rows(**arguments) if rows else statement.instances(**arguments)


def attach_tags(projects: list) -> None:
    """Each project's tags, by name, as a plain list under `LISTED_TAGS` (read through
    ProjectPage.listed_tags()), in one statement for them all; a tag on several projects is
    one instance.

    Not a prefetch: taggit's own `tags` prefetch builds a queryset per page, a prefetch into
    the `tagged_items` manager a clone per page (modelcluster's), and each compiles its query
    on every request. Rows, not join instances: the listing reads only the tags.
    """
    if not projects:
        return
    through = type(projects[0]).tags.through
    Tag = through.tag.field.related_model
    alias = router.db_for_read(Tag)

    def rows(ids: list[int]) -> QuerySet:
        return through.objects.filter(content_object_id__in=ids).values_list(
            "content_object_id", "tag_id", "tag__name", "tag__slug"
        )

    ids = list(dict.fromkeys(project.pk for project in projects))
    by_project: dict[int, list] = {pk: [] for pk in ids}
    tags: dict[int, object] = {}
    for project_id, tag_id, name, slug in _rows_for(
        f"tags:{through._meta.label}", through, rows, ids, rows=True
    ):
        tag = tags.get(tag_id)
        if tag is None:
            tag = tags[tag_id] = Tag.from_db(alias, _TAG_COLUMNS, (tag_id, name, slug))
        by_project[project_id].append(tag)
    for tagged in by_project.values():
        tagged.sort(key=lambda tag: tag.name)  # as listed_tags() sorts them
    for project in projects:
        setattr(project, LISTED_TAGS, by_project[project.pk])


def attach_covers(projects: list, rendition_set: str, *, rows: bool = False) -> None:
    """Each project's cover image, with its renditions of `rendition_set` (showcase.renditions)
    where Wagtail's `get_renditions()` looks for prefetched ones: two statements for them all,
    none when no project has a cover. With `rows`, `attach_cover_rows()`."""
    if rows:
        attach_cover_rows(projects, rendition_set)
        return
    ids = list(dict.fromkeys(p.cover_image_id for p in projects if p.cover_image_id))
    if not ids:
        return
    Image = get_image_model()
    Rendition = Image.get_rendition_model()
    specs = renditions.prefetch_specs(rendition_set)

    def images(image_ids: list[int]) -> QuerySet:
        return Image.objects.filter(pk__in=image_ids)

    def of_images(image_ids: list[int]) -> QuerySet:
        return Rendition.objects.filter(image_id__in=image_ids, filter_spec__in=specs)

    found = {image.pk: image for image in _rows_for("covers", Image, images, ids)}
    for image in found.values():
        image.prefetched_renditions = []
    for rendition in _rows_for(f"renditions:{rendition_set}", Rendition, of_images, ids):
        image = found[rendition.image_id]
        rendition.image = image
        image.prefetched_renditions.append(rendition)
    for project in projects:
        if project.cover_image_id:
            project.cover_image = found.get(project.cover_image_id)


@dataclass(frozen=True, slots=True)
class CoverRow:
    """A cover as an API shows it: the image's own fields, its file's URL and the URL of each
    rendition of one set by filter spec, read as rows (no Image or Rendition instance)."""

    pk: int
    title: str
    width: int
    height: int
    url: str
    rendition_urls: dict[str, str]


def attach_cover_rows(projects: list, rendition_set: str) -> None:
    """Each project's cover as a `CoverRow` under `LISTED_COVER`, in one statement for them all
    (the image left-joined to its renditions of the set).

    A rendition counts when its focal point key is the one Wagtail's filter gives the image
    (`Filter.get_cache_key`, as `find_existing_renditions()` matches prefetched ones). A cover
    missing one (the worker has not made it yet, or the rows are gone) is loaded as an image
    with its renditions prefetched (`attach_covers`), where `get_renditions()` makes what is
    missing in the database; the image alone would take a rendition the renditions cache still
    holds and make no row, and the list would read it this slow way on every request.
    Instances cost a listing of 24 a quarter of its time: two statements, two models'
    `__init__` and signals per cover, and Wagtail's lookup.
    """
    ids = list(dict.fromkeys(p.cover_image_id for p in projects if p.cover_image_id))
    if not ids:
        return
    Image = get_image_model()
    specs = renditions.prefetch_specs(rendition_set)
    filters = [renditions.filter_for(spec) for spec in specs]
    varying = list(
        dict.fromkeys(
            name
            for f in filters
            for operation in f.operations
            for name in getattr(operation, "vary_fields", ())
        )
    )
    columns = ("id", "title", "width", "height", "file", *varying)

    def rows(image_ids: list[int]) -> QuerySet:
        return (
            Image.objects.filter(pk__in=image_ids)
            .annotate(
                listed=FilteredRelation(
                    "renditions", condition=Q(renditions__filter_spec__in=specs)
                )
            )
            .values_list(*columns, "listed__filter_spec", "listed__focal_point_key", "listed__file")
        )

    first_varying, end = len(columns) - len(varying), len(columns)
    images: dict[int, tuple] = {}
    found: dict[int, dict[str, str]] = {}
    for row in _rows_for(f"cover_rows:{rendition_set}", Image, rows, ids, rows=True):
        pk = row[0]
        images[pk] = row
        matched = found.setdefault(pk, {})
        spec, key, file = row[end:]
        if spec is not None and key == _focal_key(spec, row[first_varying:end], varying):
            matched[spec] = file
    image_storage = Image._meta.get_field("file").storage
    rendition_storage = Image.get_rendition_model()._meta.get_field("file").storage
    covers = {}
    for pk, row in images.items():
        if len(found[pk]) < len(specs):
            continue
        covers[pk] = CoverRow(
            pk=pk,
            title=row[1],
            width=row[2],
            height=row[3],
            url=image_storage.url(row[4]),
            rendition_urls={spec: rendition_storage.url(found[pk][spec]) for spec in specs},
        )
    missing = []
    for project in projects:
        cover = covers.get(project.cover_image_id)
        if cover is not None:
            setattr(project, LISTED_COVER, cover)
        elif project.cover_image_id:
            missing.append(project)
    attach_covers(missing, rendition_set)


def _focal_key(spec: str, values: tuple, names: list[str]) -> str:
    """Wagtail's focal point key of `spec` for an image whose vary fields hold `values`."""
    image = SimpleNamespace(**dict(zip(names, values, strict=True)))
    return renditions.filter_for(spec).get_cache_key(image)


def attach_listed(projects: list, rendition_set: str, *, cover_rows: bool = False) -> None:
    """What `for_listing(rendition_set, cover_rows=...)` adds to the projects it loads beyond
    its joins: their tags and covers."""
    attach_tags(projects)
    attach_covers(projects, rendition_set, rows=cover_rows)


def loaded(project, *, discoverable: bool, makers_for: int | None) -> None:
    """What a project loaded by a queryset knows of itself (see `_discoverable`,
    `knowing_makers`)."""
    if discoverable:
        project.found_discoverable = True
    if makers_for is not None:
        remember_makes(project, makers_for, project.comade_by_caller)
