"""Test-data factories for the showcase (wagtail-factories builds the page tree)."""

import factory
import wagtail_factories

from wagtail.search import index

from showcase.models import Category, ProjectIndexPage, ProjectPage


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Category {n}")
    slug = factory.Sequence(lambda n: f"category-{n}")


class ProjectPageFactory(wagtail_factories.PageFactory):
    """A project under the (single) projects index; published unless `live=False`.

    Publishing goes through a revision, as every route does, so `page_published` receivers
    (aggregates, emails, the content version) run.
    """

    class Meta:
        model = ProjectPage

    title = factory.Sequence(lambda n: f"Project {n}")
    slug = factory.Sequence(lambda n: f"project-{n}")
    tagline = factory.Faker("sentence", nb_words=8)
    owner = factory.SubFactory("accounts.factories.AuthorFactory")
    category = factory.SubFactory(CategoryFactory)
    parent = factory.LazyFunction(lambda: ProjectIndexPage.objects.get())
    live = True

    @classmethod
    def _create(cls, model_class, *args, live=True, **kwargs):
        page = super()._create(model_class, *args, live=False, **kwargs)
        revision = page.save_revision(user=page.owner)
        if live:
            revision.publish(user=page.owner, skip_permission_checks=True)
            page.refresh_from_db()
        # Wagtail indexes on commit through the queue; a factory-made page is searchable now.
        index.insert_or_update_object(page)
        return page
