"""The speed baseline of DESIGN.md section 7: a trivial Django view with minimal settings and no
database, served by the same gunicorn settings as the site in the same run.

    gunicorn --chdir bench trivial:application

Nothing of the project is imported: no apps, no middleware, no templates, no database, so the
figure is what Django and gunicorn cost on this machine for one request.
"""

import django
from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.http import HttpResponse
from django.urls import path

settings.configure(
    DEBUG=False,
    SECRET_KEY="trivial-baseline-no-secrets-here",
    ALLOWED_HOSTS=["127.0.0.1", "localhost"],
    ROOT_URLCONF=__name__,
    MIDDLEWARE=[],
    INSTALLED_APPS=[],
    DATABASES={},
    USE_I18N=False,
)


def trivial(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("", trivial)]

django.setup()
application = get_wsgi_application()
