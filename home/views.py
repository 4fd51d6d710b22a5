from django.http import HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.views.decorators.cache import never_cache

from serving.sites import without_site

# What ``/healthz/`` checks, in order. A failing database makes the answer 503 (this server can
# serve nothing: a load balancer takes it out); a failing cache, search index or queue is
# "degraded", 200, since pages are still served (uncached, search incomplete, uploads read
# late) and every app server shares them, so taking servers out would not help. ``?strict``
# answers 503 for any failure, for monitoring.
HEALTH_CHECKS = ("database", "cache", "search", "queue")


def _check_database():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _check_cache():
    import secrets

    from django.core.cache import cache

    # A key of its own per check: probes running at once (every app server, every worker) never
    # read each other's value, which on one shared key looked like a failing cache.
    token = secrets.token_hex(8)
    key = f"healthz:{token}"
    cache.set(key, token, 30)
    try:
        if cache.get(key) != token:
            raise RuntimeError("a value written could not be read back")
    finally:
        cache.delete(key)


def _check_search():
    from modelsearch.backends import get_search_backend
    from wagtail.models import Page

    backend = get_search_backend()
    if hasattr(backend, "is_available"):
        if not backend.is_available(Page):
            raise RuntimeError("the index cannot be read (rebuild_modelsearch_index repairs it)")
    else:
        list(backend.search("health", Page.objects.filter(depth=1))[:1])


def _check_queue():
    from datetime import timedelta

    from django.conf import settings
    from django.utils import timezone
    from django_tasks import task_backends

    backend = task_backends["default"]
    if not backend.__class__.__module__.startswith("django_tasks_db"):
        return  # run in the request (dev, tests): nothing waits
    from django_tasks_db.models import DBTaskResult

    max_wait = timedelta(seconds=settings.HEALTH_QUEUE_MAX_WAIT)
    late = DBTaskResult.objects.ready().filter(enqueued_at__lt=timezone.now() - max_wait)
    count = late.count()
    if count:
        raise RuntimeError(
            f"{count} task(s) waiting longer than {settings.HEALTH_QUEUE_MAX_WAIT}s: is manage.py db_worker running?"
        )


_CHECKS = {"database": _check_database, "cache": _check_cache, "search": _check_search, "queue": _check_queue}


@never_cache
@without_site
def health(request):
    """For load balancers and monitoring: each dependency's state, one line each.

    ``ok``/``degraded``/``failing`` on the first line, then ``name: ok`` or ``name: failed
    (why)``. Checks after a failed database are not run (they would all fail on it)."""
    import logging

    results, failed = {}, []
    for name in HEALTH_CHECKS:
        if "database" in failed and name in ("search", "queue"):
            results[name] = "not checked (database failed)"
            continue
        try:
            _CHECKS[name]()
            results[name] = "ok"
        except Exception as error:  # noqa: BLE001 - a health check reports, never raises
            failed.append(name)
            results[name] = f"failed ({error.__class__.__name__}: {str(error).strip()[:200]})"
            logging.getLogger("home.health").warning("Health check: %s %s", name, results[name])
    strict = "strict" in request.GET
    if "database" in failed:
        state, status = "failing", 503
    elif failed:
        state, status = "degraded", 503 if strict else 200
    else:
        state, status = "ok", 200
    body = state + "\n" + "".join(f"{name}: {result}\n" for name, result in results.items())
    response = HttpResponse(body, content_type="text/plain; charset=utf-8", status=status)
    response["X-Health"] = state
    if failed:
        response["X-Health-Failed"] = ",".join(failed)
    return response


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    # No context processors: the error may have come from the database they would query.
    template = loader.get_template("500.html")
    return HttpResponseServerError(template.render({}))


def csrf_failure(request, reason=""):
    return render(request, "403_csrf.html", {"reason": reason}, status=403)
