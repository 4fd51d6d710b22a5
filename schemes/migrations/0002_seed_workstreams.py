from django.db import migrations

WORKSTREAMS = [
    ("Anti-social behaviour", "anti-social-behaviour", "Behaviour that causes or is likely to cause harassment, alarm or distress: case reviews, warnings, injunctions and community triggers."),
    ("Hate crime", "hate-crime", "Incidents and crimes motivated by hostility to a person's identity, and the support around them."),
    ("Street homelessness", "street-homelessness", "Rough sleeping and street activity: outreach, enforcement and routes into accommodation."),
    ("Restorative justice", "restorative-justice", "Bringing those harmed and those responsible into communication to repair harm."),
    ("Integrated offender management", "integrated-offender-management", "Partners managing the most persistent offenders together (IOM)."),
    ("Youth offending deterrence", "youth-offending-deterrence", "Early intervention to keep young people out of the justice system."),
    ("Fly-tipping", "fly-tipping", "Illegal dumping of waste: reporting, investigation and enforcement."),
    ("Taxi licensing", "taxi-licensing", "Safeguarding and enforcement in hackney carriage and private hire licensing."),
    ("Domestic abuse", "domestic-abuse", "Risk assessment, MARAC and support for victims of domestic abuse."),
    ("Vulnerable people", "vulnerable-people", "Adults and children at risk who need a coordinated multi-agency response."),
]


def seed(apps, schema_editor):
    Workstream = apps.get_model("schemes", "Workstream")
    for name, slug, description in WORKSTREAMS:
        Workstream.objects.get_or_create(slug=slug, defaults={"name": name, "description": description})


def unseed(apps, schema_editor):
    Workstream = apps.get_model("schemes", "Workstream")
    Workstream.objects.filter(slug__in=[slug for _, slug, _ in WORKSTREAMS]).delete()


class Migration(migrations.Migration):
    dependencies = [("schemes", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
