"""Demo taxonomy and schemes: the Pan-Sussex partnership as its steering group describes it, and
three more (fictional, marked as demo content in their pages)."""

import datetime

from wagtail.models import Site

from .models import (
    Organisation,
    OrganisationEmailDomain,
    Region,
    SchemeIndexPage,
    SchemePage,
    SchemePartner,
    SchemeWorkstreamUse,
    Workstream,
    WorkstreamUse,
)
from .models import (
    OrganisationKind as Kind,
)

SE = Region.SOUTH_EAST

# (name, kind, region, e-mail domains, website)
ORGANISATIONS = [
    ("Sussex Police", Kind.POLICE_FORCE, SE, ["sussex.police.uk"], "https://www.sussex.police.uk"),
    (
        "East Sussex County Council",
        Kind.COUNTY_COUNCIL,
        SE,
        ["eastsussex.gov.uk"],
        "https://www.eastsussex.gov.uk",
    ),
    (
        "West Sussex County Council",
        Kind.COUNTY_COUNCIL,
        SE,
        ["westsussex.gov.uk"],
        "https://www.westsussex.gov.uk",
    ),
    (
        "Brighton & Hove City Council",
        Kind.UNITARY_AUTHORITY,
        SE,
        ["brighton-hove.gov.uk"],
        "https://www.brighton-hove.gov.uk",
    ),
    (
        "Eastbourne Borough Council",
        Kind.DISTRICT_COUNCIL,
        SE,
        ["lewes-eastbourne.gov.uk"],
        "https://www.lewes-eastbourne.gov.uk",
    ),
    (
        "Lewes District Council",
        Kind.DISTRICT_COUNCIL,
        SE,
        ["lewes-eastbourne.gov.uk"],
        "https://www.lewes-eastbourne.gov.uk",
    ),
    (
        "Hastings Borough Council",
        Kind.DISTRICT_COUNCIL,
        SE,
        ["hastings.gov.uk"],
        "https://www.hastings.gov.uk",
    ),
    ("Rother District Council", Kind.DISTRICT_COUNCIL, SE, ["rother.gov.uk"], "https://www.rother.gov.uk"),
    ("Wealden District Council", Kind.DISTRICT_COUNCIL, SE, ["wealden.gov.uk"], "https://www.wealden.gov.uk"),
    (
        "Adur District Council",
        Kind.DISTRICT_COUNCIL,
        SE,
        ["adur-worthing.gov.uk"],
        "https://www.adur-worthing.gov.uk",
    ),
    (
        "Worthing Borough Council",
        Kind.DISTRICT_COUNCIL,
        SE,
        ["adur-worthing.gov.uk"],
        "https://www.adur-worthing.gov.uk",
    ),
    ("Arun District Council", Kind.DISTRICT_COUNCIL, SE, ["arun.gov.uk"], "https://www.arun.gov.uk"),
    (
        "Chichester District Council",
        Kind.DISTRICT_COUNCIL,
        SE,
        ["chichester.gov.uk"],
        "https://www.chichester.gov.uk",
    ),
    ("Crawley Borough Council", Kind.DISTRICT_COUNCIL, SE, ["crawley.gov.uk"], "https://crawley.gov.uk"),
    ("Horsham District Council", Kind.DISTRICT_COUNCIL, SE, ["horsham.gov.uk"], "https://www.horsham.gov.uk"),
    (
        "Mid Sussex District Council",
        Kind.DISTRICT_COUNCIL,
        SE,
        ["midsussex.gov.uk"],
        "https://www.midsussex.gov.uk",
    ),
    ("East Sussex Trading Standards", Kind.TRADING_STANDARDS, SE, ["eastsussex.gov.uk"], ""),
    ("West Sussex Trading Standards", Kind.TRADING_STANDARDS, SE, ["westsussex.gov.uk"], ""),
    ("Sussex Criminal Justice Board", Kind.CRIMINAL_JUSTICE_BOARD, SE, ["sussexcjb.org.uk"], ""),
    ("East Sussex Fire and Rescue Service", Kind.FIRE_AND_RESCUE, SE, ["esfrs.org"], "https://www.esfrs.org"),
    ("West Sussex Fire and Rescue Service", Kind.FIRE_AND_RESCUE, SE, ["westsussex.gov.uk"], ""),
    (
        "Office of the Sussex Police and Crime Commissioner",
        Kind.PCC_OFFICE,
        SE,
        ["sussex-pcc.gov.uk"],
        "https://www.sussex-pcc.gov.uk",
    ),
    ("Sussex Partnership NHS Foundation Trust", Kind.MENTAL_HEALTH_TRUST, SE, ["spft.nhs.uk"], ""),
    ("Southern Housing", Kind.SOCIAL_LANDLORD, SE, ["southernhousing.org.uk"], ""),
    (
        "Thames Valley Police",
        Kind.POLICE_FORCE,
        SE,
        ["thamesvalley.police.uk"],
        "https://www.thamesvalley.police.uk",
    ),
    (
        "Greater Manchester Police",
        Kind.POLICE_FORCE,
        Region.NORTH_WEST,
        ["gmp.police.uk"],
        "https://www.gmp.police.uk",
    ),
    ("Manchester City Council", Kind.UNITARY_AUTHORITY, Region.NORTH_WEST, ["manchester.gov.uk"], ""),
    ("Oxford City Council", Kind.DISTRICT_COUNCIL, SE, ["oxford.gov.uk"], ""),
    ("Empowering-Communities", Kind.SUPPLIER, Region.NATIONAL, ["empowering-communities.org"], ""),
    # Fictional, for the demo's fourth scheme.
    ("Wessex Vale Constabulary", Kind.POLICE_FORCE, Region.SOUTH_WEST, ["wessexvale.police.example"], ""),
    (
        "Vale of Wessex District Council",
        Kind.DISTRICT_COUNCIL,
        Region.SOUTH_WEST,
        ["valeofwessex.example"],
        "",
    ),
]

D = datetime.date
EAST_SUSSEX_DISTRICTS = [
    "Eastbourne Borough Council",
    "Hastings Borough Council",
    "Lewes District Council",
    "Rother District Council",
    "Wealden District Council",
]
WEST_SUSSEX_DISTRICTS = [
    "Adur District Council",
    "Arun District Council",
    "Chichester District Council",
    "Crawley Borough Council",
    "Horsham District Council",
    "Mid Sussex District Council",
    "Worthing Borough Council",
]
# (organisation, role in the scheme, joined): the lead force, all 12 district and borough
# councils, both county councils, trading standards, the criminal justice board, the fire
# services and the police and crime commissioner's office, as the steering group lists them.
SUSSEX_PARTNERS = [
    (
        "Sussex Police",
        "Lead partner: hosts the scheme's administration and chairs the steering group",
        D(2014, 4, 1),
    ),
    ("East Sussex County Council", "Steering group member", D(2014, 4, 1)),
    ("West Sussex County Council", "Steering group member", D(2014, 4, 1)),
    *[(name, "Case-managing partner", D(2014, 4, 1)) for name in EAST_SUSSEX_DISTRICTS],
    *[(name, "Case-managing partner", D(2015, 1, 1)) for name in WEST_SUSSEX_DISTRICTS],
    ("East Sussex Trading Standards", "Partner: doorstep crime and scams", D(2016, 6, 1)),
    ("West Sussex Trading Standards", "Partner: doorstep crime and scams", D(2016, 6, 1)),
    ("Sussex Criminal Justice Board", "Steering group member: restorative justice", D(2015, 3, 1)),
    ("East Sussex Fire and Rescue Service", "Partner: fire-setting and vulnerable people", D(2016, 1, 1)),
    ("West Sussex Fire and Rescue Service", "Partner: fire-setting and vulnerable people", D(2016, 1, 1)),
    ("Office of the Sussex Police and Crime Commissioner", "Funder and steering group member", D(2014, 4, 1)),
]

DEMO_MARK = "Demo content: a fictional scheme."

SCHEMES = [
    {
        "slug": "pan-sussex",
        "title": "Pan-Sussex",
        "summary": "Sussex Police, East and West Sussex County Councils, the 12 district and borough councils and their partners share anti-social behaviour, hate crime and street homelessness cases on one system.",
        "lead_force": "Sussex Police",
        "region": SE,
        "partners": SUSSEX_PARTNERS,
        "steering_group": "The lead partners (Sussex Police, both county councils, the police and crime commissioner's office and the criminal justice board) agree the Memorandum of Understanding, decide which workstreams go live and oversee the local users' group.",
        "chair": "Chief superintendent, Sussex Police (a senior chair helps during start-up)",
        "cadence": "Every three months",
        "supplier": "Half the meetings",
        "body": "<p>The scheme began in 2014 with anti-social behaviour case management across the 12 district and borough councils, and has since grown to hate crime, street homelessness, restorative justice and integrated offender management.</p><p>Its Memorandum of Understanding has been shared with several other forces to help with their governance, and adapted by them.</p>",
        "workstreams": [
            ("anti-social-behaviour", WorkstreamUse.LIVE, D(2014, 4, 1)),
            ("hate-crime", WorkstreamUse.LIVE, D(2016, 10, 1)),
            ("street-homelessness", WorkstreamUse.LIVE, D(2018, 1, 1)),
            ("restorative-justice", WorkstreamUse.LIVE, D(2015, 3, 1)),
            ("integrated-offender-management", WorkstreamUse.LIVE, D(2015, 8, 1)),
            ("youth-offending-deterrence", WorkstreamUse.PILOT, D(2024, 9, 1)),
            ("fly-tipping", WorkstreamUse.PILOT, D(2025, 1, 1)),
            ("taxi-licensing", WorkstreamUse.PILOT, D(2025, 4, 1)),
        ],
        "successes": [
            "Restorative justice live since March 2015: it cut the time taken to share information between partners.",
            "Integrated offender management on the system since August 2015.",
            "All 12 district and borough councils work anti-social behaviour cases on one system.",
            "Its Memorandum of Understanding was shared with, and adapted by, other forces.",
        ],
        "planned": "Planned engagement: registered social landlords, adult social care, mental health and environmental health.",
        "contacts": [
            {
                "name": "Scheme administrator",
                "role": "Partnerships and Prevention",
                "organisation": "Sussex Police",
                "email": "pan-sussex.scheme@sussex.police.uk",
                "phone": "",
            }
        ],
    },
    {
        "slug": "thames-valley",
        "title": "Thames Valley",
        "summary": "Thames Valley Police and the councils of Berkshire, Buckinghamshire and Oxfordshire manage anti-social behaviour and restorative justice cases together.",
        "lead_force": "Thames Valley Police",
        "region": SE,
        "partners": [
            ("Thames Valley Police", "Lead partner", D(2017, 9, 1)),
            ("Oxford City Council", "Case-managing partner", D(2017, 9, 1)),
        ],
        "steering_group": "The force and the unitary and district councils that manage cases.",
        "chair": "Superintendent, Neighbourhood Policing, Thames Valley Police",
        "cadence": "Every two months",
        "supplier": "Once a year",
        "body": "<p>A partnership built around restorative justice, with a shared referral route into the case system. Its MoU was adapted from Pan-Sussex's.</p>",
        "workstreams": [
            ("anti-social-behaviour", WorkstreamUse.LIVE, D(2017, 9, 1)),
            ("restorative-justice", WorkstreamUse.LIVE, D(2019, 4, 1)),
            ("hate-crime", WorkstreamUse.PLANNED, D(2026, 4, 1)),
        ],
        "successes": ["A single referral route for restorative justice across three counties."],
        "demo": True,
    },
    {
        "slug": "greater-manchester",
        "title": "Greater Manchester",
        "summary": "Greater Manchester Police and the ten boroughs use the case system for anti-social behaviour, domestic abuse and youth offending deterrence.",
        "lead_force": "Greater Manchester Police",
        "region": Region.NORTH_WEST,
        "partners": [
            ("Greater Manchester Police", "Lead partner", D(2015, 1, 1)),
            ("Manchester City Council", "Chairs the steering group", D(2015, 1, 1)),
        ],
        "steering_group": "A head of community safety from each borough and the force.",
        "chair": "Head of Community Safety, Manchester City Council",
        "cadence": "Every month",
        "supplier": "Every other meeting",
        "body": "<p>One of the largest schemes, with a users' group in each borough.</p>",
        "workstreams": [
            ("anti-social-behaviour", WorkstreamUse.LIVE, D(2015, 1, 1)),
            ("domestic-abuse", WorkstreamUse.LIVE, D(2020, 3, 1)),
            ("youth-offending-deterrence", WorkstreamUse.PILOT, D(2025, 1, 1)),
        ],
        "successes": ["Ten boroughs on one system within two years."],
        "demo": True,
    },
    {
        "slug": "wessex-vale",
        "title": "Wessex Vale",
        "summary": "A fictional scheme: Wessex Vale Constabulary and four district councils starting out with anti-social behaviour and fly-tipping.",
        "lead_force": "Wessex Vale Constabulary",
        "region": Region.SOUTH_WEST,
        "partners": [
            ("Wessex Vale Constabulary", "Lead partner", D(2025, 6, 1)),
            ("Vale of Wessex District Council", "Case-managing partner", D(2025, 6, 1)),
        ],
        "steering_group": "Formed in 2025 with a senior chair for the start-up year.",
        "chair": "Assistant chief constable, Wessex Vale Constabulary",
        "cadence": "Every six weeks during start-up",
        "supplier": "Every meeting during start-up",
        "body": "<p>A new scheme following the onboarding route.</p>",
        "workstreams": [
            ("anti-social-behaviour", WorkstreamUse.PILOT, D(2025, 11, 1)),
            ("fly-tipping", WorkstreamUse.PLANNED, D(2026, 6, 1)),
        ],
        "successes": [],
        "demo": True,
    },
]


def load_organisations(*, stdout) -> dict[str, Organisation]:
    created = 0
    organisations = {}
    for name, kind, region, domains, website in ORGANISATIONS:
        org, was_created = Organisation.objects.get_or_create(
            name=name, defaults={"kind": kind, "region": region, "website": website}
        )
        created += was_created
        for domain in domains:
            OrganisationEmailDomain.objects.get_or_create(organisation=org, domain=domain)
        organisations[name] = org
    stdout.write(f"Organisations: {created} created, {len(ORGANISATIONS) - created} already there.")
    return organisations


def load_schemes(*, stdout, organisations: dict[str, Organisation]) -> None:
    home = Site.objects.get(is_default_site=True).root_page
    index = SchemeIndexPage.objects.child_of(home).first()
    if index is None:
        index = SchemeIndexPage(
            title="Schemes",
            slug="schemes",
            show_in_menus=True,
            introduction="<p>The partnerships that run their multi-agency case work on the shared case system, who leads them and what they use it for.</p>",
        )
        home.add_child(instance=index)
        index.save_revision().publish()
    workstreams = {w.slug: w for w in Workstream.objects.all()}
    created = 0
    for spec in SCHEMES:
        if SchemePage.objects.child_of(index).filter(slug=spec["slug"]).exists():
            continue
        body = spec["body"]
        if spec.get("planned"):
            body += f"<p>{spec['planned']}</p>"
        if spec.get("demo"):
            body = f"<p><strong>{DEMO_MARK}</strong></p>" + body
        scheme = SchemePage(
            title=spec["title"],
            slug=spec["slug"],
            summary=spec["summary"],
            lead_force=organisations[spec["lead_force"]],
            region=spec["region"],
            body=body,
            steering_group=spec["steering_group"],
            steering_group_chair=spec["chair"],
            meeting_cadence=spec["cadence"],
            supplier_attendance=spec["supplier"],
            successes=[("success", text) for text in spec["successes"]],
            contacts=[("contact", contact) for contact in spec.get("contacts", [])],
        )
        scheme.partner_roles = [
            SchemePartner(organisation=organisations[name], role=role, joined_on=joined)
            for name, role, joined in spec["partners"]
        ]
        scheme.partners = [organisations[name] for name, _role, _joined in spec["partners"]]
        scheme.workstream_uses = [
            SchemeWorkstreamUse(workstream=workstreams[slug], status=status, started_on=started)
            for slug, status, started in spec["workstreams"]
        ]
        index.add_child(instance=scheme)
        scheme.save_revision().publish()
        created += 1
    stdout.write(f"Schemes: {created} created, {len(SCHEMES) - created} already there.")
