"""Admin integration: the queue of start-a-scheme requests, and what retires cached pages."""

from wagtail import hooks
from wagtail.permissions import register_permission_policy

from .admin_views import NationalAdministratorsPolicy, StartSchemeRequestViewSet
from .models import OnboardingProgress, StartSchemeRequest

register_permission_policy(StartSchemeRequest, NationalAdministratorsPolicy(StartSchemeRequest))


@hooks.register("register_admin_viewset")
def register_scheme_requests():
    return StartSchemeRequestViewSet()


@hooks.register("register_scheme_page_section")
def onboarding_scheme_section():
    """A scheme's progress along the onboarding route, on its page (``schemes.sections``)."""
    from schemes.sections import SchemeSection

    from .selectors import scheme_progress_section

    return SchemeSection(
        key="onboarding",
        order=90,
        template="onboarding/includes/scheme_progress.html",
        context=scheme_progress_section,
    )


@hooks.register("register_cache_retiring_models")
def onboarding_progress_retires_cached_pages():
    """Scheme pages show their onboarding progress."""
    return [OnboardingProgress]
