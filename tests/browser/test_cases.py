"""Case sharing in the browser: a case worker signs in (two steps), accepts the MoU, opens a
shared case and adds a note; the owner shares it with another organisation, then withdraws
the first share. axe clean."""

import datetime
import re

from django.core.files.base import ContentFile

PASSWORD = "a long and unusual passphrase 42"


def _case_worker(make_user, email, organisation, *extra_groups):
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.contrib.auth.models import Group

    from accounts import roles

    user = make_user(email, password=PASSWORD, role=roles.CASE_WORKERS, organisation_=organisation)
    user.groups.add(*Group.objects.filter(name__in=extra_groups))
    secret = generate_totp_secret()
    TOTP.activate(user, secret)  # case workers must use two-step sign-in
    return user, secret


def test_accept_the_mou_view_a_shared_case_add_a_note_and_share_it(
    page, new_page, site, make_user, sign_in, axe_check
):
    from cases.demo import _viewer
    from cases.models import CaseShare, Note, ShareLevel, SubjectRole
    from cases.roles import CASE_SUPERVISORS
    from cases.services import case_create, case_share, subject_add
    from documents.models import DocumentKind, DocumentStatus
    from documents.samples import make_pdf
    from documents.services import document_create
    from schemes.models import Organisation, SchemePage
    from tests.factories import WorkstreamFactory

    police = Organisation.objects.get(name="Sussex Police")
    hastings = Organisation.objects.get(name="Hastings Borough Council")
    lewes = Organisation.objects.get(name="Lewes District Council")
    scheme = SchemePage.objects.get(slug="pan-sussex")
    document_create(
        title="Pan-Sussex Memorandum of Understanding",
        file=ContentFile(make_pdf(["The partners share case information."]), name="mou.pdf"),
        kind=DocumentKind.MOU,
        status=DocumentStatus.AGREED,
        summary="How Sussex Police and the councils share case information.",
        organisation=police,
        scheme=scheme,
        signatories=[police, hastings, lewes],
        version_label="2.0",
        effective_date=datetime.date(2024, 4, 1),
    )
    kate, kate_secret = _case_worker(make_user, "kate@sussex.police.uk", police, CASE_SUPERVISORS)
    dana, dana_secret = _case_worker(make_user, "dana@hastings.gov.uk", hastings)
    case = case_create(
        viewer=_viewer(kate),
        workstream=WorkstreamFactory(name="Anti-social behaviour", slug="anti-social-behaviour"),
        title="Noise and intimidation (fictional)",
        summary="Late-night noise.",
        risk_level="high",
        scheme=scheme,
    )
    subject_add(viewer=_viewer(kate), case=case, role=SubjectRole.VICTIM, full_name="Casey Example")
    case_share(
        viewer=_viewer(kate), case=case, organisation=hastings, level=ShareLevel.CONTRIBUTE, reason="Landlord"
    )

    # Dana, of the council the case is shared with: the MoU comes first.
    sign_in(page, dana.email, PASSWORD, totp_secret=dana_secret)
    page.goto("/cases/")
    page.wait_for_url(re.compile(r"/cases/mou/"))
    assert "How Sussex Police and the councils share case information." in page.content()
    axe_check(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Accept and continue").click()
    assert "There is a problem" in page.content()  # the box was not ticked
    axe_check(page)
    page.get_by_label("I have read the summary and conditions and I accept them").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Accept and continue").click()
    page.wait_for_url(re.compile(r"/cases/$"))
    axe_check(page)
    page.get_by_role("link", name=case.reference).click()
    page.wait_for_url(re.compile(rf"/cases/{case.reference}/$"))
    assert "Casey Example" in page.content()
    axe_check(page)
    page.get_by_label("Note", exact=True).fill("Noise monitoring installed for two weeks.")
    with page.expect_navigation():
        page.get_by_role("button", name="Add the note").click()
    assert "Note added." in page.content()
    assert Note.objects.get(body="Noise monitoring installed for two weeks.").organisation == hastings

    # Kate, of the owning organisation, shares it with Lewes.
    owner = new_page()
    sign_in(owner, kate.email, PASSWORD, totp_secret=kate_secret)
    owner.goto(f"/cases/{case.reference}/")
    owner.get_by_label("I have read the summary and conditions and I accept them").check()
    with owner.expect_navigation():
        owner.get_by_role("button", name="Accept and continue").click()
    owner.wait_for_url(re.compile(rf"/cases/{case.reference}/$"))
    assert "Noise monitoring installed for two weeks." in owner.content()
    owner.get_by_role("link", name="Share this case").click()
    owner.wait_for_url(re.compile(r"/share/$"))
    axe_check(owner)
    owner.get_by_label("Organisation").select_option(label="Lewes District Council")
    owner.get_by_label("Read and contribute").check()
    owner.get_by_label("Why are you sharing this case?").fill("Lewes noise team holds earlier complaints.")
    with owner.expect_navigation():
        owner.get_by_role("button", name="Share the case").click()
    assert "Case shared with Lewes District Council." in owner.content()
    assert (
        CaseShare.objects.get(case=case, organisation=lewes).reason
        == "Lewes noise team holds earlier complaints."
    )
    owner.get_by_role("link", name="Audit log of this case").click()
    owner.wait_for_url(re.compile(r"/audit/$"))
    assert "Lewes noise team holds earlier complaints." in owner.content()
    axe_check(owner)

    # Kate withdraws the share with Hastings, with a reason; Dana's next request finds nothing.
    owner.goto(f"/cases/{case.reference}/")
    owner.get_by_role("link", name="Withdraw the share with Hastings Borough Council").click()
    owner.wait_for_url(re.compile(r"/withdraw/$"))
    axe_check(owner)
    owner.get_by_label("Why are you withdrawing the share?").fill(
        "The tenancy ended: the council no longer needs it."
    )
    with owner.expect_navigation():
        owner.get_by_role("button", name="Withdraw the share").click()
    assert "Share with Hastings Borough Council withdrawn." in owner.content()
    assert "The tenancy ended" in owner.content()
    assert page.goto(f"/cases/{case.reference}/").status == 404
