"""Views of the showcase beside Wagtail's page routing: author profiles, co-maker invitations,
robots.txt."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Avg, Count, Q
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from proctique.text import CONTROL_CHARACTERS, single_line
from showcase import members
from showcase.models import ProjectMember, ProjectPage
from showcase.search import MAX_QUERY_LENGTH, suggestions

PROFILE_PAGE_SIZE = 12


AUTHOR_SORTS = {
    "projects": ("Most projects", ("-project_count", "username")),
    "rating": ("Best rated", ("-average_rating", "-project_count", "username")),
    "newest": ("Newest", ("-date_joined", "username")),
}
DIRECTORY_PAGE_SIZE = 24


def makers():
    """Active people with at least one discoverable project they own, with their figures."""
    shown = ProjectPage.objects.discoverable()
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .annotate(
            project_count=Count("owned_pages", filter=Q(owned_pages__in=shown), distinct=True),
            average_rating=Avg(
                "owned_pages__projectpage__rating_average",
                filter=Q(owned_pages__in=shown, owned_pages__projectpage__review_count__gt=0),
            ),
        )
        .filter(project_count__gt=0)
    )


@require_GET
def author_directory(request: HttpRequest) -> HttpResponse:
    """/authors/: the makers, searchable by name, sorted by projects, rating or joining."""
    q = single_line(request.GET.get("q", ""))[:100]  # no NUL byte reaches PostgreSQL
    sort = request.GET.get("sort", "projects")
    if sort not in AUTHOR_SORTS:
        sort = "projects"
    people = makers()
    if q:
        people = people.filter(
            Q(username__icontains=q) | Q(display_name__icontains=q) | Q(bio__icontains=q)
        )
    people = people.order_by(*AUTHOR_SORTS[sort][1])
    page_obj = Paginator(people, DIRECTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "people": list(page_obj),
        "page_obj": page_obj,
        "q": q,
        "sort": sort,
        "sorts": [(key, label) for key, (label, _) in AUTHOR_SORTS.items()],
    }
    return render(request, "showcase/author_directory.html", context)


@require_GET
def author_profile(request: HttpRequest, username: str) -> HttpResponse:
    """A person's public profile: avatar, bio, links, projects with covers, their reviews."""
    author = get_object_or_404(get_user_model(), username__iexact=username, is_active=True)
    projects = (
        ProjectPage.objects.discoverable()
        .filter(Q(owner=author) | Q(members__user=author, members__status="active"))
        .distinct()
        .for_listing()
        .order_by("-first_published_at", "-pk")
    )
    page_obj = Paginator(projects, PROFILE_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "showcase/author_profile.html",
        {"author": author, "page_obj": page_obj, "projects": list(page_obj)},
    )


@require_GET
def search_suggestions(request: HttpRequest) -> JsonResponse:
    """A few best matches for the header search box (prefix and typo tolerant), as JSON."""
    q = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    if len(q) < 2 or CONTROL_CHARACTERS.search(q):
        return JsonResponse({"q": q, "results": []})
    found = suggestions(ProjectPage.objects.discoverable().defer_streamfields(), q)
    results = [{"title": p.title, "tagline": p.tagline, "url": p.get_url(request)} for p in found]
    return JsonResponse({"q": q, "results": results})


@require_GET
def robots_txt(request: HttpRequest) -> HttpResponse:
    """Crawlers may index the public site, not the admin, the API or account pages."""
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /api/",
        "Disallow: /accounts/",
        "Disallow: /reviews/",
        "Allow: /",
        "",
        f"Sitemap: {settings.SITE_URL}/sitemap.xml",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


@login_required
@require_http_methods(["GET", "POST"])
def project_invitations(request: HttpRequest) -> HttpResponse:
    """The signed-in user's co-maker invitations: accept or decline each."""
    pending = ProjectMember.objects.select_related("project", "invited_by").filter(
        user=request.user, status=ProjectMember.Status.INVITED
    )
    if request.method == "POST":
        membership = get_object_or_404(pending, pk=request.POST.get("invitation"))
        if request.POST.get("answer") == "accept":
            members.member_accept(membership=membership, user=request.user)
            messages.success(request, f"You now co-make {membership.project.title}.")
        else:
            members.member_remove(membership=membership, by=request.user)
            messages.info(request, f"You declined {membership.project.title}.")
        return redirect("project_invitations")
    return render(request, "showcase/invitations.html", {"invitations": list(pending)})
