"""Demo content: the onboarding route with its seven steps, Pan-Sussex's progress along it and
a start-a-scheme request awaiting a decision. Safe to run twice: what exists is left alone."""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone
from wagtail.models import Page, Site

from documents.models import GovernanceDocument
from schemes.models import OrganisationKind, Region, SchemePage

from .models import (
    OnboardingPathwayPage,
    OnboardingProgress,
    OnboardingStep,
    RequestStatus,
    StartSchemeRequest,
)

INTRODUCTION = (
    "<p>How a police force, its councils and their partners set up a community safety scheme on the "
    "shared case system, in seven steps, with the schemes, documents and solutions that show how "
    "others did it. A senior chair and an agreed Memorandum of Understanding come first; live "
    "cases come only once users are trained.</p>"
)

MOU = "Pan-Sussex Memorandum of Understanding"
TERMS = "Pan-Sussex steering group terms of reference"
ISA = "Information-sharing agreement template"

# key, title, guidance, checklist, exemplars (("scheme", slug) / ("document", title) / ("solution", slug))
STEPS = [
    (
        "steering-group",
        "Form a steering group with a senior chair",
        "<p>A steering group of the lead partners owns the scheme: it agrees the Memorandum of "
        "Understanding, decides which workstreams go live and oversees the local users' group. "
        "Schemes that started well had a senior chair, such as a chief superintendent or a head "
        "of community safety, who could commit their organisation and unblock decisions during "
        "start-up.</p><p>Pan-Sussex's steering group meets every three months, chaired by a chief "
        "superintendent; the supplier attends half of the meetings.</p>",
        "Name a chair senior enough to commit the lead force\n"
        "Invite the county, district and borough councils, fire and rescue and the police and crime commissioner's office\n"
        "Agree terms of reference: membership, quorum, how often you meet\n"
        "Agree how often the supplier attends",
        [("scheme", "pan-sussex"), ("document", TERMS)],
    ),
    (
        "mou",
        "Agree a Memorandum of Understanding",
        "<p>The MoU says what information partners share on the case system, on what lawful basis, "
        "who may see it and how long it is kept. Start from an MoU another scheme has agreed rather "
        "than a blank page: Pan-Sussex's has been shared with and adapted by several forces.</p>"
        "<p>Involve each partner's data protection officer early, and complete a data protection "
        "impact assessment before any live case is shared.</p>",
        "Choose an MoU to adapt from the document library\n"
        "Ask each partner's data protection officer to review the draft\n"
        "Complete a data protection impact assessment\n"
        "Agree the MoU at the steering group and record the signatories",
        [("document", MOU), ("document", ISA)],
    ),
    (
        "partners",
        "Sign partners up",
        "<p>Each partner organisation signs the MoU and names who will approve its staff's "
        "accounts. Once an organisation is known to the forum, its staff sign up with their work "
        "e-mail addresses. If your organisation is not yet known, ask to start a scheme first.</p>",
        "Collect a signature from every partner\n"
        "Name an account approver in each organisation\n"
        "Check each partner's e-mail domain is known to the forum",
        [("scheme", "pan-sussex"), ("scheme", "thames-valley")],
    ),
    (
        "users-group",
        "Set up a local users' group",
        "<p>A local users' group brings the people who use the system every day together with "
        "their supervisors: they share how they work, solve problems together and agree what to "
        "ask the supplier to develop. It reports to the steering group.</p>",
        "Invite users and supervisors from every partner\n"
        "Agree how often you meet (every month at first)\n"
        "Keep a list of issues and what you asked the supplier",
        [("solution", "running-a-local-users-group"), ("scheme", "greater-manchester")],
    ),
    (
        "training",
        "Train users",
        "<p>Train users before any live case goes on the system: how to record, share and close "
        "a case, and what the MoU allows. Train supervisors first so that they can support their "
        "teams, and keep a record of who has been trained.</p>",
        "Train supervisors first\n"
        "Run sessions for each partner's users\n"
        "Cover the MoU: what may be shared, with whom\n"
        "Keep a record of who has been trained",
        [("solution", "asb-automatic-warning-letters")],
    ),
    (
        "first-workstream",
        "Take a first workstream live",
        "<p>Start with one workstream that every partner recognises, usually anti-social "
        "behaviour, and take it live with a small number of teams. Review it after three months "
        "before adding the next.</p>",
        "Choose one workstream and the teams that start it\n"
        "Agree what success looks like and how you will measure it\n"
        "Review it at the steering group after three months",
        [("solution", "taking-a-first-workstream-live"), ("solution", "asb-case-reviews-community-trigger")],
    ),
    (
        "expand",
        "Expand",
        "<p>Add workstreams and partners as the scheme settles: hate crime, street homelessness, "
        "restorative justice and integrated offender management followed anti-social behaviour "
        "in Pan-Sussex. Pilot a new workstream locally before it goes county-wide, and bring "
        "registered social landlords, adult social care and mental health services in when your "
        "MoU covers them.</p>",
        "Pilot the next workstream with one or two partners\n"
        "Update the MoU before new partners or workstreams join\n"
        "Share what worked as a solution on the forum",
        [
            ("solution", "restorative-justice-faster-information-sharing"),
            ("solution", "integrated-offender-management-shared-caseload"),
            ("scheme", "pan-sussex"),
        ],
    ),
]

# Pan-Sussex has done everything but its next expansion.
PAN_SUSSEX_DONE = [key for key, *_ in STEPS[:-1]]
PROGRESS_BY = "ruth.ellis@sussex.police.uk"

REQUEST = {
    "organisation_name": "Cumbria County Council",
    "kind": OrganisationKind.COUNTY_COUNCIL,
    "region": Region.NORTH_WEST,
    "area": "Cumbria: the county and Cumbria Constabulary's area",
    "email_domain": "cumbria.gov.uk",
    "contact_name": "Morgan Hale",
    "contact_email": "morgan.hale@cumbria.gov.uk",
    "plans": "We want to bring Cumbria Constabulary, the county council and the district councils onto the "
    "case system for anti-social behaviour first, then hate crime. A chief inspector has agreed to chair a "
    "steering group; we would like to start from another scheme's MoU.",
}


def _links(specs) -> list[dict]:
    links = []
    for kind, ref in specs:
        if kind == "document":
            document = (
                GovernanceDocument.objects.filter(title=ref, status="agreed")
                .order_by("-effective_date")
                .first()
            )
            pk = document.pk if document else None
        else:
            pk = Page.objects.filter(slug=ref, live=True).values_list("pk", flat=True).first()
        if pk is not None:
            links.append({"type": kind, "value": pk})
    return links


def _pathway(home) -> tuple[OnboardingPathwayPage, bool]:
    pathway = OnboardingPathwayPage.objects.first()
    if pathway is not None:
        return pathway, False
    pathway = OnboardingPathwayPage(
        title="Starting a scheme: the onboarding route",
        slug="onboarding",
        seo_title="Onboarding: starting a scheme",
        search_description="The steps a new community safety scheme takes to join the shared case system.",
        show_in_menus=True,
        introduction=INTRODUCTION,
    )
    pathway.steps = [
        OnboardingStep(
            key=key,
            title=title,
            guidance=guidance,
            checklist=checklist,
            links=_links(links),
            sort_order=position,
        )
        for position, (key, title, guidance, checklist, links) in enumerate(STEPS)
    ]
    home.add_child(instance=pathway)
    pathway.save_revision().publish()
    return pathway, True


def load_demo_onboarding(*, stdout) -> None:
    home = Site.objects.get(is_default_site=True).root_page
    _pathway_page, created = _pathway(home)
    ticked = 0
    sussex = SchemePage.objects.filter(slug="pan-sussex").first()
    if sussex is not None and not OnboardingProgress.objects.filter(scheme=sussex).exists():
        by = get_user_model().objects.filter(email=PROGRESS_BY).first()
        start = timezone.make_aware(datetime.datetime(2024, 1, 15, 10, 0))
        for days, key in enumerate(PAN_SUSSEX_DONE):
            OnboardingProgress.objects.create(
                scheme=sussex, step_key=key, done_by=by, done_at=start + datetime.timedelta(days=30 * days)
            )
            ticked += 1
    requested = 0
    if not StartSchemeRequest.objects.filter(email_domain=REQUEST["email_domain"]).exists():
        StartSchemeRequest.objects.create(status=RequestStatus.PENDING, **REQUEST)
        requested = 1
    stdout.write(
        f"Onboarding: pathway {'created' if created else 'already there'}, {ticked} steps ticked, "
        f"{requested} request created."
    )
