"""Community fixtures: a co-maker of `project`, API clients, tight upvote rates."""

import copy

import pytest

from showcase.models import ProjectMember
from tests.api.conftest import _site, api, client_for  # noqa: F401  (fixtures)


@pytest.fixture
def comaker(project, author):
    from accounts.factories import AuthorFactory

    person = AuthorFactory()
    ProjectMember.objects.create(
        project=project, user=person, invited_by=author, status=ProjectMember.Status.ACTIVE
    )
    return person


@pytest.fixture
def draft(project_index, author):
    from showcase.factories import ProjectPageFactory

    return ProjectPageFactory(owner=author, live=False)


@pytest.fixture
def upvote_rate(settings):
    """`upvote_rate("2/hour")` sets the upvote limit for this test."""

    def set_rate(rate: str) -> None:
        rest = copy.deepcopy(settings.REST_FRAMEWORK)
        rest["DEFAULT_THROTTLE_RATES"]["upvotes"] = rate
        settings.REST_FRAMEWORK = rest

    return set_rate
