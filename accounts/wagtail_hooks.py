"""Accounts in the Wagtail admin: role changes are named actions of the audit log."""

from wagtail import hooks


@hooks.register("register_log_actions")
def register_role_log_actions(actions):
    actions.register_action("proctique.role.grant", "Grant a role", "Role granted")
    actions.register_action("proctique.role.revoke", "Revoke a role", "Role revoked")
