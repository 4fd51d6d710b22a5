"""Demo site pages: the home page's introduction, about, members' area and footer pages."""

from wagtail.models import PageViewRestriction, Site

from .models import HomePage, StandardPage

INTRODUCTION = (
    "<p>Police forces, councils, fire and rescue services and their partners run community safety "
    "schemes on a shared case-management system. This is where those schemes meet: to find the "
    "Memoranda of Understanding and information-sharing agreements others have agreed, learn how "
    "other schemes solved the problems you face, and discuss what the system should do next.</p>"
)


def _section(heading, *paragraphs):
    blocks = [{"type": "heading", "value": heading}]
    blocks += [{"type": "paragraph", "value": f"<p>{p}</p>"} for p in paragraphs]
    return blocks


PAGES = [
    {
        "slug": "about",
        "title": "About the forum",
        "summary": "Why the national best-practice forum exists and who runs it.",
        "show_in_menus": True,
        "body": _section(
            "Why it exists",
            "Every scheme on the shared case system writes its own Memorandum of Understanding, trains its own users and solves the same problems alone. The forum lets them reuse each other's work.",
            "It is run by the national best-practice group, with a working group of editors from the schemes.",
        )
        + _section(
            "Who can join",
            "Staff of the partner organisations of any scheme can create an account with their work e-mail address. An approver at their organisation confirms who they are.",
        ),
    },
    {
        "slug": "members",
        "title": "Members' area",
        "summary": "News and guidance for approved members.",
        "show_in_menus": True,
        "members_only": True,
        "body": _section(
            "Getting started",
            "Welcome to the forum. Start with the document library to see the agreements other schemes use, then join your local users' group.",
        ),
    },
    {
        "slug": "privacy-notice",
        "title": "Privacy notice",
        "summary": "What personal data the forum holds about you, why, and your rights.",
        "show_in_footer": True,
        "body": _section(
            "What we hold",
            "Your name, work e-mail address, organisation, job title and what you post. We use them to run your account and the forum, under the public task of the partner organisations.",
        )
        + _section(
            "Your rights",
            "You can ask for a copy of your data, ask us to correct it, or close your account. Contact your organisation's data protection officer.",
        ),
    },
    {
        "slug": "accessibility-statement",
        "title": "Accessibility statement",
        "summary": "How accessible this website is and how to report a problem.",
        "show_in_footer": True,
        "body": _section(
            "Using this website",
            "We want as many people as possible to be able to use this website. You should be able to change colours and fonts, zoom in up to 400% without the text spilling off the screen, and navigate the whole site using just a keyboard or a screen reader.",
        )
        + _section(
            "Compliance status",
            "This website aims to meet the Web Content Accessibility Guidelines version 2.2 AA standard. Each page template is tested automatically with axe and by keyboard before release.",
        )
        + _section(
            "Reporting accessibility problems",
            "If you find a problem that we have not listed, tell the forum's editors through your organisation's approver. If you are not happy with how we respond, contact the Equality Advisory and Support Service (EASS).",
        ),
    },
]


def load_pages(*, stdout) -> HomePage:
    home = Site.objects.get(is_default_site=True).root_page.specific
    if home.introduction != INTRODUCTION and "national meeting place" in home.introduction:
        home.introduction = INTRODUCTION
        home.title = "Share what works in community safety"
        home.save_revision().publish()
    created = 0
    for spec in PAGES:
        if StandardPage.objects.child_of(home).filter(slug=spec["slug"]).exists():
            continue
        page = StandardPage(
            title=spec["title"],
            slug=spec["slug"],
            summary=spec["summary"],
            body=spec["body"],
            show_in_menus=spec.get("show_in_menus", False),
            show_in_footer=spec.get("show_in_footer", False),
        )
        home.add_child(instance=page)
        page.save_revision().publish()
        if spec.get("members_only"):
            # LOGIN: the viewer's rule (serving.viewer) opens it to approved members only.
            PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
        created += 1
    stdout.write(f"Pages: {created} created, {len(PAGES) - created} already there.")
    return home
