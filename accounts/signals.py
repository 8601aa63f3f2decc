"""Role changes in Wagtail's audit log: adding a user to a group or taking them out of one, by
any route (the Wagtail user editor, self-service "become an author", code), with the actor
from Wagtail's log context (the admin sets it; `accounts.roles` sets it for self-service)."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models.signals import m2m_changed

from wagtail.log_actions import log

from accounts import lockout

ACTIONS = {"post_add": "proctique.role.grant", "post_remove": "proctique.role.revoke"}


def groups_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in ACTIONS or not pk_set:
        return
    if reverse:  # group.user_set.add(...): `instance` is the group
        users = get_user_model().objects.filter(pk__in=pk_set)
        groups = [instance]
    else:
        users = [instance]
        groups = list(Group.objects.filter(pk__in=pk_set))
    for user in users:
        for group in groups:
            log(instance=user, action=ACTIONS[action], data={"group": group.name})


def connect() -> None:
    lockout.connect()
    m2m_changed.connect(
        groups_changed, sender=get_user_model().groups.through, dispatch_uid="accounts_roles_log"
    )
