"""The factories build valid objects, and a page tree built once per class serves every test."""

from django.test import TestCase

from accounts import roles
from accounts.models import ApprovalStatus
from tests.factories import (
    DocumentLibraryPageFactory,
    OrganisationFactory,
    SchemePageFactory,
    StandardPageFactory,
    UserFactory,
    restrict_page,
)


class PageTreeOnceForTheClass(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.scheme = SchemePageFactory(title="Pan-Sussex", slug="pan-sussex")
        cls.about = StandardPageFactory(title="About", slug="about")
        cls.members = StandardPageFactory(title="Members' area", slug="members")
        restrict_page(cls.members)
        cls.library = DocumentLibraryPageFactory(slug="library")
        cls.member = UserFactory(email="member@sussex.police.uk")
        cls.editor = UserFactory.with_role(roles.NATIONAL_EDITORS, email="editor@sussex.police.uk")
        cls.pending = UserFactory(email="pending@sussex.police.uk", approved=False)

    def test_pages_are_live_and_routable(self):
        for page in (self.scheme, self.about, self.library):
            response = self.client.get(page.url)
            self.assertEqual(response.status_code, 200, page.url)
        self.assertContains(self.client.get(self.scheme.url), "Pan-Sussex")

    def test_scheme_hangs_under_a_scheme_index_with_a_lead_force(self):
        self.assertEqual(self.scheme.get_parent().specific_class.__name__, "SchemeIndexPage")
        self.assertEqual(self.scheme.lead_force.name, "Sussex Police")

    def test_people_of_each_role(self):
        self.assertEqual(self.member.approval_status, ApprovalStatus.APPROVED)
        self.assertEqual(self.pending.approval_status, ApprovalStatus.PENDING)
        self.assertTrue(self.member.emailaddress_set.get().verified)
        self.assertIn(roles.NATIONAL_EDITORS, {g.name for g in self.editor.groups.all()})
        self.assertTrue(self.member.check_password("correct horse battery staple"))

    def test_restricted_page_asks_anonymous_visitors_to_sign_in(self):
        self.assertEqual(self.client.get(self.members.url).status_code, 302)
        self.client.force_login(self.member)
        self.assertEqual(self.client.get(self.members.url).status_code, 200)


def test_unverified_people_and_organisation_domains(db):
    organisation = OrganisationFactory(name="Hastings Borough Council", domain="hastings.gov.uk")
    person = UserFactory(email="x@hastings.gov.uk", organisation=organisation, verified_email=False)
    assert not person.emailaddress_set.get().verified
    assert organisation.email_domains.get().domain == "hastings.gov.uk"
