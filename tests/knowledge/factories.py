"""Factories for the knowledge section, built like those in ``tests/factories.py``."""

import datetime

import factory
import wagtail_factories

from knowledge.models import EvidenceStrength, GuidePage, KnowledgeIndexPage, Outcome, SolutionPage
from tests.factories import home_page


class KnowledgeIndexPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = KnowledgeIndexPage

    title = "Solutions and guides"
    slug = factory.Sequence(lambda n: f"knowledge-{n}")
    parent = factory.LazyFunction(home_page)


class SolutionPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = SolutionPage

    title = factory.Sequence(lambda n: f"Solution {n}")
    slug = factory.Sequence(lambda n: f"solution-{n}")
    summary = "How a partnership solved a shared problem."
    problem = "<p>Partners waited weeks for information.</p>"
    evidence_strength = EvidenceStrength.EVALUATED_LOCALLY
    outcome = Outcome.WORKED
    last_reviewed = datetime.date(2025, 1, 1)
    next_review = datetime.date(2030, 1, 1)
    parent = factory.SubFactory(KnowledgeIndexPageFactory)


class GuidePageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = GuidePage

    title = factory.Sequence(lambda n: f"Guide {n}")
    slug = factory.Sequence(lambda n: f"guide-{n}")
    summary = "How to do something well."
    body = factory.LazyFunction(lambda: [("paragraph", "<p>Start with the steering group.</p>")])
    next_review = datetime.date(2030, 1, 1)
    parent = factory.SubFactory(KnowledgeIndexPageFactory)


def tag(page, *workstreams, organisations=(), schemes=()):
    """Tag a page and publish the change (workstreams, organisations and schemes are
    cluster relations: they reach the database with a save)."""
    page.workstreams.add(*workstreams)
    if organisations:
        page.organisations.add(*organisations)
    if schemes:
        page.contributing_schemes.add(*schemes)
    page.save()
    return page
