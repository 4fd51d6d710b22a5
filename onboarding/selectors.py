"""Read paths of the onboarding route. Every page here costs a fixed number of queries
whatever the number of schemes, documents, solutions or ticks.

Who may see what is asked of the request's viewer (``serving.viewer``) and, for documents,
the library's own rule (``documents.permissions``).
"""

import datetime
from dataclasses import dataclass, field, replace

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from documents.models import LISTED_STATUSES, GovernanceDocument
from documents.permissions import visibility_for
from knowledge.selectors import document_url
from schemes.models import SchemePage
from schemes.selectors import email_domain_candidates, organisations_for_email
from serving.viewer import viewer_for
from serving.visibility import kept, visibility_of

from .models import (
    OnboardingPathwayPage,
    OnboardingProgress,
    OnboardingStep,
    RequestStatus,
    StartSchemeRequest,
)


@dataclass(frozen=True)
class Exemplar:
    kind: str  # "scheme", "document" or "solution"
    title: str
    url: str
    detail: str = ""


@dataclass(frozen=True)
class Step:
    """A step as the pathway shows it: its exemplars already narrowed to what the viewer may see."""

    key: str
    number: int
    title: str
    guidance: str
    checklist: list[str]
    exemplars: list[Exemplar] = field(default_factory=list)
    html: str = ""  # the step's guidance, checklist and exemplars, rendered (shown_steps)


@dataclass(frozen=True)
class Tick:
    """A step done: when, and the name of who ticked it (never the user row: progress is kept
    in the shared cache, and a name is all the pages show)."""

    done_at: datetime.datetime
    done_by: str


@dataclass
class StepProgress:
    key: str
    number: int
    title: str
    done: Tick | None
    # Where the viewer's tick form posts, and the step's state in words for that scheme, both
    # worked out once with the rest of the progress (kept), not per request in the template.
    update_url: str = ""
    tag: str = ""
    status: str = ""
    button: str = ""
    hint: str = ""


@dataclass
class SchemeProgress:
    scheme: SchemePage
    steps: list[StepProgress]

    @property
    def done_count(self) -> int:
        return sum(1 for step in self.steps if step.done)

    @property
    def total(self) -> int:
        return len(self.steps)

    def for_step(self, key: str) -> StepProgress | None:
        return next((step for step in self.steps if step.key == key), None)


def _visible_live(scope, queryset: QuerySet) -> QuerySet:
    return visibility_of(scope).visible_pages(queryset.live())


def _links(step: OnboardingStep) -> list[tuple[str, int]]:
    """(block type, chosen id) of a step's exemplars, read from the raw stream: no query."""
    found = []
    for item in step.links.raw_data:
        value = item.get("value")
        if isinstance(value, int) and item.get("type") in ("scheme", "document", "solution"):
            found.append((item["type"], value))
    return found


def pathway_steps(scope, pathway: OnboardingPathwayPage) -> list[Step]:
    """The pathway's steps with the exemplars the viewer may see: three queries (steps, the
    chosen schemes, solutions and guides, documents) whatever the number of steps and links.
    A link to a page of the wrong type (edited in the raw data) shows as what it is chosen as."""
    from wagtail.models import Page

    rows = list(pathway.steps.order_by("sort_order"))
    links = {row.pk: _links(row) for row in rows}
    wanted = {"scheme": set(), "document": set(), "solution": set()}
    for found in links.values():
        for kind, pk in found:
            wanted[kind].add(pk)
    pages, documents = {}, {}
    if wanted["scheme"] or wanted["solution"]:
        # Schemes and solutions in one query: only their titles and addresses are shown.
        chosen = Page.objects.filter(pk__in=wanted["scheme"] | wanted["solution"])
        pages = {
            page.pk: page for page in _visible_live(scope, chosen).only("pk", "title", "url_path", "path")
        }
    if wanted["document"]:
        visibility = visibility_for(scope)
        rows_ = GovernanceDocument.objects.filter(
            pk__in=wanted["document"], status__in=LISTED_STATUSES
        ).select_related("collection", "organisation")
        documents = {doc.pk: doc for doc in rows_ if not visibility.hides(doc.collection.path)}
    steps = []
    for number, row in enumerate(rows, start=1):
        exemplars = []
        for kind, pk in links[row.pk]:
            if kind in ("scheme", "solution") and pk in pages:
                page = pages[pk]
                exemplars.append(Exemplar(kind, page.title, page.url or ""))
            elif kind == "document" and pk in documents:
                doc = documents[pk]
                detail = doc.version_label and f"{doc.get_kind_display()}, version {doc.version_label}"
                exemplars.append(
                    Exemplar("document", doc.title, document_url(doc), detail or doc.get_kind_display())
                )
        steps.append(
            Step(
                key=row.key,
                number=number,
                title=row.title,
                guidance=row.guidance,
                checklist=row.checklist_items,
                exemplars=exemplars,
            )
        )
    return steps


def schemes_of_organisation(organisation_id: int | None) -> QuerySet[SchemePage]:
    """The live schemes an organisation leads or is a partner of: the one place that says
    who is a member of a scheme."""
    if organisation_id is None:
        return SchemePage.objects.none()
    return (
        SchemePage.objects.live()
        .filter(Q(lead_force_id=organisation_id) | Q(partners__id=organisation_id))
        .distinct()
        .order_by("title")
    )


def is_scheme_member(request, scheme: SchemePage) -> bool:
    """Approved, active people whose organisation leads the scheme or is one of its partners."""
    viewer = viewer_for(request)
    if not viewer.is_approved or viewer.organisation_id is None:
        return False
    return schemes_of_organisation(viewer.organisation_id).filter(pk=scheme.pk).exists()


def _progress(schemes: list[SchemePage], steps) -> list[SchemeProgress]:
    """One query for every scheme's ticks."""
    if not schemes:
        return []
    done = {}
    ticks = OnboardingProgress.objects.filter(scheme__in=schemes).select_related("done_by")
    for tick in ticks:
        done[(tick.scheme_id, tick.step_key)] = Tick(tick.done_at, str(tick.done_by) if tick.done_by else "")
    return [
        SchemeProgress(
            scheme=scheme,
            steps=[
                _step_progress(
                    scheme,
                    step,
                    done.get((scheme.pk, step.key)),
                    reverse("onboarding:progress_update", args=[scheme.pk]),
                )
                for step in steps
            ],
        )
        for scheme in schemes
    ]


def _step_progress(scheme, step, tick: Tick | None, update_url: str) -> StepProgress:
    if tick is None:
        status = _("for %(scheme)s") % {"scheme": scheme.title}
    else:
        status = _("for %(scheme)s on %(when)s") % {
            "scheme": scheme.title,
            "when": date_format(timezone.localtime(tick.done_at), "j F Y"),
        }
        if tick.done_by:
            status += " " + _("by %(name)s") % {"name": tick.done_by}
    hint = _("%(title)s for %(scheme)s") % {"title": step.title, "scheme": scheme.title}
    return StepProgress(
        step.key,
        step.number,
        step.title,
        tick,
        update_url=update_url,
        tag=_("Done") if tick else _("To do"),
        status=status,
        button=_("Mark as not done") if tick else _("Mark as done"),
        hint=hint,
    )


def shown_steps(visibility, pathway) -> list[Step]:
    """The steps with their shared part (heading, guidance, checklist, exemplars) rendered
    without the request: the same for everyone with this ``visibility``, so the page keeps them
    per content version and visibility and adds only the viewer's own progress forms."""
    steps = pathway_steps(visibility, pathway)
    return [
        replace(step, html=mark_safe(render_to_string("onboarding/includes/step.html", {"step": step})))
        for step in steps
    ]


def progress_for_viewer(request, pathway, steps) -> list[SchemeProgress]:
    """The progress of the schemes the viewer is a member of (none for visitors): the same for
    every approved member of one organisation who may see the same pages, so kept per content
    version (every tick retires it), organisation and visibility; two queries when cold."""
    viewer = viewer_for(request)
    if not viewer.is_approved or viewer.organisation_id is None:
        return []
    organisation_id = viewer.organisation_id

    def build(visibility):
        schemes = visibility.visible_pages(schemes_of_organisation(organisation_id))
        return _progress(list(schemes.only("pk", "title", "url_path", "path")), steps)

    return kept(request, "onboarding-member-progress", (pathway.pk, organisation_id), build)


def live_pathway(request) -> OnboardingPathwayPage | None:
    pathway = OnboardingPathwayPage.objects.live().order_by("pk").first()
    if pathway is None or not viewer_for(request).may_see_page(pathway.path):
        return None
    return pathway


def scheme_progress(scope, scheme: SchemePage) -> tuple[OnboardingPathwayPage | None, SchemeProgress | None]:
    """A scheme's progress along the pathway, for its page: two queries (the live pathway's
    steps with the page, the scheme's ticks). ``scope``: a request or its ``Visibility``."""
    rows = list(
        OnboardingStep.objects.filter(page__live=True)
        .select_related("page")
        .order_by("page_id", "sort_order")
    )
    if not rows:
        return None, None
    pathway = rows[0].page
    if not visibility_of(scope).may_see_page(pathway.path):
        return None, None
    steps = [
        Step(key=row.key, number=number, title=row.title, guidance="", checklist=[])
        for number, row in enumerate((row for row in rows if row.page_id == pathway.pk), 1)
    ]
    return pathway, _progress([scheme], steps)[0]


def scheme_progress_section(visibility, scheme: SchemePage) -> dict | None:
    """The scheme page's onboarding section (``schemes.sections``): None when no route is
    live or the viewer may not see it. Who ticked a step is in the context; the template
    names them only where the page says ``show_names`` (approved members)."""
    pathway, progress = scheme_progress(visibility, scheme)
    if progress is None:
        return None
    return {"pathway_url": pathway.url, "progress": progress}


def step_keys(pathway: OnboardingPathwayPage) -> set[str]:
    return set(pathway.steps.values_list("key", flat=True))


# Start-a-scheme requests ---------------------------------------------------------------------


def owners_of_domain(domain: str):
    """Organisations whose staff already sign up with addresses at ``domain``."""
    return organisations_for_email(f"someone@{domain}")


def pending_request_for(domain: str) -> StartSchemeRequest | None:
    candidates = email_domain_candidates(f"someone@{domain}")
    return (
        StartSchemeRequest.objects.filter(status=RequestStatus.PENDING, email_domain__in=candidates)
        .order_by("pk")
        .first()
    )


def national_administrators() -> QuerySet:
    """Active superusers and people who may approve accounts of any organisation (the national
    editors, through their group, or anyone granted it directly): they decide requests."""
    permission = {"codename": "approve_any_account", "content_type__app_label": "accounts"}
    granted = Q(is_superuser=True) | Q(
        pk__in=get_user_model()
        .objects.filter(
            Q(**{f"groups__permissions__{k}": v for k, v in permission.items()})
            | Q(**{f"user_permissions__{k}": v for k, v in permission.items()})
        )
        .values("pk")
    )
    return get_user_model().objects.filter(granted, is_active=True)
