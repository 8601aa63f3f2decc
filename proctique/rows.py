"""Model instances made from database rows the short way.

Django's `Model.from_db` spreads a row over every concrete field (DEFERRED for those not
read) and hands it to the constructor, which sends pre_init and post_init, walks every field
again and stores each value through its descriptor. For a row, of a model whose constructor adds
nothing, that is a value stored under each column's name: what `FromRows.from_db` does. A
listing of 24 projects makes about 75 such instances (the projects, their categories and
owners): a tenth of an API list's time.

The short way keeps to what Django's gives: an instance that is not `adding`, that knows its
database, whose unread fields are deferred (absent), and whose values went through any
descriptor that does more than store them (Wagtail's StreamField turns JSON into blocks). A
model with pre_init or post_init receivers goes the long way, so they run as they always do.
"""

from functools import cache

from django.db.models.base import ModelState
from django.db.models.fields.files import FileDescriptor
from django.db.models.fields.related_descriptors import ForeignKeyDeferredAttribute
from django.db.models.signals import post_init, pre_init
from django.dispatch.dispatcher import NO_RECEIVERS

# Descriptors whose __set__, on an instance that has just been made, only stores the value.
_STORING = (ForeignKeyDeferredAttribute, FileDescriptor)


def _quiet(signal, sender) -> bool:
    """Whether `signal.send(sender)` would call no one: the check `send()` itself makes first,
    then its full lookup (which fills the same cache)."""
    if not signal.receivers or signal.sender_receivers_cache.get(sender) is NO_RECEIVERS:
        return True
    return not signal.has_listeners(sender)


@cache
def _setters(model, names: tuple[str, ...]) -> tuple[bool, ...]:
    """For each column name, whether its value must be set through a descriptor."""
    found = []
    for name in names:
        attribute = next((k.__dict__[name] for k in model.__mro__ if name in k.__dict__), None)
        found.append(hasattr(type(attribute), "__set__") and not isinstance(attribute, _STORING))
    return tuple(found)


class FromRows:
    """Mixin for a model whose constructor does nothing for a database row beyond storing its
    values (no `__init__` of its own that acts on loaded instances)."""

    @classmethod
    def from_db(cls, db, field_names, values):
        if not (_quiet(pre_init, cls) and _quiet(post_init, cls)):
            return super().from_db(db, field_names, values)
        names = tuple(field_names)
        new = cls.__new__(cls)
        state = new._state = ModelState()
        state.adding = False
        state.db = db
        stored = new.__dict__
        for name, value, through_descriptor in zip(
            names, values, _setters(cls, names), strict=True
        ):
            if through_descriptor:
                setattr(new, name, value)
            else:
                stored[name] = value
        return new
