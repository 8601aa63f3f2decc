"""Test-data factories for reviews."""

import factory

from reviews.models import Review


class ReviewFactory(factory.django.DjangoModelFactory):
    """A review row written directly (bypassing the posting rules and aggregates)."""

    class Meta:
        model = Review

    project = factory.SubFactory("showcase.factories.ProjectPageFactory")
    author = factory.SubFactory("accounts.factories.UserFactory")
    rating = 4
    title = factory.Faker("sentence", nb_words=5)
    body = factory.Faker("paragraph", nb_sentences=3)
