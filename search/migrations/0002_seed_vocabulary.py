"""Seed the search vocabulary with the field's common abbreviations and the workstreams'
other names. Editors keep it in the admin afterwards (Snippets, "Search vocabulary")."""

from django.db import migrations

# (term, meanings one a line, two-way)
TERMS = [
    ("MoU", "memorandum of understanding", True),
    ("ISA", "information-sharing agreement", True),
    ("ISP", "information-sharing protocol", True),
    ("ToR", "terms of reference", True),
    ("DPIA", "data protection impact assessment", True),
    ("ASB", "anti-social behaviour", True),
    ("IOM", "integrated offender management", True),
    ("RJ", "restorative justice", True),
    ("CSP", "community safety partnership", True),
    ("PCC", "police and crime commissioner", True),
    ("CJB", "criminal justice board", True),
    ("RSL", "registered social landlord\nhousing association", True),
    ("SPOC", "single point of contact", True),
    ("MASH", "multi-agency safeguarding hub", True),
    ("MARAC", "multi-agency risk assessment conference", True),
    ("PPN", "public protection notice", True),
    ("CCTV", "closed-circuit television", True),
    # The workstreams' other names.
    ("fly-tipping", "illegal dumping\nwaste dumping", True),
    ("street homelessness", "rough sleeping", True),
    ("hate crime", "hate incident", True),
    ("taxi licensing", "hackney carriage\nprivate hire", True),
    ("youth offending deterrence", "youth diversion\nfirst-time entrants", True),
    ("domestic abuse", "domestic violence", True),
    ("vulnerable people", "vulnerable adults\nsafeguarding", True),
    ("anti-social behaviour", "nuisance neighbours", False),
    ("restorative justice", "restorative conference", True),
]


def seed(apps, schema_editor):
    SearchTerm = apps.get_model("search", "SearchTerm")
    for term, meanings, two_way in TERMS:
        SearchTerm.objects.get_or_create(term=term, defaults={"meanings": meanings, "two_way": two_way})


def unseed(apps, schema_editor):
    SearchTerm = apps.get_model("search", "SearchTerm")
    SearchTerm.objects.filter(term__in=[term for term, _meanings, _two_way in TERMS]).delete()


class Migration(migrations.Migration):
    dependencies = [("search", "0001_vocabulary")]

    operations = [migrations.RunPython(seed, unseed)]
