from django.conf import settings
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls

from accounts import password_throttle
from accounts import views as account_views
from home import views as home_views
from search import views as search_views

urlpatterns = [
    path("healthz/", home_views.health, name="health"),
    # Before Wagtail's admin: its sign-in form only sends people to allauth's (two-step code,
    # throttling, verified e-mail), so posting a password there signs nobody in.
    path("admin/login/", account_views.admin_login, name="wagtailadmin_login"),
    path("admin/", include(wagtailadmin_urls)),
    # Before documents.urls and Wagtail's: collection and page passwords are throttled.
    path(
        "documents/authenticate_with_password/<int:restriction_id>/",
        password_throttle.collection_password,
        name="wagtaildocs_authenticate_with_password",
    ),
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
    path("forum/unsubscribe/", include("forum.unsubscribe_urls")),
    path("forum/feeds/", include("forum.feed_urls")),
    path("forum/", include("forum.urls")),
    path("onboarding/", include("onboarding.urls")),
    path("cases/", include("cases.urls")),
    path("feeds/", include("knowledge.feed_urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Before Wagtail's own: its front-end sign-in form (Django's LoginView, no two-step code, no
# throttle) only sends people to allauth's, and its password forms are throttled.
urlpatterns += [
    path("_util/login/", account_views.frontend_login, name="wagtailcore_login"),
    path(
        "_util/authenticate_with_password/<int:page_view_restriction_id>/<int:page_id>/",
        password_throttle.page_password,
        name="wagtailcore_authenticate_with_password",
    ),
    path("", include(wagtail_urls)),
]

handler404 = "home.views.page_not_found"
handler500 = "home.views.server_error"
