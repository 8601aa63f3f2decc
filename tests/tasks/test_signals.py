"""project_published is emitted when a project goes live, never for edits of a live page."""

from datetime import timedelta

import pytest

from django.contrib.auth.models import Group
from django.utils import timezone

from wagtail.models import GroupApprovalTask, Workflow, WorkflowTask

from accounts.models import MODERATORS_GROUP
from showcase.factories import ProjectPageFactory
from tasks.models import EmailEvent

pytestmark = pytest.mark.django_db


def _published_events(page):
    return list(EmailEvent.objects.filter(kind="project_published", refs__project_id=page.pk))


def _publish_new_revision(page, user, **changes):
    page = page.specific_class.objects.get(pk=page.pk)
    for name, value in changes.items():
        setattr(page, name, value)
    revision = page.save_revision(user=user)
    revision.publish(user=user, skip_permission_checks=True)
    return page


def test_first_publish_emits_once(project_index, author):
    draft = ProjectPageFactory(owner=author, live=False)
    assert _published_events(draft) == []
    _publish_new_revision(draft, author)
    [event] = _published_events(draft)
    assert (event.recipient, event.status) == (author, "pending")


def test_edits_of_a_live_page_emit_nothing(project, author):
    assert len(_published_events(project)) == 1  # its first publish
    _publish_new_revision(project, author, tagline="Sharper tagline")
    _publish_new_revision(project, author, title="Renamed")
    assert len(_published_events(project)) == 1


def test_republish_after_unpublish_emits_again(project, author):
    project.unpublish(user=author)
    assert len(_published_events(project)) == 1
    _publish_new_revision(project, author)
    assert len(_published_events(project)) == 2
    _publish_new_revision(project, author, tagline="Edit after re-publish")
    assert len(_published_events(project)) == 2


def test_workflow_approval_emits_when_the_page_goes_live(project_index, author):
    moderators, _ = Group.objects.get_or_create(name=MODERATORS_GROUP)
    from accounts.factories import ModeratorFactory

    moderator = ModeratorFactory()
    task = GroupApprovalTask.objects.create(name="Moderator approval")
    task.groups.set([moderators])
    workflow = Workflow.objects.create(name="Review before publish")
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)

    draft = ProjectPageFactory(owner=author, live=False)
    draft.save_revision(user=author)
    state = workflow.start(draft, author)
    assert _published_events(draft) == []
    state.current_task_state.approve(user=moderator)
    draft.refresh_from_db()
    assert draft.live
    [event] = _published_events(draft)
    assert event.recipient == author


def test_publish_scheduled_for_later_waits_until_the_page_goes_live(project_index, author):
    draft = ProjectPageFactory(owner=author, live=False)
    draft = _publish_new_revision(draft, author, go_live_at=timezone.now() + timedelta(days=1))
    draft.refresh_from_db()
    assert not draft.live and _published_events(draft) == []
    # What `manage.py publish_scheduled` does once go_live_at has passed:
    revision = draft.latest_revision
    revision.content["go_live_at"] = (timezone.now() - timedelta(seconds=1)).isoformat()
    revision.save(update_fields=["content"])
    revision.publish(skip_permission_checks=True)
    assert len(_published_events(draft)) == 1


def test_emit_happens_in_the_publish_transaction_with_redis_down(
    project_index, author, dead_redis, django_capture_on_commit_callbacks
):
    draft = ProjectPageFactory(owner=author, live=False)
    with django_capture_on_commit_callbacks(execute=True):
        _publish_new_revision(draft, author)  # also queues Wagtail's own index tasks
    [event] = _published_events(draft)
    assert event.status == "pending"
