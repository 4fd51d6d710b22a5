"""The pathway page: its steps, checklists and exemplars (only what the viewer may see), its
place in the site search, and a constant number of queries whatever the volume."""

import pytest

from accounts import roles
from documents.models import DocumentStatus
from onboarding.models import OnboardingPathwayPage, OnboardingProgress
from tests.factories import SchemeIndexPageFactory, SchemePageFactory, restrict_page
from tests.knowledge.factories import SolutionPageFactory

from .conftest import make_pathway

pytestmark = pytest.mark.django_db


@pytest.fixture
def exemplars(scheme, make_document, members_collection):
    members_only_scheme = SchemePageFactory(title="Secret scheme", parent=SchemeIndexPageFactory())
    restrict_page(members_only_scheme)
    solution = SolutionPageFactory(title="Steering groups that work")
    public = make_document("Terms of reference template")
    mou = make_document("Pan-Sussex MoU", collection=members_collection)
    draft = make_document("Draft MoU", status=DocumentStatus.DRAFT)
    links = {
        "steering-group": [
            {"type": "scheme", "value": scheme.pk},
            {"type": "scheme", "value": members_only_scheme.pk},
            {"type": "document", "value": public.pk},
            {"type": "solution", "value": solution.pk},
        ],
        "mou": [
            {"type": "document", "value": mou.pk},
            {"type": "document", "value": draft.pk},
            {"type": "document", "value": 999999},  # deleted meanwhile
        ],
    }
    return make_pathway(links=links)


def main(response) -> str:
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


def test_steps_guidance_and_checklists_in_order(client, pathway):
    html = main(client.get("/onboarding/"))
    assert html.index("Step 1: Step about steering-group") < html.index("Step 2: Step about mou")
    assert "Guidance for partners." in html
    assert "<li>Second thing for mou</li>" in html
    assert 'id="step-partners"' in html
    assert 'href="/onboarding/start-a-scheme/"' in html


def test_exemplars_are_only_what_the_viewer_may_see(client, exemplars, member):
    html = main(client.get("/onboarding/"))
    assert (
        "Pan-Sussex" in html and "Steering groups that work" in html and "Terms of reference template" in html
    )
    for hidden in ("Secret scheme", "Pan-Sussex MoU", "Draft MoU"):
        assert hidden not in html
    client.force_login(member)
    html = main(client.get("/onboarding/"))
    assert "Secret scheme" in html and "Pan-Sussex MoU" in html
    assert "Draft MoU" not in html


def test_text_is_escaped(client, pathway):
    step = pathway.steps.first()
    step.checklist = "<script>alert(1)</script>"
    step.title = "<b>bold</b>"
    step.save()
    html = main(client.get("/onboarding/"))
    assert "<script>alert(1)" not in html and "&lt;script&gt;" in html
    assert "<b>bold</b>" not in html


def test_the_pathway_is_cached_for_visitors(client, pathway):
    assert client.get("/onboarding/")["X-Page-Cache"] == "miss"
    assert client.get("/onboarding/")["X-Page-Cache"] == "hit"


EMPTY_RICH_TEXT = '{"blocks": [], "entityMap": {}}'
RICH_TEXT = (
    '{"blocks": [{"key": "a", "text": "Hello", "type": "unstyled", "depth": 0, '
    '"inlineStyleRanges": [], "entityRanges": []}], "entityMap": {}}'
)


def test_duplicate_step_keys_are_refused_in_the_admin_form(pathway):
    form_class = OnboardingPathwayPage.get_edit_handler().get_form_class()
    data = {
        "title": "Starting a scheme",
        "slug": "onboarding",
        "introduction": EMPTY_RICH_TEXT,
        "steps-TOTAL_FORMS": "2",
        "steps-INITIAL_FORMS": "0",
        "steps-MIN_NUM_FORMS": "0",
        "steps-MAX_NUM_FORMS": "1000",
        "comments-TOTAL_FORMS": "0",
        "comments-INITIAL_FORMS": "0",
        "comments-MIN_NUM_FORMS": "0",
        "comments-MAX_NUM_FORMS": "1000",
    }
    for i in range(2):
        data |= {
            f"steps-{i}-key": "same",
            f"steps-{i}-title": f"Step {i}",
            f"steps-{i}-guidance": RICH_TEXT,
            f"steps-{i}-checklist": "",
            f"steps-{i}-links-count": "0",
            f"steps-{i}-ORDER": str(i),
            f"steps-{i}-DELETE": "",
        }
    form = form_class(data, instance=pathway, parent_page=pathway.get_parent(), for_user=None)
    assert not form.is_valid()
    assert "duplicate values" in str(form.formsets["steps"].errors)  # the unique constraint's check


def test_the_site_search_finds_the_pathway(client, pathway, search_backend):
    from django.core.management import call_command

    call_command("rebuild_modelsearch_index", verbosity=0)
    for query in ("onboarding", "steering group", "starting a scheme"):
        html = client.get("/search/", {"q": query}).content.decode()
        assert "/onboarding/" in html, query


def _volume(scheme, partner_member, n):
    index = SchemeIndexPageFactory()
    for _ in range(n):
        other = SchemePageFactory(parent=index, lead_force=scheme.lead_force)
        OnboardingProgress.objects.create(scheme=other, step_key="mou")
    OnboardingProgress.objects.get_or_create(scheme=scheme, step_key="steering-group", done_by=partner_member)


@pytest.mark.parametrize("role", ["anonymous", "member", "partner", "editor"])
def test_constant_queries_whatever_the_volume(
    client,
    settings,
    exemplars,
    scheme,
    partner_member,
    member,
    make_user,
    django_assert_max_num_queries,
    role,
):
    settings.ANONYMOUS_PAGE_CACHE_SECONDS = 0
    people = {
        "member": member,
        "partner": partner_member,
        "editor": make_user("editor@sussex.police.uk", role=roles.NATIONAL_EDITORS),
    }
    if role in people:
        client.force_login(people[role])
    client.get("/onboarding/")  # warm the site facts and the chrome
    with django_assert_max_num_queries(12) as small:
        response = client.get("/onboarding/")
        assert response.status_code == 200
    budget = len(small.captured_queries)  # read now: the next request resets Django's query log
    assert budget >= 1  # at least the page itself (the steps are kept per visibility once warm)
    _volume(scheme, partner_member, 30)
    client.get("/onboarding/")  # warm again after the content version changed
    with django_assert_max_num_queries(budget):
        assert client.get("/onboarding/").status_code == 200
