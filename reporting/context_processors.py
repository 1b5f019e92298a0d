"""The counts of "your tasks" for the navigation, read at most once per request and only when a
page shows them (``reporting.tasks_list.task_counts``: a constant number of queries)."""

from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from reporting.tasks_list import task_counts


def your_task_counts(request):
    user = getattr(request, "user", None)
    if not getattr(user, "is_authenticated", False):
        return {}

    def load():
        counts = getattr(request, "_task_counts", None)
        if counts is None:
            # the dashboard has already read the whole list: count that, not again
            counts = task_counts(user=user, today=timezone.localdate(), tasks=getattr(request, "your_tasks", None))
            request._task_counts = counts
        return counts

    return {"task_counts": SimpleLazyObject(load)}
