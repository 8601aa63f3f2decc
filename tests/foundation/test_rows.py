"""Instances made from rows the short way (proctique.rows) are the ones Django's constructor
makes: the same values, the same deferred fields, the same state, StreamField values as blocks;
and a model with init receivers still gets them."""

import json

import pytest

from django.db import models
from django.db.models import DEFERRED
from django.db.models.signals import post_init

from accounts.models import User
from showcase.models import Category, ProjectPage

pytestmark = pytest.mark.django_db


def _the_long_way(model, alias, names, values):
    # Django's from_db and constructor, as a model without FromRows runs them. Not through
    # Page's constructor: for a row it only reads `id` (a query when `.only()` left it out).
    given = dict(zip(names, values, strict=True))
    padded = [given.get(f.attname, DEFERRED) for f in model._meta.concrete_fields]
    instance = model.__new__(model)
    models.Model.__init__(instance, *padded)
    instance._state.adding = False
    instance._state.db = alias
    return instance


def _state(instance) -> dict:
    values = {k: v for k, v in instance.__dict__.items() if k not in ("_state", "description")}
    return {
        "values": values,
        "deferred": instance.get_deferred_fields(),
        "adding": instance._state.adding,
        "db": instance._state.db,
    }


def _rows(queryset):
    names = [field.attname for field in queryset.model._meta.concrete_fields]
    loaded = queryset.values_list(*names)
    return names, list(loaded)


@pytest.mark.parametrize("columns", [None, ("title", "slug", "owner", "category", "tagline")])
def test_projects_from_rows_are_what_the_constructor_makes(project, columns):
    blocks = [{"type": "quote", "value": {"quote": "Rows", "attribution": ""}, "id": "q1"}]
    ProjectPage.objects.filter(pk=project.pk).update(tagline="Row\u00e9 tagline")
    ProjectPage.objects.filter(pk=project.pk).update(description=json.dumps(blocks))
    queryset = ProjectPage.objects.filter(pk=project.pk)
    if columns:
        queryset = queryset.only(*columns)
    short = queryset.get()
    names = [
        f.attname
        for f in ProjectPage._meta.concrete_fields
        if f.attname not in short.get_deferred_fields()
    ]
    row = ProjectPage.objects.filter(pk=project.pk).values_list(*names).get()
    long = _the_long_way(ProjectPage, short._state.db, names, row)
    assert _state(short) == _state(long)
    assert short.tagline == "Row\u00e9 tagline"
    if columns is None:
        # Django's constructor turned the StreamField's JSON into blocks; the short way did too.
        assert type(short.description).__name__ == "StreamValue"
        assert short.description[0].block_type == "quote"
        assert short.description[0].value["quote"] == long.description[0].value["quote"] == "Rows"
    else:
        assert "description" in short.get_deferred_fields()
        assert short.description[0].value["quote"] == "Rows"  # loads on access


def test_categories_and_users_from_rows_are_what_the_constructor_makes(author):
    category = Category.objects.create(name="Rows", slug="rows", description="Made short")
    for model, pk in ((Category, category.pk), (User, author.pk)):
        short = model.objects.get(pk=pk)
        names, rows = _rows(model.objects.filter(pk=pk))
        assert _state(short) == _state(_the_long_way(model, short._state.db, names, rows[0]))
    owner = User.objects.only("username").get(pk=author.pk)
    assert owner.get_deferred_fields() >= {"email", "display_name"}
    assert owner.email == author.email  # a deferred field still loads when read


def test_a_model_with_init_receivers_goes_the_long_way(db):
    Category.objects.create(name="Heard", slug="heard")
    Category.objects.get(slug="heard")  # the signals' caches now say: no one listens
    heard = []

    def receiver(sender, instance, **kwargs):
        heard.append(instance)

    post_init.connect(receiver, sender=Category)
    try:
        loaded = Category.objects.get(slug="heard")
    finally:
        post_init.disconnect(receiver, sender=Category)
    assert heard == [loaded]
    assert heard[0] is loaded and not loaded._state.adding
    Category.objects.get(slug="heard")
    assert len(heard) == 1  # disconnected: the short way again
