"""Demo forum: the national best-practice group with active topics across workstreams, the
Pan-Sussex steering group (named on the scheme page), a private Sussex local users' group
with a troubleshooting topic referred to the supplier (and moved on by its staff), and the
Pan-Sussex MoU draft 3.0 in consultation with clause comments; the resolved community trigger
question turned into a draft solution by a national editor. Members are the demo people of ``accounts.demo``. Safe to run
twice: nothing is added to a group that already exists."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from schemes.models import SchemePage, Workstream

from .kept import touch_topic
from .models import (
    ActionStatus,
    ColleagueProfile,
    ForumGroup,
    GroupAction,
    GroupKind,
    Meeting,
    Membership,
    Post,
    ReferralStatus,
    Role,
    Subscription,
    Topic,
    TopicKind,
    Visibility,
)
from .rendering import render_markdown

RUTH = "ruth.ellis@sussex.police.uk"
ALEX = "alex.morgan@brighton-hove.gov.uk"
PRIYA = "priya.shah@westsussex.gov.uk"
JO = "jo.bennett@sussex-pcc.gov.uk"
SAM = "sam.okafor@eastsussex.gov.uk"
CHRIS = "chris.lee@empowering-communities.org"
DANA = "dana.price@hastings.gov.uk"

COMMUNITY_TRIGGER = "Community trigger reviews: who chairs yours?"

GROUPS = [
    {
        "slug": "national-best-practice",
        "name": "National best-practice group",
        "kind": GroupKind.NATIONAL,
        "visibility": Visibility.OPEN,
        "description": "Members from every scheme share ideas, scheme successes and questions in real time.",
        "members": {
            JO: Role.CHAIR,
            SAM: Role.MODERATOR,
            RUTH: Role.MEMBER,
            ALEX: Role.MEMBER,
            PRIYA: Role.MEMBER,
            DANA: Role.MEMBER,
        },
        "topics": [
            {
                "title": COMMUNITY_TRIGGER,
                "kind": TopicKind.QUESTION,
                "workstreams": ["anti-social-behaviour"],
                "posts": [
                    (
                        ALEX,
                        "We are reviewing how we run **ASB case reviews** (the community trigger). Who chairs yours, and do you record the review on the case system?",
                    ),
                    (
                        RUTH,
                        "In Sussex the district community safety lead chairs, with police and housing attending. We record the review as an action on the case so it shows in the case history.",
                    ),
                    (
                        PRIYA,
                        "West Sussex does the same, and we added a case review template so every district asks the same questions. Happy to share it, @alex.morgan.",
                    ),
                ],
                "accepted": 2,
            },
            {
                "title": "Hate crime: third-party reporting centres feeding the case system",
                "kind": TopicKind.SUCCESS,
                "workstreams": ["hate-crime"],
                "posts": [
                    (
                        DANA,
                        "Hastings now takes referrals from three third-party reporting centres straight into the case system. Victims no longer repeat their story to each agency.",
                    ),
                    (SAM, "That is great to hear. How did you handle consent for sharing with the centres?"),
                    (
                        DANA,
                        "The centres sign up to the MoU as partners, and consent is recorded on the first contact form.",
                    ),
                ],
            },
            {
                "title": "Idea: shared outreach rota for street homelessness",
                "kind": TopicKind.IDEA,
                "workstreams": ["street-homelessness"],
                "posts": [
                    (
                        PRIYA,
                        "Could outreach teams in neighbouring districts share one rota on the system, so a rough sleeper who moves across a boundary keeps the same caseworker?",
                    ),
                    (
                        ALEX,
                        "Brighton & Hove would be keen: about a third of our contacts are seen in Adur or Lewes within a month.",
                    ),
                ],
            },
            {
                "title": "Welcome to the national best-practice group",
                "kind": TopicKind.ANNOUNCEMENT,
                "workstreams": [],
                "pinned": True,
                "posts": [
                    (
                        JO,
                        "Welcome! Please keep case details out of the forum: discuss issues, not individuals. Mention a colleague with @first.last, and mark the answer that solved your question.",
                    ),
                ],
            },
        ],
    },
    {
        "slug": "pan-sussex-steering",
        "name": "Pan-Sussex steering group",
        "kind": GroupKind.STEERING,
        "visibility": Visibility.OPEN,
        "join_by_request": True,
        "scheme": "pan-sussex",
        "description": "The lead partners of the Pan-Sussex scheme: they agree the MoU and oversee the local users' group. Meets every three months.",
        "members": {RUTH: Role.CHAIR, PRIYA: Role.MEMBER, JO: Role.MEMBER},
        "topics": [
            {
                "title": "Engaging registered social landlords, adult social care, mental health and environmental health",
                "kind": TopicKind.IDEA,
                "workstreams": ["anti-social-behaviour"],
                "posts": [
                    (
                        RUTH,
                        "Action from the last meeting: bring registered social landlords, adult social care, mental health and environmental health into the scheme. Who can lead each conversation?",
                    ),
                    (PRIYA, "I will take adult social care and mental health in West Sussex."),
                ],
            },
        ],
    },
    {
        "slug": "sussex-local-users",
        "name": "Sussex local users' group",
        "kind": GroupKind.LOCAL,
        "visibility": Visibility.PRIVATE,
        "scheme": "pan-sussex",
        "description": "Users and supervisors of the case system in Sussex: we discuss issues and troubleshoot together, then refer what needs development to the supplier. Not for individual cases.",
        "members": {SAM: Role.CHAIR, ALEX: Role.MEMBER, DANA: Role.MEMBER, CHRIS: Role.MEMBER},
        "topics": [
            {
                "title": "Attachments over 10 MB fail to upload",
                "kind": TopicKind.TROUBLESHOOTING,
                "workstreams": ["anti-social-behaviour"],
                "posts": [
                    (
                        DANA,
                        "Since the last update, attaching a scanned witness statement over about 10 MB fails with a spinner that never ends. Does anyone else see this?",
                    ),
                    (ALEX, "Same in Brighton & Hove. Splitting the PDF works as a stop-gap."),
                    (
                        CHRIS,
                        "Thank you both: we can reproduce it and are looking at the upload limit. We will report back here.",
                    ),
                ],
            },
        ],
    },
]


def load_demo_forum(*, stdout) -> None:
    users = {
        u.email: u
        for u in get_user_model().objects.filter(email__in=[RUTH, ALEX, PRIYA, JO, SAM, CHRIS, DANA])
    }
    workstreams = {w.slug: w for w in Workstream.objects.all()}
    created = 0
    with transaction.atomic():
        for spec in GROUPS:
            if ForumGroup.objects.filter(slug=spec["slug"]).exists():
                continue
            group = ForumGroup.objects.create(
                slug=spec["slug"],
                name=spec["name"],
                kind=spec["kind"],
                visibility=spec["visibility"],
                join_by_request=spec.get("join_by_request", False),
                description=spec["description"],
                scheme=SchemePage.objects.filter(slug=spec.get("scheme") or "").first(),
            )
            for email, role in spec["members"].items():
                if email in users:
                    Membership.objects.create(group=group, user=users[email], role=role)
            for age, topic_spec in enumerate(spec["topics"]):
                _topic(group, topic_spec, users, workstreams, days_ago=age * 3 + 1)
            created += 1
    stdout.write(f"Forum groups: {created} created, {len(GROUPS) - created} already there.")
    _demo_consultation(users, stdout=stdout)
    _demo_referral(users, stdout=stdout)
    _demo_meetings(users, stdout=stdout)
    _demo_colleagues(users)
    _demo_solution(users, stdout=stdout)


def _demo_solution(users, *, stdout) -> None:
    """Jo Bennett, a national editor, has turned the resolved community trigger question into
    a draft solution (unpublished: it waits for her to finish it in the Wagtail admin)."""
    from .services import ForumError
    from .solutions import topic_turn_into_solution

    topic = Topic.objects.filter(group__slug="national-best-practice", title=COMMUNITY_TRIGGER).first()
    editor = users.get(JO)
    if topic is None or editor is None:
        return
    try:
        page_id = topic_turn_into_solution(topic=topic, user=editor)
    except ForumError as refusal:
        stdout.write(f"Draft solution from the forum: not made ({refusal}).")
        return
    stdout.write(f"Draft solution from the forum: page {page_id}, from “{topic.title}”.")


def _demo_colleagues(users) -> None:
    """Two members listed in "Find a colleague" (one showing her address)."""
    entries = [
        (RUTH, "Chair, Pan-Sussex steering group", "Setting up a steering group and agreeing an MoU.", True),
        (ALEX, "ASB caseworker", "Warning letters and community triggers across districts.", False),
    ]
    for email, job_title, help_text, show_email in entries:
        if email in users:
            ColleagueProfile.objects.get_or_create(
                user=users[email],
                defaults={
                    "listed": True,
                    "job_title": job_title,
                    "can_help_with": help_text,
                    "show_email": show_email,
                },
            )


def _demo_meetings(users, *, stdout) -> None:
    """The Pan-Sussex steering group meets every three months: its last two meetings and the
    open action to engage new partners."""
    from datetime import date, timedelta

    group = ForumGroup.objects.filter(slug="pan-sussex-steering").first()
    if group is None or Meeting.objects.filter(group=group).exists():
        return
    today = date.today()
    members = [users[e] for e in (RUTH, PRIYA, JO) if e in users]
    with transaction.atomic():
        earlier = Meeting.objects.create(
            group=group,
            held_on=today - timedelta(days=180),
            agenda="MoU review timetable\nLocal users' group report\nReferrals to the supplier",
            minutes="The MoU 3.0 draft to go out for consultation. The local users' group reported slow case notes; referred to the supplier.",
            recorded_by=users.get(RUTH),
        )
        earlier.attendees.set(members)
        last = Meeting.objects.create(
            group=group,
            held_on=today - timedelta(days=90),
            agenda="New partners\nMoU 3.0 consultation\nTraining plan",
            minutes="Agreed to bring registered social landlords, adult social care, mental health and environmental health into the scheme.",
            recorded_by=users.get(RUTH),
        )
        last.attendees.set(members[:2])
        GroupAction.objects.create(
            group=group,
            meeting=last,
            what="Engage registered social landlords, adult social care, mental health and environmental health",
            owner=users.get(RUTH),
            due_on=today + timedelta(days=30),
        )
        GroupAction.objects.create(
            group=group,
            meeting=earlier,
            what="Send the MoU 3.0 draft out for consultation",
            owner=users.get(JO),
            due_on=today - timedelta(days=100),
            status=ActionStatus.DONE,
        )
    stdout.write("Forum: the steering group's meetings and actions.")


# Clause comments on the Pan-Sussex MoU draft 3.0: (author, clause or None, message). Clause
# numbers count the paragraphs of the extracted text: 12 is "3.3" (the new partners), 18 is
# "5.2" (two-step verification), 32 is "12.1" (review).
CONSULTATION_COMMENTS = [
    (
        RUTH,
        12,
        "Adding the new partners here is welcome. Can the schedule say which team in each council signs?",
    ),
    (
        PRIYA,
        12,
        "West Sussex adult social care is ready to sign; mental health will need its own DPIA first.",
    ),
    (
        ALEX,
        18,
        "Two-step verification for every account: our housing officers share phones. Could the clause allow hardware keys?",
    ),
    (DANA, None, "Hastings supports the draft as a whole. A plain-English summary for partners would help."),
    (JO, 32, "The two-year review suits the steering group's cadence."),
]


def _demo_consultation(users, *, stdout) -> None:
    """The draft 3.0 in consultation (documents' demo makes it), its thread and comments."""
    from documents.demo import load_demo_consultation_draft

    from .consultation import consultation_sync

    document = load_demo_consultation_draft(stdout=stdout)
    if document is None:
        return
    consultation = consultation_sync(document=document)
    if consultation is None or consultation.topic.posts.filter(is_notice=False).exists():
        return
    _add_posts(
        consultation.topic,
        [(users.get(email), body, clause) for email, clause, body in CONSULTATION_COMMENTS],
    )
    stdout.write(f"Consultation: {len(CONSULTATION_COMMENTS)} comments on {consultation.topic.title}.")


def _add_posts(topic, posts) -> None:
    """Posts written straight after the topic's last one (the demo notifies nobody)."""
    with transaction.atomic():
        topic = Topic.objects.select_for_update().get(pk=topic.pk)
        start = topic.post_count
        Post.objects.bulk_create(
            [
                Post(
                    topic=topic,
                    number=start + n,
                    author=author,
                    body=body,
                    body_html=render_markdown(body),
                    clause=clause,
                )
                for n, (author, body, clause) in enumerate(posts, start=1)
            ]
        )
        Topic.objects.filter(pk=topic.pk).update(post_count=start + len(posts), last_posted_at=timezone.now())
        touch_topic(topic.pk)  # bulk_create and update() send no signal
        for author in {a for a, _body, _clause in posts if a is not None}:
            Subscription.objects.get_or_create(user=author, topic=topic)


REFERRAL_STEPS = [
    (ReferralStatus.ACKNOWLEDGED, "We can reproduce it with files over 10 MB on the Sussex instance."),
    (
        ReferralStatus.IN_DEVELOPMENT,
        "A fix raising the limit to 50 MB, with a clear message above it, is in the next release.",
    ),
]


def _demo_referral(users, *, stdout) -> None:
    """The private group's troubleshooting topic, referred by its chair and moved on by the
    supplier's product manager."""
    from .referrals import referral_create, referral_set_status

    topic = Topic.objects.filter(
        group__slug="sussex-local-users", kind=TopicKind.TROUBLESHOOTING, referral__isnull=True
    ).first()
    chair, supplier = users.get(SAM), users.get(CHRIS)
    if topic is None or chair is None or supplier is None:
        return
    referral = referral_create(
        topic=topic,
        referred_by=chair,
        summary="Attachments over about 10 MB never finish uploading. Please raise the limit or say clearly "
        "when a file is too large.",
    )
    for status, note in REFERRAL_STEPS:
        referral = referral_set_status(referral=referral, status=status, actor=supplier, note=note)
    stdout.write(f"Referral: {referral.reference} ({referral.get_status_display()}).")


def _topic(group, spec, users, workstreams, *, days_ago):
    start = timezone.now() - timedelta(days=days_ago)
    posts = [(users.get(email), body) for email, body in spec["posts"]]
    topic = Topic.objects.create(
        group=group,
        title=spec["title"],
        kind=spec["kind"],
        author=posts[0][0],
        is_pinned=spec.get("pinned", False),
        post_count=len(posts),
        last_posted_at=start + timedelta(hours=len(posts) - 1),
    )
    topic.workstreams.set([workstreams[slug] for slug in spec["workstreams"] if slug in workstreams])
    made = Post.objects.bulk_create(
        [
            Post(topic=topic, number=n, author=author, body=body, body_html=render_markdown(body))
            for n, (author, body) in enumerate(posts, start=1)
        ]
    )
    if spec.get("accepted"):
        topic.accepted_post = Post.objects.get(topic=topic, number=spec["accepted"])
        topic.save(update_fields=["accepted_post"])
    for author in {a for a, _ in posts if a is not None}:
        Subscription.objects.get_or_create(user=author, topic=topic)
    return made
