"""What the project page shows of its reviews (summary, list, form), for the
`{% project_reviews %}` tag the project page template loads."""

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django.urls import reverse

from reviews.forms import ReviewForm
from reviews.models import HelpfulVote, Report, Review
from showcase.models import ProjectMember

PER_PAGE = 10
SORTS = {
    "newest": ("Newest", ["-created_at", "-id"]),
    "helpful": ("Most helpful", ["-helpful_total", "-created_at", "-id"]),
}


class _KnownCountPaginator(Paginator):
    """The project row stores its visible review count (kept exact in every review write)."""

    def __init__(self, *args, count: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.__dict__["count"] = count


def _count_of(queryset):
    """A scalar subquery counting `queryset`'s rows (uncorrelated: Postgres runs it once)."""
    counted = queryset.order_by().values("project_id").annotate(n=Count("id")).values("n")
    return Coalesce(Subquery(counted), 0)


def _distribution(counts: dict) -> tuple[int, list[dict]]:
    total = sum(counts.get(n, 0) for n in range(1, 6))
    rows = [
        {
            "stars": n,
            "count": counts.get(n, 0),
            "percent": round(100 * counts.get(n, 0) / total) if total else 0,
        }
        for n in range(5, 0, -1)
    ]
    return total, rows


def login_to_review_url(project, request) -> str:
    return (
        reverse("account_login")
        + "?"
        + urlencode({"next": f"{project.get_url(request)}#review-form"})
    )


def review_section(project, request: HttpRequest) -> dict:
    """The review section's values: summary, one page of reviews, the viewer's own review.

    One query renders the list: the page of reviews carries the rating distribution, the
    viewer's own review and their helpful marks as annotations.
    """
    sort = request.GET.get("reviews_sort")
    if sort not in SORTS:
        sort = "newest"
    user = request.user
    signed_in = user.is_authenticated
    is_owner = signed_in and project.owner_id == user.pk
    visible = Review.objects.visible().filter(project_id=project.pk)
    helpful_counts = (
        HelpfulVote.objects.filter(review=OuterRef("pk"))
        .order_by()
        .values("review_id")
        .annotate(n=Count("id"))
        .values("n")
    )
    annotations = {f"dist_{n}": _count_of(visible.filter(rating=n)) for n in range(1, 6)}
    annotations["helpful_total"] = Coalesce(Subquery(helpful_counts), 0)
    if signed_in:
        mine = Review.objects.filter(project_id=project.pk, author_id=user.pk)
        annotations["own_review_id"] = Subquery(mine.values("pk")[:1])
        annotations["own_review_status"] = Subquery(mine.values("status")[:1])
        annotations["marked_helpful"] = Exists(
            HelpfulVote.objects.filter(review=OuterRef("pk"), user_id=user.pk)
        )
        # Co-makers too (services.makes): no helpful button where the vote would be refused.
        annotations["viewer_makes"] = Exists(
            ProjectMember.objects.filter(
                project_id=project.pk, user_id=user.pk, status=ProjectMember.Status.ACTIVE
            )
        )
        annotations["reported"] = Exists(
            Report.objects.open().filter(review=OuterRef("pk"), reporter_id=user.pk)
        )
    queryset = (
        visible.select_related("author", "reply__author")
        .annotate(**annotations)
        .order_by(*SORTS[sort][1])
    )
    paginator = _KnownCountPaginator(queryset, PER_PAGE, count=project.review_count)
    page_obj = paginator.get_page(request.GET.get("reviews_page"))
    reviews = list(page_obj.object_list)

    own_review = None
    if reviews:
        first = reviews[0]
        total, distribution = _distribution({n: getattr(first, f"dist_{n}") for n in range(1, 6)})
        if signed_in and first.own_review_id:
            own_review = {
                "pk": first.own_review_id,
                "is_visible": first.own_review_status == Review.Status.VISIBLE,
            }
    else:
        total, distribution = _distribution({})
        if signed_in:
            row = (
                Review.objects.filter(project_id=project.pk, author_id=user.pk)
                .values("pk", "status")
                .first()
            )
            if row:
                own_review = {
                    "pk": row["pk"],
                    "is_visible": row["status"] == Review.Status.VISIBLE,
                }
    # Only the list's helpful buttons depend on it, so the first row's annotation is enough.
    makes_project = is_owner or bool(signed_in and reviews and reviews[0].viewer_makes)
    for review in reviews:
        review.is_own = signed_in and review.author_id == user.pk
        if not signed_in:
            review.marked_helpful = review.reported = False

    form = getattr(request, "review_form", None)
    show_form = form is not None or (signed_in and not is_owner and own_review is None)
    if form is None and show_form:
        form = ReviewForm()

    # Only this section's own parameter: links never carry other query parameters along.
    base_query = {"reviews_sort": sort} if sort != "newest" else {}
    return {
        "average": project.rating_average,
        "count": total,
        "distribution": distribution,
        "reviews": reviews,
        "page_obj": page_obj,
        "sort": sort,
        "sorts": [(key, label) for key, (label, _) in SORTS.items()],
        "page_query": urlencode(base_query),
        "signed_in": signed_in,
        "is_owner": is_owner,
        "makes_project": makes_project,
        "own_review": own_review,
        "show_form": show_form,
        "form": form,
        "login_url": login_to_review_url(project, request),
        "submit_url": reverse("reviews:submit", args=[project.pk]),
        "report_project_url": reverse("reviews:report_project", args=[project.pk]),
    }
