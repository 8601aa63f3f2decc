import pytest


@pytest.fixture
def reindex():
    """Bring the search index up to date now.

    Wagtail enqueues index updates on commit; tests that run inside a transaction never commit.
    """
    from wagtail.search import index

    from showcase.models import ProjectPage

    def run():
        for page in ProjectPage.objects.all():
            index.insert_or_update_object(page)

    return run
