"""What a project listing's URL parameters mean, for the web index and the REST API alike.

`?q=` full-text search, `?category=<slug>`, `?tag=<slug>`,
`?sort=relevance|newest|trending|top|reviews`
(relevance only with a query; the default is relevance with `q`, newest without). Pagination
(`?page=`) is the caller's: 24 projects a page everywhere.
"""

import django_filters

from django import forms
from django.db.models import QuerySet

from proctique import versions
from proctique.text import reject_control_characters
from showcase.models.category import Category
from showcase.search import MAX_QUERY_LENGTH, search_projects


def categories() -> list[Category]:
    """Every category, read once per content version (each category change bumps it)."""
    return versions.memoised("showcase.categories", lambda: list(Category.objects.order_by("name")))


PAGE_SIZE = 24
RELEVANCE = "relevance"
# trending_score is recomputed periodically (see the /ranking/ page); ties go to the better rated.
# The score sorts break ties on the project's own columns, newest project first, so each reads
# one index of showcase_projectpage in order (ProjectPage.Meta.indexes) and stops after a page:
# scores tie in the thousands on a large site, and a tie-break in wagtailcore_page would sort
# every tied row.
TRENDING_ORDER = ("-trending_score", "-rating_score", "-pk")
SORTS: dict[str, tuple[str, tuple[str, ...]]] = {
    "newest": ("Newest", ("-first_published_at", "-pk")),
    "trending": ("Trending", TRENDING_ORDER),
    "top": ("Top rated", ("-rating_score", "-review_count", "-pk")),
    "reviews": ("Most reviewed", ("-review_count", "-rating_score", "-pk")),
}
SORT_CHOICES = [(RELEVANCE, "Best match"), *((key, label) for key, (label, _) in SORTS.items())]


def sorted_by(queryset: QuerySet, sort: str) -> QuerySet:
    """`queryset` in the order `?sort=` names (relevance: as the search ranked it)."""
    if sort == RELEVANCE:
        return queryset
    return queryset.order_by(*SORTS[sort][1])


class ProjectFilterForm(forms.Form):
    def clean(self):
        data = super().clean()
        if not data.get("sort"):
            data["sort"] = RELEVANCE if data.get("q") else "newest"
        elif data["sort"] == RELEVANCE and not data.get("q"):
            data["sort"] = "newest"
        return data


class ProjectFilterSet(django_filters.FilterSet):
    """One description of a project listing's parameters; the web form is rendered from it."""

    q = django_filters.CharFilter(
        label="Search",
        method="filter_q",
        max_length=MAX_QUERY_LENGTH,
        validators=[reject_control_characters],
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": "Title, tagline, description or tag"}
        ),
    )
    category = django_filters.ChoiceFilter(
        label="Category",
        choices=lambda: [(c.slug, c.name) for c in categories()],
        field_name="category__slug",
        empty_label="All categories",
    )
    tag = django_filters.CharFilter(
        label="Tag",
        field_name="tags__slug",
        max_length=100,
        validators=[reject_control_characters],
        widget=forms.TextInput(attrs={"list": "tag-options", "autocomplete": "off"}),
    )
    sort = django_filters.ChoiceFilter(
        label="Sort by", choices=SORT_CHOICES, method="filter_sort", empty_label=None
    )

    class Meta:
        form = ProjectFilterForm
        fields: list[str] = []

    # django-filter builds a form class per filterset, from fields no request changes (the
    # category choices are a callable, read when the form validates or renders); each form
    # copies its fields all the same.
    _form_class: type[forms.Form] | None = None

    def get_form_class(self) -> type[forms.Form]:
        cls = type(self)
        if cls.__dict__.get("_form_class") is None:
            cls._form_class = super().get_form_class()
        return cls._form_class

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        return search_projects(queryset, value, ranked=self.form.cleaned_data["sort"] == RELEVANCE)

    def filter_sort(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return sorted_by(queryset, value)

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        queryset = super().filter_queryset(queryset)
        if "sort" not in self.form.data or not self.form.data.get("sort"):
            # An absent sort still orders the listing (ChoiceFilter skips empty values).
            queryset = self.filter_sort(queryset, "sort", self.form.cleaned_data["sort"])
        return queryset

    @property
    def chosen_category(self) -> Category | None:
        """The chosen category (for headings and links)."""
        slug = self.form.cleaned_data.get("category") if self.is_valid() else None
        return next((c for c in categories() if c.slug == slug), None) if slug else None

    @property
    def active(self) -> bool:
        data = self.form.cleaned_data if self.is_bound and self.is_valid() else {}
        return bool(data.get("q") or data.get("category") or data.get("tag"))
