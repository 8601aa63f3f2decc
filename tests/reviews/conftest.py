import pytest


@pytest.fixture
def moderator(db):
    from accounts.factories import ModeratorFactory
    from accounts.roles import ensure_role_groups

    ensure_role_groups()
    return ModeratorFactory()


@pytest.fixture
def reviewer(db):
    from accounts.factories import UserFactory

    return UserFactory()


@pytest.fixture
def make_review(project):
    """A review posted through the service (rules, aggregates and events included)."""
    from accounts.factories import UserFactory
    from reviews.services import review_submit

    def make(author=None, target=None, rating=4, title="Solid work", body=None):
        author = author or UserFactory()
        return review_submit(
            author=author,
            project=target or project,
            rating=rating,
            title=title,
            body=body or f"Useful and well documented, says {author.username}.",
        )

    return make
