"""What the project page shows of its reviews (summary, list, form)."""

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest
from django.urls import reverse

from reviews.forms import ReviewForm
from reviews.models import HelpfulVote, Review

PER_PAGE = 10
SORTS = {
    "newest": ("Newest", ["-created_at", "-id"]),
    "helpful": ("Most helpful", ["-helpful_total", "-created_at", "-id"]),
}


class _KnownCountPaginator(Paginator):
    """The summary query already counted the visible reviews; do not count them again."""

    def __init__(self, *args, count: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.__dict__["count"] = count


def _summary(project) -> dict:
    counts = (
        Review.objects.visible()
        .filter(project=project)
        .aggregate(
            total=Count("id"), **{f"r{n}": Count("id", filter=Q(rating=n)) for n in range(1, 6)}
        )
    )
    total = counts["total"]
    distribution = [
        {
            "stars": n,
            "count": counts[f"r{n}"],
            "percent": round(100 * counts[f"r{n}"] / total) if total else 0,
        }
        for n in range(5, 0, -1)
    ]
    return {"total": total, "distribution": distribution}


def login_to_review_url(project, request) -> str:
    return (
        reverse("account_login")
        + "?"
        + urlencode({"next": f"{project.get_url(request)}#review-form"})
    )


def project_reviews_context(project, request: HttpRequest) -> dict:
    """Template context for `reviews/includes/project_reviews.html`."""
    summary = _summary(project)
    sort = request.GET.get("reviews_sort")
    if sort not in SORTS:
        sort = "newest"
    queryset = (
        Review.objects.visible()
        .filter(project=project)
        .select_related("author", "reply")
        .with_helpful_count()
        .order_by(*SORTS[sort][1])
    )
    paginator = _KnownCountPaginator(queryset, PER_PAGE, count=summary["total"])
    page_obj = paginator.get_page(request.GET.get("reviews_page"))
    reviews = list(page_obj.object_list)

    user = request.user
    signed_in = user.is_authenticated
    is_owner = signed_in and project.owner_id == user.pk
    own_review = None
    voted: set[int] = set()
    if signed_in:
        own_review = Review.objects.filter(project=project, author=user).first()
        others = [r.pk for r in reviews if r.author_id != user.pk]
        if others:
            voted = set(
                HelpfulVote.objects.filter(user=user, review_id__in=others).values_list(
                    "review_id", flat=True
                )
            )
    for review in reviews:
        review.marked_helpful = review.pk in voted
        review.is_own = signed_in and review.author_id == user.pk

    form = getattr(request, "review_form", None)
    if form is None and signed_in and not is_owner and own_review is None:
        form = ReviewForm()

    base_query = {k: v for k, v in request.GET.items() if k not in ("reviews_page",)}
    return {
        "review_section": {
            "average": project.rating_average,
            "count": summary["total"],
            "distribution": summary["distribution"],
            "reviews": reviews,
            "page_obj": page_obj,
            "sort": sort,
            "sorts": [(key, label) for key, (label, _) in SORTS.items()],
            "page_query": urlencode(base_query),
            "signed_in": signed_in,
            "is_owner": is_owner,
            "own_review": own_review,
            "form": form,
            "login_url": login_to_review_url(project, request),
            "submit_url": reverse("reviews:submit", args=[project.pk]),
            "report_project_url": reverse("reviews:report_project", args=[project.pk]),
        }
    }
