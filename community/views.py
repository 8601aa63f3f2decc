"""Web views for upvotes and collections: thin wrappers over community.services.

Every write is a POST followed by a redirect (POST-redirect-GET). The upvote view also answers
JSON when the request asks for it (static/js/upvote.js), so the button toggles without a reload
and works the same without JavaScript.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_http_methods, require_POST

from community import services, trending
from community.forms import CollectionForm, SaveToCollectionForm
from community.models import Collection, CollectionItem
from community.throttling import upvote_allowed
from reviews.forms import apply_errors
from showcase.models import ProjectPage

RATE_LIMITED = "You have upvoted too often recently. Try again later."


def _project(project_id: int) -> ProjectPage:
    return get_object_or_404(ProjectPage.objects.discoverable(), pk=project_id)


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _back_to(project, request, anchor: str) -> HttpResponseRedirect:
    return HttpResponseRedirect(f"{project.get_url(request)}#{anchor}")


@require_POST
def upvote(request, project_id: int):
    project = _project(project_id)
    as_json = _wants_json(request)
    if not request.user.is_authenticated:
        if as_json:
            return JsonResponse({"message": "Sign in first."}, status=401)
        return HttpResponseRedirect(f"/accounts/login/?next={project.get_url(request)}")
    try:
        services.check_may_upvote(request.user, project)
    except PermissionDenied as exc:
        if as_json:
            return JsonResponse({"message": str(exc)}, status=403)
        raise
    if not upvote_allowed(request):
        if as_json:
            return JsonResponse({"message": RATE_LIMITED}, status=429)
        messages.error(request, RATE_LIMITED)
        return _back_to(project, request, "upvote")
    wanted = request.POST.get("state")
    if wanted in ("on", "off"):
        state, count = services.upvote_set(user=request.user, project=project, on=wanted == "on")
    else:
        state = services.upvote_toggle(user=request.user, project=project)
        count = ProjectPage.objects.filter(pk=project.pk).values_list("upvote_count", flat=True)[0]
    if as_json:
        return JsonResponse({"upvoted": state, "upvote_count": count})
    return _back_to(project, request, "upvote")


def _items(collection: Collection) -> list[CollectionItem]:
    """The collection's items whose projects are discoverable, each with what a card shows."""
    shown = ProjectPage.objects.discoverable()
    items = (
        collection.items.filter(project__in=shown.values("pk"))
        .prefetch_related(Prefetch("project", queryset=ProjectPage.objects.for_listing()))
        .order_by("position", "pk")
    )
    return list(items)


@login_required
@require_http_methods(["GET", "POST"])
def my_collections(request):
    status = 200
    form = CollectionForm()
    if request.method == "POST":
        form = CollectionForm(request.POST, instance=Collection(owner=request.user))
        if form.is_valid():
            try:
                collection = services.collection_create(
                    owner=request.user, **{k: form.cleaned_data[k] for k in form.Meta.fields}
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, "Your collection is created.")
                return HttpResponseRedirect(collection.get_absolute_url())
        status = 400
    collections = Collection.objects.filter(owner=request.user).order_by("title")
    return render(
        request,
        "community/my_collections.html",
        {"collections": list(collections), "form": form},
        status=status,
    )


def collection_detail(request, pk: int):
    collection = get_object_or_404(
        Collection.objects.visible_to(request.user).select_related("owner"), pk=pk
    )
    context = {
        "collection": collection,
        "items": _items(collection),
        "is_owner": request.user.is_authenticated and collection.owner_id == request.user.pk,
    }
    return render(request, "community/collection.html", context)


def _own_collection(request, pk: int) -> Collection:
    """A collection the caller may see (others' private ones are a 404); the services decide
    whether the caller may change it."""
    return get_object_or_404(Collection.objects.visible_to(request.user), pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def collection_edit(request, pk: int):
    collection = _own_collection(request, pk)
    if collection.owner_id != request.user.pk:
        raise PermissionDenied
    status = 200
    if request.method == "POST":
        # A copy: a rejected edit must not change the collection shown beside the form.
        form = CollectionForm(
            request.POST, instance=Collection(pk=collection.pk, owner_id=collection.owner_id)
        )
        if form.is_valid():
            try:
                services.collection_update(
                    collection=collection, actor=request.user, **form.cleaned_data
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, "Your collection is updated.")
                return HttpResponseRedirect(collection.get_absolute_url())
        status = 400
    else:
        form = CollectionForm(instance=collection)
    return render(
        request,
        "community/collection_edit.html",
        {"collection": collection, "form": form},
        status=status,
    )


@login_required
@require_POST
def collection_delete(request, pk: int):
    collection = _own_collection(request, pk)
    services.collection_delete(collection=collection, actor=request.user)
    messages.success(request, "The collection is deleted.")
    return HttpResponseRedirect("/collections/")


@login_required
@require_POST
def collection_remove(request, pk: int, project_id: int):
    collection = _own_collection(request, pk)
    project = get_object_or_404(ProjectPage, pk=project_id)
    services.collection_remove(collection=collection, actor=request.user, project=project)
    messages.success(request, "The project is removed from the collection.")
    return HttpResponseRedirect(collection.get_absolute_url())


@login_required
@require_POST
def collection_save(request, project_id: int):
    """Save a project to one of the caller's collections (or a new one), then go back."""
    project = _project(project_id)
    form = SaveToCollectionForm(request.POST, owner=request.user)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return _back_to(project, request, "collections")
    try:
        collection = form.cleaned_data["collection"] or services.collection_create(
            owner=request.user, title=form.cleaned_data["new_title"]
        )
        services.collection_add(
            collection=collection,
            actor=request.user,
            project=project,
            note=form.cleaned_data["note"],
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, f"Saved to “{collection.title}”.")
    return _back_to(project, request, "collections")


def ranking(request):
    """How ranking works: the trending rule, rendered from the constants the code uses."""
    return render(request, "community/ranking.html", {"rule": trending.constants()})
