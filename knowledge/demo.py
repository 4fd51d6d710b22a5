"""Demo knowledge: the knowledge index, thirteen solutions across the workstreams (every
evidence strength and every outcome) and two guides.

The Pan-Sussex restorative justice and IOM write-ups follow what the scheme's steering group
describes; the rest are illustrative and say so on the page ("Demo content"). Safe to run
twice: a page whose slug exists under the index is left alone, and so is the index.
"""

import datetime

from django.db import transaction
from wagtail.models import Site

from accounts.models import User
from documents.models import GovernanceDocument
from schemes.models import Organisation, SchemePage, Workstream

from .models import (
    EvidenceStrength,
    GuidePage,
    KnowledgeIndexPage,
    Outcome,
    SolutionDocument,
    SolutionFigure,
    SolutionPage,
)

D = datetime.date
E = EvidenceStrength
O = Outcome  # noqa: E741 - short names keep the table below readable

DEMO_NOTE = (
    "callout",
    {
        "kind": "info",
        "heading": "Demo content",
        "text": "<p>This write-up is illustrative demo content: the scheme is real, the details and "
        "figures are made up to show how a solution is written.</p>",
    },
)


def contact(role, organisation, email=""):
    return (
        "contact",
        {"role": role, "name": "", "organisation": organisation, "email": email, "telephone": ""},
    )


def steps(*titles):
    return ("steps", {"heading": "", "steps": [{"title": title, "text": ""} for title in titles]})


def para(html):
    return ("paragraph", html)


# slug, title, summary, problem, context, what was done (blocks), outcome, figures, evidence,
# outcome value, workstreams, organisations, schemes, contacts, owner, last reviewed, next review,
# documents (titles), demo (fictional)
SOLUTIONS = [
    {
        "slug": "restorative-justice-faster-information-sharing",
        "title": "Restorative justice referrals shared in days, not weeks",
        "summary": "Putting restorative justice referrals on the shared case system cut the time partners took "
        "to share what a facilitator needs from weeks of e-mail to a few days.",
        "problem": "<p>Restorative justice facilitators waited for police, council and housing partners to e-mail "
        "them case details one by one. Referrals stalled for weeks and victims lost interest.</p>",
        "context": "<p>Pan-Sussex took restorative justice live on the case system in March 2015, under the "
        "scheme's existing Memorandum of Understanding, with the Office of the Sussex Police and Crime "
        "Commissioner commissioning the service.</p>",
        "body": [
            para(
                "<p>Referrals are now raised as cases on the system and shared with the facilitator's "
                "organisation, so every partner adds what it holds to one record.</p>"
            ),
            steps(
                "Agree restorative justice as a workstream under the MoU",
                "Give facilitators accounts with access to shared cases only",
                "Add a referral form with the consent questions facilitators need",
                "Review referral times at the quarterly steering group",
            ),
        ],
        "outcome": "<p>Information that took weeks to gather now arrives within days, and facilitators can "
        "contact victims while the offer is still relevant.</p>",
        "figures": [("Days, not weeks", "to share what a facilitator needs")],
        "evidence": E.EVALUATED_LOCALLY,
        "result": O.WORKED,
        "workstreams": ["restorative-justice"],
        "organisations": ["Sussex Police", "Office of the Sussex Police and Crime Commissioner"],
        "schemes": ["pan-sussex"],
        "contacts": [
            contact("Restorative justice lead", "Office of the Sussex Police and Crime Commissioner")
        ],
        "reviewed": (D(2025, 3, 1), D(2026, 3, 1)),
        "documents": ["Pan-Sussex Memorandum of Understanding"],
        "demo": False,
    },
    {
        "slug": "integrated-offender-management-shared-caseload",
        "title": "Integrated offender management on one shared caseload",
        "summary": "Police, probation and council partners manage the most persistent offenders from one case "
        "record instead of three spreadsheets.",
        "problem": "<p>Each agency kept its own list of the people in the IOM cohort, and offender managers "
        "spent meeting time reconciling them.</p>",
        "context": "<p>Pan-Sussex started integrated offender management on the case system in August 2015, "
        "five months after restorative justice went live.</p>",
        "body": [
            DEMO_NOTE,
            para(
                "<p>The cohort lives on the case system as shared cases, with actions assigned to the agency "
                "that owns them and a monthly review of every case.</p>"
            ),
        ],
        "outcome": "<p>Monthly cohort meetings are shorter and start from the same list.</p>",
        "figures": [("40%", "shorter cohort review meetings"), ("3 to 1", "lists replaced by one caseload")],
        "evidence": E.EVALUATED_LOCALLY,
        "result": O.PROMISING,
        "workstreams": ["integrated-offender-management"],
        "organisations": ["Sussex Police", "Sussex Criminal Justice Board"],
        "schemes": ["pan-sussex"],
        "contacts": [contact("IOM coordinator", "Sussex Police")],
        "reviewed": (D(2024, 8, 1), D(2025, 8, 1)),
        "documents": [],
        "demo": True,
    },
    {
        "slug": "hate-crime-third-party-reporting-centres",
        "title": "Third-party reporting centres for hate crime",
        "summary": "Libraries, community centres and a students' union take hate crime reports and pass them to "
        "the police and council through the case system, with the victim's consent.",
        "problem": "<p>Many people who experience hate crime will not report it to the police directly, so "
        "partners never see the pattern.</p>",
        "context": "<p>Brighton &amp; Hove and the district councils of East Sussex, with Sussex Police.</p>",
        "body": [
            DEMO_NOTE,
            steps(
                "Recruit and train staff at trusted local venues",
                "Give each centre a simple reporting form that opens a case",
                "Share each report with the police and the council's community safety team",
                "Feed anonymous reports into the monthly tension monitoring",
            ),
        ],
        "outcome": "<p>Reports from communities that rarely came forward rose, and repeat locations were "
        "spotted sooner.</p>",
        "figures": [("2.5 times", "as many reports in the first year"), ("31", "reporting centres")],
        "evidence": E.INDEPENDENTLY_EVALUATED,
        "result": O.WORKED,
        "workstreams": ["hate-crime"],
        "organisations": ["Brighton & Hove City Council", "Sussex Police"],
        "schemes": ["pan-sussex"],
        "contacts": [contact("Hate crime coordinator", "Brighton & Hove City Council")],
        "reviewed": (D(2025, 6, 1), D(2026, 6, 1)),
        "documents": [],
        "demo": True,
    },
    {
        "slug": "street-homelessness-multi-agency-panel",
        "title": "A weekly multi-agency panel for people sleeping rough",
        "summary": "Outreach, housing, police, health and drug and alcohol services review every person sleeping "
        "rough each week from one shared case.",
        "problem": "<p>People sleeping rough were known to five services, each with part of the story, and "
        "offers of accommodation were made without the full picture.</p>",
        "context": "<p>Hastings and Eastbourne, with the county council and the mental health trust.</p>",
        "body": [
            DEMO_NOTE,
            para(
                "<p>Each person has one case shared with every agency at the panel; actions are agreed at the "
                "meeting and recorded against the case.</p>"
            ),
        ],
        "outcome": "<p>More people moved into accommodation and stayed there.</p>",
        "figures": [
            ("62%", "of people reviewed accommodated within 12 weeks"),
            ("18%", "fewer returns to the street"),
        ],
        "evidence": E.EVALUATED_LOCALLY,
        "result": O.WORKED,
        "workstreams": ["street-homelessness"],
        "organisations": [
            "Hastings Borough Council",
            "Eastbourne Borough Council",
            "Sussex Partnership NHS Foundation Trust",
        ],
        "schemes": ["pan-sussex"],
        "contacts": [contact("Rough sleeping coordinator", "Hastings Borough Council")],
        "reviewed": (D(2025, 1, 1), None),
        "documents": [],
        "demo": True,
    },
    {
        "slug": "fly-tipping-hotspot-enforcement",
        "title": "Fly-tipping hotspots: shared evidence for prosecutions",
        "summary": "District councils and the police pool camera footage, vehicle checks and witness statements "
        "on one case so that fly-tipping prosecutions are ready sooner.",
        "problem": "<p>Evidence for fly-tipping was split between council enforcement officers and police, and "
        "cases timed out before a prosecution file was complete.</p>",
        "context": "<p>A pilot in the rural districts of West Sussex.</p>",
        "body": [
            DEMO_NOTE,
            para("<p>Each hotspot is a case; deployable cameras and vehicle checks are actions on it.</p>"),
        ],
        "outcome": "<p>Too early to say: the pilot has run for six months.</p>",
        "figures": [("14", "hotspots covered by the pilot")],
        "evidence": E.UNTESTED,
        "result": O.INNOVATIVE,
        "workstreams": ["fly-tipping"],
        "organisations": ["Horsham District Council", "Chichester District Council", "Sussex Police"],
        "schemes": ["pan-sussex"],
        "contacts": [contact("Environmental enforcement manager", "Horsham District Council")],
        "reviewed": (None, None),
        "documents": [],
        "demo": True,
    },
    {
        "slug": "asb-case-reviews-community-trigger",
        "title": "ASB case reviews that answer the community trigger in time",
        "summary": "Running every anti-social behaviour case review from the shared case history means the panel "
        "can answer a community trigger within the statutory timescale.",
        "problem": "<p>When a victim activated the community trigger, officers spent days collecting the case "
        "history from each partner before the review could start.</p>",
        "context": "<p>Every district and borough council in Sussex, with Sussex Police and the housing providers.</p>",
        "body": [
            DEMO_NOTE,
            steps(
                "Check the threshold from the shared case history",
                "Share the case with every agency on the review panel",
                "Record the panel's recommendations as actions",
                "Write to the victim with the outcome",
            ),
        ],
        "outcome": "<p>Reviews start on the day the trigger is accepted.</p>",
        "figures": [
            ("9 days", "saved on an average review"),
            ("100%", "of reviews answered within the timescale"),
        ],
        "evidence": E.INDEPENDENTLY_EVALUATED,
        "result": O.PROMISING,
        "workstreams": ["anti-social-behaviour"],
        "organisations": ["East Sussex County Council", "Sussex Police", "Southern Housing"],
        "schemes": ["pan-sussex"],
        "contacts": [contact("Anti-social behaviour coordinator", "East Sussex County Council")],
        "reviewed": (D(2025, 9, 1), D(2026, 9, 1)),
        "documents": [],
        "demo": True,
    },
    {
        "slug": "taxi-licensing-safeguarding-checks",
        "title": "Taxi licensing checks against shared safeguarding concerns",
        "summary": "Licensing officers see relevant police and safeguarding concerns about applicants and "
        "licensed drivers before a licence is granted or renewed.",
        "problem": "<p>Concerns about drivers reached licensing teams late, or not at all, when they came from a "
        "neighbouring authority.</p>",
        "context": "<p>A pilot between three district councils and Sussex Police.</p>",
        "body": [
            DEMO_NOTE,
            para(
                "<p>A licensing case is opened for each applicant with consent, and partners add "
                "concerns to it under the information-sharing agreement.</p>"
            ),
        ],
        "outcome": "<p>Two licences were refused on information that would not otherwise have been seen.</p>",
        "figures": [("2", "licences refused on shared information")],
        "evidence": E.UNTESTED,
        "result": O.PROMISING,
        "workstreams": ["taxi-licensing"],
        "organisations": ["Crawley Borough Council", "Sussex Police"],
        "schemes": ["pan-sussex"],
        "contacts": [contact("Licensing manager", "Crawley Borough Council")],
        "reviewed": (D(2024, 11, 1), D(2025, 11, 1)),
        "documents": [],
        "demo": True,
    },
    {
        "slug": "youth-diversion-first-time-entrants",
        "title": "Youth diversion for first-time entrants",
        "summary": "Young people stopped for a first, low-level offence are offered a diversion programme "
        "coordinated on the case system instead of a formal outcome.",
        "problem": "<p>First-time entrants to the youth justice system were rising, and the agencies that could "
        "help were not told until after a charge.</p>",
        "context": "<p>Greater Manchester's youth offending deterrence pilot, with the youth justice service.</p>",
        "body": [
            DEMO_NOTE,
            para(
                "<p>The police refer within 48 hours; the case is shared with youth services and "
                "the school's safeguarding lead.</p>"
            ),
        ],
        "outcome": "<p>Fewer young people reoffended within a year than in the comparison group.</p>",
        "figures": [("23%", "fewer reoffending within a year"), ("160", "young people diverted")],
        "evidence": E.INDEPENDENTLY_EVALUATED,
        "result": O.WORKED,
        "workstreams": ["youth-offending-deterrence"],
        "organisations": ["Greater Manchester Police", "Manchester City Council"],
        "schemes": ["greater-manchester"],
        "contacts": [contact("Youth diversion lead", "Manchester City Council")],
        "reviewed": (D(2025, 4, 1), D(2026, 4, 1)),
        "documents": [],
        "demo": True,
    },
    {
        "slug": "restorative-justice-neighbour-disputes",
        "title": "Restorative conferences for neighbour disputes",
        "summary": "Neighbour disputes that kept coming back as anti-social behaviour complaints were offered a "
        "restorative conference through a shared referral route.",
        "problem": "<p>The same neighbour disputes came back to the police and the council again and again.</p>",
        "context": "<p>Thames Valley's restorative justice service with Oxford City Council.</p>",
        "body": [
            DEMO_NOTE,
            para(
                "<p>Complaints meeting the criteria are referred from the ASB case to a "
                "restorative justice case with the same history.</p>"
            ),
        ],
        "outcome": "<p>Repeat calls about the disputes referred fell sharply.</p>",
        "figures": [("70%", "fewer repeat calls after a conference")],
        "evidence": E.EVALUATED_LOCALLY,
        "result": O.WORKED,
        "workstreams": ["restorative-justice", "anti-social-behaviour"],
        "organisations": ["Thames Valley Police", "Oxford City Council"],
        "schemes": ["thames-valley"],
        "contacts": [contact("Restorative justice manager", "Thames Valley Police")],
        "reviewed": (D(2025, 2, 1), D(2026, 2, 1)),
        "documents": [],
        "demo": True,
    },
    {
        "slug": "domestic-abuse-marac-actions",
        "title": "MARAC actions tracked on shared cases",
        "summary": "Actions agreed at the multi-agency risk assessment conference are recorded on a shared case "
        "and chased by the system, not by the coordinator.",
        "problem": "<p>MARAC coordinators chased actions by e-mail, and some were never completed.</p>",
        "context": "<p>Greater Manchester, with the boroughs' domestic abuse services.</p>",
        "body": [
            DEMO_NOTE,
            para(
                "<p>Each action has an owner agency and a due date; overdue actions appear on "
                "the coordinator's dashboard.</p>"
            ),
        ],
        "outcome": "<p>More actions are completed before the next conference.</p>",
        "figures": [("91%", "of actions completed on time, up from 64%")],
        "evidence": E.EVALUATED_LOCALLY,
        "result": O.PROMISING,
        "workstreams": ["domestic-abuse"],
        "organisations": ["Greater Manchester Police", "Manchester City Council"],
        "schemes": ["greater-manchester"],
        "contacts": [contact("MARAC coordinator", "Manchester City Council")],
        "reviewed": (D(2025, 5, 1), D(2026, 5, 1)),
        "documents": [],
        "demo": True,
    },
    {
        "slug": "asb-automatic-warning-letters",
        "title": "Automatic warning letters for anti-social behaviour",
        "summary": "A trial of warning letters generated automatically from the case system after a second "
        "complaint. It did not reduce complaints and was stopped.",
        "problem": "<p>Officers spent time writing first warning letters by hand.</p>",
        "context": "<p>Two district councils in East Sussex.</p>",
        "body": [
            DEMO_NOTE,
            para(
                "<p>Letters went out without an officer's review. Recipients often did not "
                "recognise the behaviour described, and some complained.</p>"
            ),
        ],
        "outcome": "<p>Complaints did not fall, and officers spent the time saved answering complaints about the "
        "letters. The scheme went back to letters an officer reviews, from a template.</p>",
        "figures": [("0%", "change in repeat complaints")],
        "evidence": E.EVALUATED_LOCALLY,
        "result": O.DID_NOT_WORK,
        "workstreams": ["anti-social-behaviour"],
        "organisations": ["Lewes District Council", "Wealden District Council"],
        "schemes": ["pan-sussex"],
        "contacts": [contact("Community safety manager", "Lewes District Council")],
        "reviewed": (D(2024, 6, 1), D(2025, 6, 1)),
        "documents": [],
        "demo": True,
    },
    {
        "slug": "vulnerable-people-fire-safe-and-well",
        "title": "Fire service safe and well visits for vulnerable people",
        "summary": "Partners refer vulnerable people they are worried about to the fire service for a safe and "
        "well visit from the shared case, with consent.",
        "problem": "<p>People at high risk of fire were known to partners but not to the fire service.</p>",
        "context": "<p>East Sussex, with adult social care and the housing providers.</p>",
        "body": [DEMO_NOTE, para("<p>A referral is an action for the fire service on the shared case.</p>")],
        "outcome": "<p>Visits reached people who had never had one.</p>",
        "figures": [("430", "visits from partner referrals in a year")],
        "evidence": E.UNTESTED,
        "result": O.WORKED,
        "workstreams": ["vulnerable-people"],
        "organisations": ["East Sussex Fire and Rescue Service", "East Sussex County Council"],
        "schemes": ["pan-sussex"],
        "contacts": [contact("Safe and well manager", "East Sussex Fire and Rescue Service")],
        "reviewed": (D(2025, 7, 1), D(2026, 7, 1)),
        "documents": [],
        "demo": True,
    },
    {
        "slug": "hate-crime-online-reporting-chatbot",
        "title": "An online chat for reporting hate incidents",
        "summary": "A web chat that helps people describe a hate incident and opens a case for the council. "
        "Too few people used it to judge.",
        "problem": "<p>Young people told the council they would not phone or visit to report a hate incident.</p>",
        "context": "<p>A small trial in Brighton &amp; Hove.</p>",
        "body": [
            DEMO_NOTE,
            para("<p>The chat asked the questions of the reporting form and created a case.</p>"),
        ],
        "outcome": "<p>Usage was low, and the trial ended without a clear result.</p>",
        "figures": [("12", "reports in six months")],
        "evidence": E.UNTESTED,
        "result": O.DID_NOT_WORK,
        "workstreams": ["hate-crime"],
        "organisations": ["Brighton & Hove City Council"],
        "schemes": ["pan-sussex"],
        "contacts": [contact("Community safety officer", "Brighton & Hove City Council")],
        "reviewed": (D(2025, 10, 1), D(2026, 10, 1)),
        "documents": [],
        "demo": True,
    },
]

GUIDES = [
    {
        "slug": "taking-a-first-workstream-live",
        "title": "Taking a first workstream live",
        "summary": "How a new scheme chooses its first workstream, agrees it under the MoU and takes it live on the "
        "case system.",
        "body": [
            para(
                "<p>Start with one workstream every partner already works on together, usually anti-social "
                "behaviour, and widen from there.</p>"
            ),
            steps(
                "Agree the workstream at the steering group",
                "Check the MoU and information-sharing agreement cover it",
                "Train the first users and supervisors",
                "Go live with a small team, then review after three months",
            ),
            (
                "callout",
                {
                    "kind": "tip",
                    "heading": "A senior chair helps",
                    "text": "<p>Schemes that started with a senior chair found partners signed up faster.</p>",
                },
            ),
        ],
        "workstreams": ["anti-social-behaviour"],
        "organisations": ["Sussex Police"],
        "schemes": ["pan-sussex"],
        "reviewed": (D(2025, 5, 1), D(2026, 5, 1)),
    },
    {
        "slug": "running-a-local-users-group",
        "title": "Running a local users' group",
        "summary": "How practitioners and supervisors meet to share what works on the case system and agree "
        "what to ask the supplier for.",
        "body": [
            para(
                "<p>A local users' group brings together the people who use the system every day. It meets "
                "between steering group meetings and reports to it.</p>"
            ),
            steps(
                "Invite one user and one supervisor from each partner",
                "Keep a shared list of issues and who is looking at each",
                "Agree which requests go to the supplier, and follow them up",
            ),
        ],
        "workstreams": ["anti-social-behaviour", "hate-crime"],
        "organisations": [],
        "schemes": ["pan-sussex"],
        "reviewed": (None, None),
    },
]

OWNERS = ["jo.bennett@sussex-pcc.gov.uk", "priya.shah@westsussex.gov.uk"]


def _index(home) -> KnowledgeIndexPage:
    index = KnowledgeIndexPage.objects.child_of(home).first()
    if index is None:
        index = KnowledgeIndexPage(
            title="Solutions and guides",
            slug="knowledge",
            show_in_menus=True,
            introduction="<p>How schemes across the country solved problems you may share, how well it "
            "worked and who to ask, with guides to doing it yourself.</p>",
        )
        home.add_child(instance=index)
        index.save_revision().publish()
    return index


def _fill(page, spec, *, workstreams, organisations, schemes, owners, position):
    page.workstreams.add(*[workstreams[slug] for slug in spec["workstreams"] if slug in workstreams])
    page.organisations = [organisations[name] for name in spec["organisations"] if name in organisations]
    page.contributing_schemes = [schemes[slug] for slug in spec["schemes"] if slug in schemes]
    page.last_reviewed, page.next_review = spec["reviewed"]
    page.content_owner = owners[position % len(owners)] if owners else None


def load_demo_knowledge(*, stdout) -> None:
    """Create the knowledge index and its demo pages; changes nothing when they exist already."""
    home = Site.objects.get(is_default_site=True).root_page
    with transaction.atomic():
        index = _index(home)
        existing = set(index.get_children().values_list("slug", flat=True))
        workstreams = {w.slug: w for w in Workstream.objects.all()}
        organisations = {o.name: o for o in Organisation.objects.all()}
        schemes = {s.slug: s for s in SchemePage.objects.all()}
        owners = list(User.objects.filter(email__in=OWNERS).order_by("email"))
        created = 0
        for position, spec in enumerate(SOLUTIONS):
            if spec["slug"] in existing:
                continue
            page = SolutionPage(
                title=spec["title"],
                slug=spec["slug"],
                summary=spec["summary"],
                problem=spec["problem"],
                context=spec["context"],
                what_was_done=spec["body"],
                outcome_summary=spec["outcome"],
                evidence_strength=spec["evidence"],
                outcome=spec["result"],
                contacts=spec["contacts"],
            )
            _fill(
                page,
                spec,
                workstreams=workstreams,
                organisations=organisations,
                schemes=schemes,
                owners=owners,
                position=position,
            )
            page.figures = [SolutionFigure(value=value, label=label) for value, label in spec["figures"]]
            documents = []
            for title in spec["documents"]:
                document = GovernanceDocument.objects.filter(title=title, status="agreed").first()
                if document is not None:
                    documents.append(SolutionDocument(document=document))
            page.related_documents = documents
            index.add_child(instance=page)
            page.save_revision().publish()
            created += 1
        for position, spec in enumerate(GUIDES):
            if spec["slug"] in existing:
                continue
            page = GuidePage(
                title=spec["title"], slug=spec["slug"], summary=spec["summary"], body=spec["body"]
            )
            _fill(
                page,
                spec,
                workstreams=workstreams,
                organisations=organisations,
                schemes=schemes,
                owners=owners,
                position=position,
            )
            index.add_child(instance=page)
            page.save_revision().publish()
            created += 1
    total = len(SOLUTIONS) + len(GUIDES)
    stdout.write(f"Solutions and guides: {created} created, {total - created} already there.")
