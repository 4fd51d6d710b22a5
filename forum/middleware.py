"""The live-update poll answered early when nothing changed (issue 11: "costs almost nothing").

An open topic's last page asks ``/forum/topics/<id>/updates/?after=<n>`` every 15 seconds, with
htmx. Almost always nothing is new, and the whole stack (sessions, the user's row, two-step
checks, CSRF, messages, the view) would cost many times the answer. This middleware sits
just after the viewer and answers that case itself, from kept facts only, checking everything
the stack would:

- the session (the configured engine, so its cache): signed in, with the hash of the
  person's password as Django keeps it (a changed password, a log-out or an expired session
  fall through to the stack, which signs them out);
- two-step sign-in already settled for this session (``accounts.middleware``: "ok"), or a
  session that did not sign in through allauth (which that middleware does not hold to it);
  otherwise the stack decides;
- the person: active and approved (``permissions.may_use_forum``), kept per person and
  forgotten whenever their row is saved (``kept.poll_person``);
- the topic: not hidden, in a group they may see (``permissions.may_see_group_id``'s rule,
  from the kept memberships and private groups), its post count no more than ``after``.

Anything else (new posts, no htmx, a bad ``after``, any doubt) goes through the stack as
before; so does every other address, after one comparison of the path.
"""

from importlib import import_module

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.http import HttpResponse
from django.urls import Resolver404, resolve, reverse
from django.utils.cache import add_never_cache_headers, patch_vary_headers
from django.utils.crypto import constant_time_compare


class LivePollMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.prefix = reverse("forum:topic_updates", args=[1]).split("1/updates/")[0]
        self.engine = import_module(settings.SESSION_ENGINE)

    def __call__(self, request):
        if (
            request.method == "GET"
            and request.path_info.startswith(self.prefix)
            and request.headers.get("HX-Request") == "true"
        ):
            response = self.unchanged(request)
            if response is not None:
                return response
        return self.get_response(request)

    def unchanged(self, request) -> HttpResponse | None:
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return None
        if match.view_name != "forum:topic_updates":
            return None
        try:
            after = int(request.GET.get("after", ""))
        except ValueError:
            return None
        key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
        if not key or after < 0:
            return None
        from allauth.account.internal.flows.login import AUTHENTICATION_METHODS_SESSION_KEY

        from accounts.middleware import TWO_STEP_SESSION_KEY

        from .kept import poll_person, topic_state
        from .permissions import may_see_group_of

        session = self.engine.SessionStore(key)
        user_id = session.get(SESSION_KEY)
        if user_id is None or session.get(BACKEND_SESSION_KEY) not in settings.AUTHENTICATION_BACKENDS:
            return None
        two_step = session.get(TWO_STEP_SESSION_KEY)
        if two_step != "ok" and (two_step is not None or session.get(AUTHENTICATION_METHODS_SESSION_KEY)):
            return None  # not settled yet, or required: the stack decides (and says why)
        person = poll_person(user_id)
        if person is None or not person.may_use_forum:
            return None
        if not constant_time_compare(session.get(HASH_SESSION_KEY, ""), person.session_hash):
            return None
        state = topic_state(match.kwargs["topic_id"])
        if state is None or state.is_hidden or state.post_count > after:
            return None
        if not may_see_group_of(person.pk, person.is_superuser, state.group_id):
            return None
        etag = f'"topic-{match.kwargs["topic_id"]}-{state.post_count}"'
        response = HttpResponse(status=304 if request.headers.get("If-None-Match") == etag else 204)
        response["ETag"] = etag
        add_never_cache_headers(response)
        patch_vary_headers(response, ["Cookie"])
        return response
