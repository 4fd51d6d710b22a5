"""Demo taxonomy and schemes: the Pan-Sussex partnership and two others."""

import datetime

from wagtail.models import Site

from .models import (
    Organisation,
    OrganisationEmailDomain,
    Region,
    SchemeIndexPage,
    SchemePage,
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
]

SUSSEX_PARTNERS = [name for name, *_ in ORGANISATIONS[:24]]

SCHEMES = [
    {
        "slug": "pan-sussex",
        "title": "Pan-Sussex",
        "summary": "Sussex Police, the county, unitary, district and borough councils of East and West Sussex and their partners share anti-social behaviour, hate crime and street community cases on one system.",
        "lead_force": "Sussex Police",
        "region": SE,
        "partners": SUSSEX_PARTNERS,
        "chair": "Chief Inspector, Partnerships and Prevention, Sussex Police",
        "cadence": "Every quarter",
        "body": "<p>The scheme began in 2014 with anti-social behaviour case management across the 12 district and borough councils, and has since grown to hate crime, street homelessness and integrated offender management.</p><p>A steering group of the lead partners agrees the Memorandum of Understanding and oversees the local users' group.</p>",
        "workstreams": [
            ("anti-social-behaviour", WorkstreamUse.LIVE, datetime.date(2014, 4, 1)),
            ("hate-crime", WorkstreamUse.LIVE, datetime.date(2016, 10, 1)),
            ("street-homelessness", WorkstreamUse.LIVE, datetime.date(2018, 1, 1)),
            ("integrated-offender-management", WorkstreamUse.PILOT, datetime.date(2024, 6, 1)),
            ("fly-tipping", WorkstreamUse.PLANNED, None),
        ],
    },
    {
        "slug": "thames-valley",
        "title": "Thames Valley",
        "summary": "Thames Valley Police and the councils of Berkshire, Buckinghamshire and Oxfordshire manage anti-social behaviour and restorative justice cases together.",
        "lead_force": "Thames Valley Police",
        "region": SE,
        "partners": ["Thames Valley Police", "Oxford City Council"],
        "chair": "Superintendent, Neighbourhood Policing, Thames Valley Police",
        "cadence": "Every two months",
        "body": "<p>A partnership built around restorative justice, with a shared referral route into the case system.</p>",
        "workstreams": [
            ("anti-social-behaviour", WorkstreamUse.LIVE, datetime.date(2017, 9, 1)),
            ("restorative-justice", WorkstreamUse.LIVE, datetime.date(2019, 4, 1)),
        ],
    },
    {
        "slug": "greater-manchester",
        "title": "Greater Manchester",
        "summary": "Greater Manchester Police and the ten boroughs use the case system for anti-social behaviour, domestic abuse and youth offending deterrence.",
        "lead_force": "Greater Manchester Police",
        "region": Region.NORTH_WEST,
        "partners": ["Greater Manchester Police", "Manchester City Council"],
        "chair": "Head of Community Safety, Manchester City Council",
        "cadence": "Every month",
        "body": "<p>One of the largest schemes, with a users' group in each borough.</p>",
        "workstreams": [
            ("anti-social-behaviour", WorkstreamUse.LIVE, datetime.date(2015, 1, 1)),
            ("domestic-abuse", WorkstreamUse.LIVE, datetime.date(2020, 3, 1)),
            ("youth-offending-deterrence", WorkstreamUse.PILOT, datetime.date(2025, 1, 1)),
        ],
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
        scheme = SchemePage(
            title=spec["title"],
            slug=spec["slug"],
            summary=spec["summary"],
            lead_force=organisations[spec["lead_force"]],
            region=spec["region"],
            body=spec["body"],
            steering_group_chair=spec["chair"],
            meeting_cadence=spec["cadence"],
        )
        scheme.partners = [organisations[name] for name in spec["partners"]]
        scheme.workstream_uses = [
            SchemeWorkstreamUse(workstream=workstreams[slug], status=status, started_on=started)
            for slug, status, started in spec["workstreams"]
        ]
        index.add_child(instance=scheme)
        scheme.save_revision().publish()
        created += 1
    stdout.write(f"Schemes: {created} created, {len(SCHEMES) - created} already there.")
