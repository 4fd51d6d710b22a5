"""Security headers of HTML pages: a Content-Security-Policy (django-csp) with one policy for
the public site and a looser one for the Wagtail admin (see docs/architecture.md, "Headers").

The public policy (``CONTENT_SECURITY_POLICY``) allows scripts, styles and everything else from
our own origin only: no inline script or style, no ``eval``. The Wagtail admin still writes
inline scripts (date pickers, inline panels) and compiles templates at run time (axe-core's
doT in the accessibility checker), so under its prefix it gets ``CONTENT_SECURITY_POLICY_ADMIN``
instead, which keeps every source to our own origin but allows those. Files and JSON get no
policy from here (Wagtail gives served documents its own ``default-src 'none'``).

No nonce is ever used: public pages are shared from the page caches, and a cached nonce is no
nonce. If a template does read ``request.csp_nonce`` the nonce is added to the public policy,
but never to the admin's (it would switch off the ``'unsafe-inline'`` the admin needs).
"""

from csp.middleware import CSPMiddleware, PolicyParts
from csp.utils import default_config
from django.conf import settings


def is_html(response) -> bool:
    return response.get("Content-Type", "").split(";")[0].strip().lower() == "text/html"


def is_admin_path(path: str) -> bool:
    return path.startswith(tuple(getattr(settings, "CONTENT_SECURITY_POLICY_ADMIN_PREFIXES", ("/admin/",))))


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's ``CSPMiddleware``, on HTML responses only, with the admin's own policy."""

    def process_response(self, request, response):
        if not is_html(response):
            return response
        return super().process_response(request, response)

    def get_policy_parts(self, request, response, report_only: bool = False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if not report_only and parts.config is None and is_admin_path(request.path_info):
            parts.config = default_config(settings.CONTENT_SECURITY_POLICY_ADMIN["DIRECTIVES"])
            parts.nonce = None
        return parts
