"""A scheme page: partners with roles, governance, contacts, successes, workstreams, its MoU and
governance documents and its solutions (through other apps' sections), its open forum groups;
each only as far as the viewer may see it, in a constant number of queries."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Collection, CollectionViewRestriction

from documents.models import DocumentKind, DocumentStatus
from forum.models import ForumGroup, GroupKind, Visibility
from schemes.models import SchemePage, WorkstreamUse
from schemes.sections import get_sections
from tests.factories import restrict_collection, restrict_page
from tests.knowledge.factories import SolutionPageFactory, tag

from .conftest import council

pytestmark = pytest.mark.django_db

D = datetime.date


def main(response) -> str:
    assert response.status_code == 200
    return response.content.decode().split("<main", 1)[1]


@pytest.fixture
def scheme(make_scheme):
    return make_scheme(
        "Pan-Sussex",
        steering_group="The lead partners agree the MoU.",
        steering_group_chair="Chief superintendent, Sussex Police",
        meeting_cadence="Every three months",
        supplier_attendance="Half the meetings",
        successes=[("success", "Restorative justice cut the time taken to share information.")],
        contacts=[
            (
                "contact",
                {
                    "name": "Scheme administrator",
                    "role": "Partnerships",
                    "organisation": "Sussex Police",
                    "email": "scheme@sussex.police.uk",
                    "phone": "",
                },
            )
        ],
        uses=[
            ("restorative-justice", WorkstreamUse.LIVE, D(2015, 3, 1)),
            ("taxi-licensing", WorkstreamUse.PILOT, D(2025, 4, 1)),
            ("vulnerable-people", WorkstreamUse.PLANNED, None),
        ],
        partners=[
            (council("Lewes District Council"), "Case-managing partner", D(2014, 4, 1)),
            (council("Adur District Council"), "Signatory", None),
        ],
    )


def test_governance_partners_contacts_successes_and_workstreams(client, scheme):
    page = main(client.get(scheme.url))
    for text in (
        "The lead partners agree the MoU.",
        "Chief superintendent, Sussex Police",
        "Every three months",
        "Supplier attends",
        "Half the meetings",
        "Restorative justice cut the time taken to share information.",
        "Scheme administrator",
        'href="mailto:scheme@sussex.police.uk"',
        '<time datetime="2015-03">March 2015</time>',
        ">Pilot</strong>",
        "Not yet set",
    ):
        assert text in page, text
    # Partners in the editor's order, with their role and the date they joined.
    assert page.index("Lewes District Council") < page.index("Adur District Council")
    assert "Case-managing partner" in page and '<time datetime="2014-04">April 2014</time>' in page


def test_partner_rows_keep_the_partner_organisations_in_step(scheme):
    assert set(scheme.partners.values_list("name", flat=True)) == {
        "Lewes District Council",
        "Adur District Council",
    }
    page = SchemePage.objects.get(pk=scheme.pk)
    page.partner_roles = [
        row for row in page.partner_roles.all() if row.organisation.name != "Adur District Council"
    ]
    page.save_revision().publish()
    assert list(scheme.partners.values_list("name", flat=True)) == ["Lewes District Council"]


def test_partners_set_without_rows_are_still_shown(client, make_scheme):
    scheme = make_scheme("Old Vale")
    scheme.partners.add(council("Rother District Council"))
    scheme.save()  # a cluster relation: saved with the page
    assert "Rother District Council" in main(client.get(scheme.url))


def test_sections_are_registered_by_the_apps_that_point_at_schemes():
    assert [section.key for section in get_sections()] == ["documents", "solutions", "onboarding"]


@pytest.fixture
def documents(scheme, make_document, members_collection, library, make_scheme):
    """A public MoU (agreed), a members-only terms of reference, a draft, a private-group ISA
    and another scheme's MoU adapted from this one, in the members-only collection."""
    private = Collection.get_first_root_node().add_child(name="Steering group only")
    steering = Group.objects.create(name="Pan-Sussex steering group")
    restrict_collection(private, CollectionViewRestriction.GROUPS, groups=[steering])
    mou = make_document("Pan-Sussex MoU", scheme=scheme, version_label="2.0")
    terms = make_document(
        "Steering group terms of reference",
        scheme=scheme,
        kind=DocumentKind.TERMS_OF_REFERENCE,
        collection=members_collection,
    )
    draft = make_document(
        "Draft data protection impact assessment", scheme=scheme, status=DocumentStatus.DRAFT
    )
    isa = make_document(
        "Private information-sharing agreement",
        scheme=scheme,
        kind=DocumentKind.INFORMATION_SHARING_AGREEMENT,
        collection=private,
    )
    thames = make_scheme("Thames Valley")
    adapted = make_document(
        "Thames Valley MoU",
        scheme=thames,
        adapted_from=mou,
        version_label="3.1",
        collection=members_collection,
    )
    return {"mou": mou, "terms": terms, "draft": draft, "isa": isa, "adapted": adapted, "steering": steering}


def test_anonymous_visitors_see_public_documents_only(client, scheme, documents):
    page = main(client.get(scheme.url))
    assert "Pan-Sussex MoU" in page and f'href="/library/{documents["mou"].pk}-pan-sussex-mou/"' in page
    for hidden in (
        "Steering group terms of reference",
        "Draft data protection",
        "Private information-sharing",
        "Thames Valley MoU",
    ):
        assert hidden not in page, hidden


def test_members_see_members_only_documents_and_adaptations(client, member, scheme, documents):
    client.force_login(member)
    page = main(client.get(scheme.url))
    assert "Pan-Sussex MoU" in page
    assert "Steering group terms of reference" in page
    assert "Adapted by other schemes" in page and "Thames Valley MoU" in page
    assert "Draft data protection" not in page  # drafts are for editors, never listed here
    assert "Private information-sharing" not in page  # a private collection: not their group
    member.groups.add(documents["steering"])
    client.force_login(member)
    assert "Private information-sharing" in main(client.get(scheme.url))


def test_solutions_listed_as_far_as_the_viewer_may_see(client, member, scheme):
    public = tag(SolutionPageFactory(title="Restorative justice referrals"), schemes=[scheme])
    private = tag(
        SolutionPageFactory(title="Members-only solution", parent=public.get_parent()), schemes=[scheme]
    )
    restrict_page(private)
    tag(SolutionPageFactory(title="Someone else's solution", parent=public.get_parent()))
    page = main(client.get(scheme.url))
    assert "Restorative justice referrals" in page
    assert "Members-only solution" not in page and "Someone else" not in page
    client.force_login(member)
    assert "Members-only solution" in main(client.get(scheme.url))


def test_open_forum_groups_only(client, scheme):
    ForumGroup.objects.create(
        name="Pan-Sussex users' group", slug="pan-sussex-users", kind=GroupKind.LOCAL, scheme=scheme
    )
    ForumGroup.objects.create(
        name="Pan-Sussex steering",
        slug="pan-sussex-steering",
        kind=GroupKind.STEERING,
        scheme=scheme,
        visibility=Visibility.PRIVATE,
    )
    page = main(client.get(scheme.url))
    assert "Pan-Sussex users&#x27; group" in page or "Pan-Sussex users' group" in page
    assert "Pan-Sussex steering" not in page


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("signed_in", [False, True])
def test_constant_queries_whatever_the_volume(
    client, member, scheme, documents, settings, django_assert_max_num_queries, signed_in
):
    """10 then 5,000 partners' documents, solutions' schemes and forum groups: the same count."""
    from tests.documents.test_library import bulk_documents

    settings.ANONYMOUS_PAGE_CACHE_SECONDS = settings.AUDIENCE_PAGE_CACHE_SECONDS = 0
    if signed_in:
        client.force_login(member)
    solution = tag(SolutionPageFactory(title="One solution"), schemes=[scheme])
    from documents.models import GovernanceDocument

    def grow(count):
        before = set(GovernanceDocument.objects.values_list("pk", flat=True))
        bulk_documents(count)
        GovernanceDocument.objects.exclude(pk__in=before).update(scheme=scheme)
        ForumGroup.objects.bulk_create(
            ForumGroup(name=f"Group {n}", slug=f"group-{count}-{n}", kind=GroupKind.LOCAL, scheme=scheme)
            for n in range(count // 10)
        )

    grow(10)
    client.get(scheme.url)
    small = count_queries(client, scheme.url)
    grow(4990)
    with django_assert_max_num_queries(12):
        large = count_queries(client, scheme.url)
    assert small == large
    assert solution.title in main(client.get(scheme.url))


def test_editors_edit_partners_governance_contacts_and_successes_in_the_admin(client, scheme):
    from accounts.models import User

    client.force_login(User.objects.create_superuser(email="root@sussex.police.uk", password="x" * 16))
    response = client.get(f"/admin/pages/{scheme.pk}/edit/")
    assert response.status_code == 200
    html = response.content.decode()
    for field in (
        "partner_roles-TOTAL_FORMS",
        "steering_group",
        "supplier_attendance",
        "contacts",
        "successes",
    ):
        assert field in html, field
    assert client.get(f"/admin/pages/add/schemes/schemepage/{scheme.get_parent().pk}/").status_code == 200


def test_a_new_schemes_preview_lists_no_one_elses_documents(rf, scheme, documents):
    from schemes.sections import sections_for

    unsaved = SchemePage(title="New scheme", slug="new-scheme", summary="New.", lead_force=scheme.lead_force)
    assert sections_for(rf.get("/"), unsaved) == []
