"""Every moderation action is in Wagtail's audit log with its actor: it shows in the site
history (filterable by action) and in the object's own history."""

import pytest

from django.contrib.auth.models import Group
from django.urls import reverse

from wagtail.models import ModelLogEntry

from accounts.factories import ModeratorFactory, UserFactory
from accounts.roles import make_author
from reviews import services
from reviews.factories import ReviewFactory
from reviews.models import Report
from tests.accounts.test_wagtail_user_admin import _edit_payload

pytestmark = pytest.mark.django_db


def entries(action):
    return list(ModelLogEntry.objects.filter(action=action).order_by("timestamp", "pk"))


@pytest.fixture
def moderator():
    return ModeratorFactory()


@pytest.mark.parametrize(
    ("act", "action"),
    [
        ("hide", "proctique.review.hide"),
        ("restore", "proctique.review.restore"),
        ("edit", "proctique.review.moderator_edit"),
        ("delete", "proctique.review.moderator_delete"),
        ("resolve", "proctique.report.resolve"),
        ("dismiss", "proctique.report.dismiss"),
    ],
)
def test_each_moderation_action_is_logged_with_its_actor(project, moderator, act, action):
    review = ReviewFactory(project=project)
    report = Report.objects.create(reporter=UserFactory(), review=review, reason="spam")
    if act == "restore":
        services.review_hide(review=review, actor=moderator)
    {
        "hide": lambda: services.review_hide(review=review, actor=moderator),
        "restore": lambda: services.review_restore(review=review, actor=moderator),
        "edit": lambda: services.review_update(
            review=review, actor=moderator, rating=1, title="Edited", body="Edited by a moderator."
        ),
        "delete": lambda: services.review_delete(review=review, actor=moderator),
        "resolve": lambda: services.report_resolve(report=report, actor=moderator),
        "dismiss": lambda: services.report_dismiss(report=report, actor=moderator),
    }[act]()
    [entry] = entries(action)
    assert entry.user_id == moderator.pk


def test_the_site_history_shows_them_and_filters_by_action(client, project, moderator):
    review = ReviewFactory(project=project, title="A review to hide")
    services.review_hide(review=review, actor=moderator)
    services.review_restore(review=review, actor=moderator)
    client.force_login(moderator)
    url = reverse("wagtailadmin_reports:site_history")
    html = client.get(url, {"action": "proctique.review.hide"}).content.decode()
    assert "Review hidden" in html and "Review restored" not in html
    history = reverse(review.snippet_viewset.get_url_name("history"), args=[review.pk])
    assert "Review hidden" in client.get(history).content.decode()


def test_role_grants_and_revocations_are_logged(client, admin, user, site_pages):
    make_author(user)
    [granted] = entries("proctique.role.grant")
    assert granted.user_id == user.pk and granted.data == {"group": "Authors"}
    client.force_login(admin)
    client.post(f"/admin/users/edit/{user.pk}/", _edit_payload(user, groups=[]))
    [revoked] = entries("proctique.role.revoke")
    assert revoked.user_id == admin.pk and revoked.data == {"group": "Authors"}
    moderators = Group.objects.get(name="Moderators")
    client.post(f"/admin/users/edit/{user.pk}/", _edit_payload(user, groups=[moderators.pk]))
    assert [e.data for e in entries("proctique.role.grant")][-1] == {"group": "Moderators"}
