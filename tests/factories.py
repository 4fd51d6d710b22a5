"""Factories for tests: organisations, people of every role, and the site's page types.

Built on factory-boy and wagtail-factories (both in the lock). Pages hang under the default
site's home page unless a ``parent`` is given, so ``SchemePageFactory()`` is a routable page
at once. For a page tree that several tests read, build it once per class in
``setUpTestData`` of a ``django.test.TestCase`` (``tests/test_factories.py`` shows the pattern):
each test then runs in a transaction rolled back to that tree.
"""

import factory
import wagtail_factories
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from wagtail.models import Collection, CollectionViewRestriction, PageViewRestriction, Site

from accounts import roles
from accounts.models import ApprovalStatus, User
from documents.models import DocumentLibraryPage
from home.models import StandardPage
from schemes.models import (
    Organisation,
    OrganisationEmailDomain,
    OrganisationKind,
    Region,
    SchemeIndexPage,
    SchemePage,
    Workstream,
)

SUSSEX_POLICE = {"name": "Sussex Police", "kind": OrganisationKind.POLICE_FORCE, "domain": "sussex.police.uk"}


def home_page():
    return Site.objects.get(is_default_site=True).root_page


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("name",)
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Borough Council {n}")
    kind = OrganisationKind.DISTRICT_COUNCIL
    region = Region.SOUTH_EAST

    @factory.post_generation
    def domain(self, create, extracted, **kwargs):
        """The e-mail domain that identifies its staff: ``OrganisationFactory(domain="x.gov.uk")``."""
        if create and extracted:
            OrganisationEmailDomain.objects.get_or_create(organisation=self, domain=extracted)


class WorkstreamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Workstream
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Workstream {n}")
    slug = factory.LazyAttribute(lambda w: w.name.lower().replace(" ", "-"))


class UserFactory(factory.django.DjangoModelFactory):
    """A person with a verified work e-mail: ``UserFactory(groups=[roles.NATIONAL_EDITORS])``,
    ``UserFactory(approved=False)``, ``UserFactory(verified_email=False)``. Approved people are in the Members group as approval puts
    them there."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    class Params:
        approved = True

    email = factory.Sequence(lambda n: f"person{n}@sussex.police.uk")
    first_name = "Sam"
    last_name = factory.Sequence(lambda n: f"Taylor{n}")
    organisation = factory.SubFactory(OrganisationFactory, **SUSSEX_POLICE)
    approval_status = factory.LazyAttribute(
        lambda o: ApprovalStatus.APPROVED if o.approved else ApprovalStatus.PENDING
    )
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery staple")

    @factory.post_generation
    def verified_email(self, create, extracted, **kwargs):
        if create:
            EmailAddress.objects.create(
                user=self, email=self.email, verified=extracted is not False, primary=True
            )

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        if not create:
            return
        self.save()
        names = list(extracted or [])
        if self.approval_status == ApprovalStatus.APPROVED:
            names.append(roles.MEMBERS)
        if names:
            self.groups.add(*Group.objects.filter(name__in=names))

    @classmethod
    def with_role(cls, role: str, **kwargs):
        return cls(groups=[role], **kwargs)


class StandardPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = StandardPage

    title = factory.Sequence(lambda n: f"Standard page {n}")
    slug = factory.Sequence(lambda n: f"standard-{n}")
    summary = "A page for tests."
    parent = factory.LazyFunction(home_page)


class SchemeIndexPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = SchemeIndexPage

    title = "Schemes"
    slug = factory.Sequence(lambda n: f"schemes-{n}")
    parent = factory.LazyFunction(home_page)


class SchemePageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = SchemePage

    title = factory.Sequence(lambda n: f"Scheme {n}")
    slug = factory.Sequence(lambda n: f"scheme-{n}")
    summary = "A scheme for tests."
    region = Region.SOUTH_EAST
    lead_force = factory.SubFactory(OrganisationFactory, **SUSSEX_POLICE)
    parent = factory.SubFactory(SchemeIndexPageFactory)


class DocumentLibraryPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = DocumentLibraryPage

    title = "Document library"
    slug = factory.Sequence(lambda n: f"library-{n}")
    parent = factory.LazyFunction(home_page)


class CollectionFactory(wagtail_factories.CollectionFactory):
    name = factory.Sequence(lambda n: f"Collection {n}")
    parent = factory.LazyFunction(Collection.get_first_root_node)


def restrict_page(page, restriction_type=PageViewRestriction.LOGIN, *, groups=(), password=""):
    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type=restriction_type, password=password
    )
    if groups:
        restriction.groups.set(groups)
    return restriction


def restrict_collection(
    collection, restriction_type=CollectionViewRestriction.LOGIN, *, groups=(), password=""
):
    restriction = CollectionViewRestriction.objects.create(
        collection=collection, restriction_type=restriction_type, password=password
    )
    if groups:
        restriction.groups.set(groups)
    return restriction


def bulk_pages(parent, model, count: int, *, title: str = "Bulk page", **fields):
    """``count`` live pages of ``model`` under ``parent``, written as rows: fast at 5,000.

    Django cannot ``bulk_create`` a page model (its row is split over a table per model of
    its inheritance chain), so the ``Page`` rows are bulk-created (primary keys come back on
    both databases) and each further table of the chain gets its rows in batches. ``fields``
    go to the new pages (``summary=...``, ``evidence_strength=...``); newest first by
    ``first_published_at`` in the order made. No revisions, no search index: volume only.
    """
    import datetime
    import uuid

    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone
    from django.utils.text import slugify
    from wagtail.models import Locale, Page

    parent = Page.objects.get(pk=parent.pk)
    start = parent.numchild
    content_type = ContentType.objects.get_for_model(model)
    locale = Locale.get_default()
    now = timezone.now()
    stem = slugify(title)
    pages = Page.objects.bulk_create(
        [
            Page(
                title=f"{title} {n:05d}",
                draft_title=f"{title} {n:05d}",
                slug=f"{stem}-{n}",
                content_type=content_type,
                path=Page._get_path(parent.path, parent.depth + 1, n),
                depth=parent.depth + 1,
                numchild=0,
                url_path=f"{parent.url_path}{stem}-{n}/",
                live=True,
                locale=locale,
                translation_key=uuid.uuid4(),
                first_published_at=now - datetime.timedelta(minutes=n),
                last_published_at=now,
            )
            for n in range(start + 1, start + count + 1)
        ],
        batch_size=500,
    )
    objects = []
    for page in pages:
        instance = model(**fields)
        instance.__dict__.update({f.attname: getattr(page, f.attname) for f in Page._meta.concrete_fields})
        objects.append(instance)
    # Every table below Page in the chain, from the nearest to Page down to the model's own.
    chain = [m for m in reversed(model._meta.get_parent_list()) if m is not Page and issubclass(m, Page)]
    for table in [*chain, model]:
        for page, instance in zip(pages, objects, strict=True):
            for ptr in table._meta.parents.values():
                if ptr is not None:
                    setattr(instance, ptr.attname, page.pk)
        for batch in range(0, len(objects), 400):
            table.objects._insert(objects[batch : batch + 400], fields=table._meta.local_concrete_fields)
    Page.objects.filter(pk=parent.pk).update(numchild=start + count)
    return objects
