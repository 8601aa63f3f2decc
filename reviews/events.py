"""What the reviews domain announces; the notifications layer (the `tasks` app) listens.

Each is sent inside the writer's transaction, so a receiver's own rows (an outbox event) are
committed, or rolled back, together with the change.
"""

from django.dispatch import Signal

# review: the Review just posted.
review_posted = Signal()
# reply: the owner's ReviewReply just written; created: False when it replaced an earlier one.
reply_posted = Signal()
# review: a Review a moderator just hid (by any route); actor: the moderator.
review_hidden = Signal()
# report: the Report just filed.
report_filed = Signal()
# report: a Report a moderator closed (resolved or dismissed); actor: the moderator.
report_closed = Signal()
