"""What the showcase announces; the notifications layer (the `tasks` app) listens.

Sent inside the writer's transaction, so a receiver's outbox row commits with the change.
"""

from django.dispatch import Signal

# membership: a ProjectMember just invited (status "invited").
member_invited = Signal()

# project: a ProjectPage that just went from not live to live (a first publish, a re-publish
# after an unpublish or expiry, a scheduled publish going live, a workflow approval); never an
# edit of a page that is already live. Sent inside the publish's transaction.
project_went_live = Signal()
