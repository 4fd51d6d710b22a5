from django.http import HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.views.decorators.cache import never_cache

from serving.sites import without_site


@never_cache
@without_site
def health(request):
    """For load balancers and the bench baseline: answers without touching the database."""
    return HttpResponse("ok", content_type="text/plain")


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    # No context processors: the error may have come from the database they would query.
    template = loader.get_template("500.html")
    return HttpResponseServerError(template.render({}))


def csrf_failure(request, reason=""):
    return render(request, "403_csrf.html", {"reason": reason}, status=403)
