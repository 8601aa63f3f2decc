"""Logging filters named in settings.LOGGING."""

import logging


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
