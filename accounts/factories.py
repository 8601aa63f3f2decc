"""Test-data factories for accounts (used by the suite, the benchmark and nothing else)."""

import factory

from django.contrib.auth import get_user_model

from accounts.models import AUTHORS_GROUP, MODERATORS_GROUP
from accounts.roles import ensure_role_groups

DEFAULT_PASSWORD = "correct-horse-battery-staple"  # noqa: S105


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.test")
    display_name = factory.Faker("name")
    password = factory.PostGenerationMethodCall("set_password", DEFAULT_PASSWORD)

    @factory.post_generation
    def _save_password(self, create, extracted, **kwargs):
        if create:
            self.save(update_fields=["password"])


def _joins_group(name: str):
    """A post-generation hook that adds the created user to the named group."""

    @factory.post_generation
    def join(self, create, extracted, **kwargs):
        if create:
            # The groups with their permissions, as the data migration and seed_demo make them.
            authors, moderators = ensure_role_groups()
            self.groups.add({AUTHORS_GROUP: authors, MODERATORS_GROUP: moderators}[name])

    return join


class AuthorFactory(UserFactory):
    username = factory.Sequence(lambda n: f"author{n}")
    author_group = _joins_group(AUTHORS_GROUP)


class ModeratorFactory(UserFactory):
    username = factory.Sequence(lambda n: f"moderator{n}")
    moderator_group = _joins_group(MODERATORS_GROUP)


class AdminFactory(UserFactory):
    username = factory.Sequence(lambda n: f"admin{n}")
    is_staff = True
    is_superuser = True
