"""What the accounts app announces; the notifications layer (the `tasks` app) listens.

Each is sent inside a transaction, so the outbox row a receiver writes commits with it.
"""

from django.dispatch import Signal

# user: who asked for a reset link (the link is made when the email is sent, never stored).
password_reset_requested = Signal()
# user: whose password was just changed or reset.
password_changed = Signal()
# user, email_address_id, signup: an address to verify (the key is made at send time).
email_confirmation_requested = Signal()
# user: someone tried to sign up with this user's address.
signup_with_existing_address = Signal()
