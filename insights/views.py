"""The beacon that counts a visit, and the outbound redirect that counts a click."""

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from insights import counting, figures
from proctique.api.base import ID
from showcase.models import ProjectPage


def _makers_or_admin(request, project) -> bool:
    return figures.may_see(project, request.user)


# A beacon carries no CSRF token (navigator.sendBeacon cannot add headers) and changes nothing
# but an anonymous counter.
@csrf_exempt
@never_cache
@require_POST
def view_beacon(request: HttpRequest) -> HttpResponse:
    """`POST /insights/view/` with `project=<id>`: count one visit (always answers 204)."""
    raw = request.POST.get("project", "")
    if ID.fullmatch(raw) and counting.counted(request):
        project = ProjectPage.objects.discoverable().filter(pk=int(raw)).first()
        if project is not None and not _makers_or_admin(request, project):
            counting.count_visit(request, project.pk)
    return HttpResponse(status=204)


@never_cache
@require_GET
def outbound(request: HttpRequest, project_id: int, kind: str) -> HttpResponse:
    """`/go/<project>/<repository|demo|website>/`: count the click, go to the project's link."""
    project = get_object_or_404(ProjectPage.objects.discoverable(), pk=project_id)
    url = getattr(project, f"{kind}_url", "") if kind in counting.CLICK_KINDS else ""
    if not url:
        return HttpResponse(status=404)
    if counting.counted(request) and not _makers_or_admin(request, project):
        counting.count_click(project.pk, kind)
    return HttpResponseRedirect(url)
