"""Test-data factories for the showcase."""

import factory

from wagtail.search import index

from showcase.models import Category, ProjectIndexPage, ProjectPage


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Category {n}")
    slug = factory.Sequence(lambda n: f"category-{n}")


class ProjectPageFactory(factory.django.DjangoModelFactory):
    """A project under the (single) projects index; published unless `live=False`."""

    class Meta:
        model = ProjectPage

    title = factory.Sequence(lambda n: f"Project {n}")
    slug = factory.Sequence(lambda n: f"project-{n}")
    tagline = factory.Faker("sentence", nb_words=8)
    owner = factory.SubFactory("accounts.factories.AuthorFactory")
    category = factory.SubFactory(CategoryFactory)
    live = True

    @classmethod
    def _create(cls, model_class, *args, parent=None, **kwargs):
        parent = parent or ProjectIndexPage.objects.get()
        live = kwargs.pop("live", True)
        page = model_class(*args, live=False, **kwargs)
        parent.add_child(instance=page)
        revision = page.save_revision(user=page.owner)
        if live:
            revision.publish(user=page.owner, skip_permission_checks=True)
            page.refresh_from_db()
        # Wagtail indexes on commit through the queue; a factory-made page is searchable now.
        index.insert_or_update_object(page)
        return page
