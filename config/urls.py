from django.conf import settings
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls

from accounts import views as account_views
from home import views as home_views
from search import views as search_views

urlpatterns = [
    path("healthz/", home_views.health, name="health"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include("documents.urls")),
    # Ours first: it overrides allauth's e-mail confirmation view under the same address.
    path(
        "accounts/confirm-email/<str:key>/",
        account_views.ConfirmEmailView.as_view(),
        name="account_confirm_email",
    ),
    path("accounts/", include("accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("search/", search_views.search, name="search"),
    path("search/suggest/", search_views.suggest, name="search_suggest"),
    path("workstreams/", include("knowledge.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [path("", include(wagtail_urls))]

handler404 = "home.views.page_not_found"
handler500 = "home.views.server_error"
