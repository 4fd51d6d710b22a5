"""Synthetic organisations for benchmarks (``manage.py seed_bench``)."""

import random

from .models import Organisation, OrganisationEmailDomain, OrganisationKind, Region

PREFIX = "Bench organisation"


def seed_organisations(*, count: int, rng: random.Random) -> list[Organisation]:
    existing = set(Organisation.objects.filter(name__startswith=PREFIX).values_list("name", flat=True))
    kinds = [k for k, _ in OrganisationKind.choices]
    regions = [r for r, _ in Region.choices]
    new = [
        Organisation(
            name=f"{PREFIX} {i:06d}",
            slug=f"bench-organisation-{i:06d}",
            kind=rng.choice(kinds),
            region=rng.choice(regions),
        )
        for i in range(count)
        if f"{PREFIX} {i:06d}" not in existing
    ]
    Organisation.objects.bulk_create(new, batch_size=1000)
    organisations = list(Organisation.objects.filter(name__startswith=PREFIX).order_by("name")[:count])
    have_domain = set(
        OrganisationEmailDomain.objects.filter(organisation__in=organisations).values_list(
            "organisation_id", flat=True
        )
    )
    OrganisationEmailDomain.objects.bulk_create(
        [
            OrganisationEmailDomain(organisation=org, domain=f"{org.slug}.bench.gov.uk")
            for org in organisations
            if org.pk not in have_domain
        ],
        batch_size=1000,
    )
    return organisations
