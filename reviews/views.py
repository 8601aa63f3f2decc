"""Web views for reviews: thin wrappers that validate a form and call reviews.services.

Every write is a POST followed by a redirect back to the project page (POST-redirect-GET).
A rejected review re-renders the project page with the bound form and status 400.
Helpful votes and reports also answer JSON when the request asks for it (`Accept:
application/json`, as static/js/reviews.js sends), so the page updates without a reload; the
rules stay in reviews.services either way.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_http_methods, require_POST

from reviews import services
from reviews.forms import ReplyForm, ReportForm, ReviewForm, apply_errors
from reviews.models import HelpfulVote, Review, ReviewReply
from showcase.models import ProjectPage


def _projects():
    return ProjectPage.objects.discoverable()


def _back_to(project, request, anchor: str = "reviews") -> HttpResponseRedirect:
    return HttpResponseRedirect(f"{project.get_url(request)}#{anchor}")


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _json_errors(errors: dict[str, list[str]], status: int) -> JsonResponse:
    return JsonResponse({"errors": errors}, status=status)


def _review(pk: int) -> Review:
    """A review of a discoverable project (the services check who may do what with it)."""
    return get_object_or_404(
        Review.objects.select_related("project", "author"),
        pk=pk,
        project__in=_projects().values("pk"),
    )


@login_required
@require_POST
def submit(request, project_id: int):
    project = get_object_or_404(_projects(), pk=project_id)
    form = ReviewForm(request.POST, instance=Review(project=project, author=request.user))
    if form.is_valid():
        try:
            review = services.review_submit(
                author=request.user, project=project, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "Thank you: your review is published.")
            return _back_to(project, request, f"review-{review.pk}")
    request.review_form = form
    response = project.serve(request)
    response.status_code = 400
    return response


@login_required
@require_http_methods(["GET", "POST"])
def edit(request, pk: int):
    review = _review(pk)
    if not services.can_manage(review, request.user):
        raise PermissionDenied
    status = 200
    if request.method == "POST":
        form = ReviewForm(
            request.POST, instance=Review(project=review.project, author=review.author)
        )
        if form.is_valid():
            try:
                services.review_update(review=review, actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, "Your review is updated.")
                return _back_to(review.project, request, f"review-{review.pk}")
        status = 400
    else:
        form = ReviewForm.for_review(review)
    context = {"form": form, "review": review, "project": review.project}
    return render(request, "reviews/review_edit.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def delete(request, pk: int):
    review = _review(pk)
    if not services.can_manage(review, request.user):
        raise PermissionDenied
    if request.method == "POST":
        project = review.project
        services.review_delete(review=review, actor=request.user)
        messages.success(request, "The review is deleted.")
        return _back_to(project, request)
    context = {"review": review, "project": review.project}
    return render(request, "reviews/review_confirm_delete.html", context)


REPORTED = "Thank you: a moderator will look at your report."


def _messages(form) -> dict[str, list[str]]:
    return {field: [str(e) for e in errors] for field, errors in form.errors.items()}


def _report(request, target, project, template_context: dict):
    status = 200
    if request.method == "POST":
        form = ReportForm(request.POST)
        if form.is_valid():
            try:
                services.report_create(reporter=request.user, target=target, **form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                if _wants_json(request):
                    return JsonResponse({"reported": True, "message": REPORTED})
                messages.success(request, REPORTED)
                # Where the confirmation shows: the reported review (with its "Reported" mark),
                # or the top of the project page, beside the message.
                if isinstance(target, Review):
                    return _back_to(project, request, f"review-{target.pk}")
                return HttpResponseRedirect(project.get_url(request))
        if _wants_json(request):
            return _json_errors(_messages(form), 400)
        status = 400
    else:
        form = ReportForm()
    context = {"form": form, "project": project, **template_context}
    return render(request, "reviews/report_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def report_review(request, pk: int):
    review = _review(pk)
    if not review.is_visible:
        raise PermissionDenied
    return _report(request, review, review.project, {"review": review})


@login_required
@require_http_methods(["GET", "POST"])
def report_project(request, project_id: int):
    project = get_object_or_404(_projects(), pk=project_id)
    return _report(request, project, project, {"review": None})


@login_required
@require_POST
def helpful(request, pk: int):
    review = _review(pk)
    try:
        if request.POST.get("action") == "unmark":
            services.helpful_unmark(review=review, user=request.user)
        else:
            services.helpful_mark(review=review, user=request.user)
    except PermissionDenied as exc:
        if _wants_json(request):
            return _json_errors({"__all__": [str(exc)]}, 403)
        raise
    except ValidationError as exc:
        if _wants_json(request):
            return _json_errors({"__all__": exc.messages}, 400)
        for message in exc.messages:
            messages.error(request, message)
    if _wants_json(request):
        votes = HelpfulVote.objects.filter(review=review)
        return JsonResponse(
            {
                "helpful": votes.filter(user=request.user).exists(),
                "helpful_count": votes.count(),
            }
        )
    return _back_to(review.project, request, f"review-{review.pk}")


@login_required
@require_http_methods(["GET", "POST"])
def reply(request, pk: int):
    review = _review(pk)
    if review.project.owner_id != request.user.pk:
        raise PermissionDenied
    existing = ReviewReply.objects.filter(review=review).first()
    status = 200
    if request.method == "POST":
        form = ReplyForm(request.POST)
        if form.is_valid():
            try:
                services.reply_set(review=review, actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, "Your reply is published.")
                return _back_to(review.project, request, f"review-{review.pk}")
        status = 400
    else:
        form = ReplyForm(initial={"body": existing.body} if existing else None)
    context = {"form": form, "review": review, "project": review.project, "reply": existing}
    return render(request, "reviews/reply_form.html", context, status=status)


@login_required
@require_POST
def reply_delete(request, pk: int):
    review = _review(pk)
    services.reply_delete(review=review, actor=request.user)
    messages.success(request, "The reply is removed.")
    return _back_to(review.project, request, f"review-{review.pk}")
