"""Huey's django.tasks backend (Wagtail's search/reference index and cache purge tasks), made
safe for a Redis outage: an enqueue that fails after commit is logged instead of raised.

Huey's own backend registers its enqueue with `transaction.on_commit`; when Redis is down the
LPUSH raises *after* the database committed, so the user's request fails although their change
was saved. Wagtail's index tasks are recoverable (`manage.py update_index`,
`rebuild_references_index`), so losing one is better than failing the request.
"""

import logging

from huey.contrib.djhuey import tasks_backend
from redis.exceptions import RedisError

from django.db import transaction

logger = logging.getLogger(__name__)


class OutageTolerantHueyBackend(tasks_backend.HueyBackend):
    def enqueue(self, task, args, kwargs):
        if not self.enqueue_on_commit:
            return super().enqueue(task, args, kwargs)
        # Same as HueyBackend.enqueue with ENQUEUE_ON_COMMIT (huey 3.5), plus the try/except.
        self.validate_task(task)
        self._check_resolvable(task)
        args = tasks_backend.normalize_json(list(args))
        kwargs = tasks_backend.normalize_json(kwargs)
        huey_task = tasks_backend._shim.s(
            task.module_path, args, kwargs, priority=task.priority or None, eta=task.run_after
        )
        record = tasks_backend._initial_record(self.alias, task, huey_task.id, args, kwargs)

        def enqueue_after_commit():
            try:
                record["enqueued_at"] = tasks_backend._iso(tasks_backend.timezone.now())
                tasks_backend.HUEY.put_result(tasks_backend.KEY % huey_task.id, record)
                tasks_backend.task_enqueued.send(
                    sender=tasks_backend.HueyBackend,
                    task_result=tasks_backend._record_to_result(record),
                )
                tasks_backend.HUEY.enqueue(huey_task)
            except RedisError as exc:
                # An expected outage (the connection breaker logs it once): no traceback.
                logger.error("could not enqueue background task %s (%s)", task.module_path, exc)
            except Exception:
                logger.exception("could not enqueue background task %s", task.module_path)

        transaction.on_commit(enqueue_after_commit)
        return tasks_backend._record_to_result(record)
