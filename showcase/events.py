"""What the showcase announces; the notifications layer (the `tasks` app) listens.

Sent inside the writer's transaction, so a receiver's outbox row commits with the change.
"""

from django.dispatch import Signal

# membership: a ProjectMember just invited (status "invited").
member_invited = Signal()
