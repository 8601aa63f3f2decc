"""Logging filters named in settings.LOGGING."""

import logging

from proctique.unavailable import unavailable_part


class WithoutTraceback(logging.Filter):
    """Keep the record's message, drop its traceback.

    A failed django.tasks task run by Huey is logged twice with the same traceback: by Huey's
    consumer ("Unhandled exception in task ...") and by django_tasks ("... state=FAILED"). The
    django_tasks line still names the task; the traceback is printed once, by Huey.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        record.exc_info = None
        record.exc_text = None
        return True


class UnavailableWithoutTraceback(logging.Filter):
    """Drop the traceback of a request that failed because PostgreSQL or the media storage is
    unreachable (answered 503 by proctique.unavailable.server_error): the cause is outside our
    code, and an outage must not bury the log in identical tracebacks."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and unavailable_part(record.exc_info[1]) is not None:
            record.exc_info = None
            record.exc_text = None
        return True
