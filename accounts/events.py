"""What the accounts app announces; the notifications layer (the `tasks` app) listens."""

from django.dispatch import Signal

# user: who asked for a reset link (the link is made when the email is sent, never stored).
password_reset_requested = Signal()
# user: whose password was just changed or reset.
password_changed = Signal()
