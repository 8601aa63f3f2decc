"""The rules of a follow hold in PostgreSQL too, whatever route writes the row."""

import pytest

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from follows.models import Follow

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("targets", ["none", "two", "self", "twice"])
def test_the_database_refuses_a_bad_follow(targets, user, author, project):
    fields = {
        "none": {},
        "two": {"author": author, "project": project},
        "self": {"author": user},
        "twice": {"author": author},
    }[targets]
    if targets == "twice":
        Follow.objects.create(user=user, author=author)
    with pytest.raises(ValidationError):
        Follow(user=user, **fields).full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        Follow.objects.create(user=user, **fields)
