"""Co-makers: the owner invites people by username or email; once they accept they edit and
publish the project like the owner (showcase.permissions). Only the owner, or an admin,
invites, removes, transfers or deletes. Every route (admin, web, API) calls these functions.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from proctique import versions
from showcase import events
from showcase.models import ProjectMember, ProjectPage
from showcase.permissions import manages_all_projects
from showcase.services import projects_index

NON_FIELD = "__all__"


def _require_holder(project: ProjectPage, user) -> None:
    if not (user.is_authenticated and (project.owner_id == user.pk or manages_all_projects(user))):
        raise PermissionDenied("Only the project's owner manages its co-makers.")


def find_person(who: str):
    """The active account named by a username or an email address, or a field error."""
    who = (who or "").strip()
    person = (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(username__iexact=who) | Q(email__iexact=who))
        .first()
        if who
        else None
    )
    if person is None:
        raise ValidationError({"user": ["No account has that username or email address."]})
    return person


def member_invite(*, project: ProjectPage, by, who: str) -> ProjectMember:
    """Invite someone to co-make `project`; they get an email and accept or decline."""
    _require_holder(project, by)
    person = find_person(who)
    if person.pk == project.owner_id:
        raise ValidationError({"user": ["The owner already makes this project."]})
    duplicate = ValidationError({"user": ["This person is already invited or a co-maker."]})
    if ProjectMember.objects.filter(project=project, user=person).exists():
        raise duplicate
    try:
        with transaction.atomic():
            membership = ProjectMember.objects.create(project=project, user=person, invited_by=by)
            events.member_invited.send(sender=ProjectMember, membership=membership)
    except IntegrityError as exc:
        raise duplicate from exc
    return membership


def member_accept(*, membership: ProjectMember, user) -> ProjectMember:
    """The invitee accepts: they co-make the project from now on."""
    if membership.user_id != user.pk:
        raise PermissionDenied("This invitation is someone else's.")
    if membership.status != ProjectMember.Status.INVITED:
        raise ValidationError({NON_FIELD: ["This invitation was already accepted."]})
    with transaction.atomic():
        membership.status, membership.accepted_at = ProjectMember.Status.ACTIVE, timezone.now()
        membership.save(update_fields=["status", "accepted_at"])
        versions.changed()  # the project page names its makers
    return membership


def member_remove(*, membership: ProjectMember, by) -> None:
    """Remove a co-maker or an invitation (the owner, an admin, or the member leaving)."""
    if membership.user_id != by.pk:
        _require_holder(membership.project, by)
    with transaction.atomic():
        membership.delete()
        versions.changed()


def project_transfer(*, project: ProjectPage, by, who: str) -> ProjectPage:
    """Give the project to another author; the previous owner stays on as a co-maker."""
    _require_holder(project, by)
    person = find_person(who)
    if person.pk == project.owner_id:
        raise ValidationError({"user": ["This person already owns the project."]})
    if not projects_index().permissions_for_user(person).can_add_subpage():
        raise ValidationError({"user": ["Projects can only be given to authors."]})
    previous = project.owner
    with transaction.atomic():
        ProjectMember.objects.filter(project=project, user=person).delete()
        ProjectPage.objects.filter(pk=project.pk).update(owner=person)
        if previous is not None:
            ProjectMember.objects.create(
                project=project,
                user=previous,
                invited_by=by,
                status=ProjectMember.Status.ACTIVE,
                accepted_at=timezone.now(),
            )
        versions.changed()
    project.owner = person
    return project
