"""A small world for the case tests: a scheme whose agreed MoU three organisations signed,
case workers in each, a case owned by Sussex Police and shared with Hastings."""

import datetime
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile

from accounts import roles
from cases import services
from cases.models import MoUAcceptance, ShareLevel, SubjectRole
from cases.mou import remember_accepted as accept_in_session
from cases.roles import CASE_SUPERVISORS
from documents.models import DocumentKind, DocumentStatus
from documents.samples import make_pdf
from documents.services import document_create
from tests.factories import OrganisationFactory, SchemePageFactory, WorkstreamFactory

PDF = make_pdf(["A small attachment for tests."])


def as_viewer(user):
    """What the services need of a viewer, for building data outside a request."""
    return SimpleNamespace(user=user, organisation_id=user.organisation_id, is_authenticated=True)


@pytest.fixture
def world(db, organisation, make_user):
    police = organisation
    hastings = OrganisationFactory(name="Hastings Borough Council")
    lewes = OrganisationFactory(name="Lewes District Council")
    outsider = OrganisationFactory(name="Kent County Council")
    scheme = SchemePageFactory(title="Pan-Sussex", lead_force=police)
    workstream = WorkstreamFactory(name="Anti-social behaviour", slug="anti-social-behaviour")
    mou = document_create(
        title="Pan-Sussex MoU",
        file=ContentFile(make_pdf(["The partners share case information."]), name="mou.pdf"),
        kind=DocumentKind.MOU,
        status=DocumentStatus.AGREED,
        summary="How the partners share case information.",
        organisation=police,
        scheme=scheme,
        signatories=[police, hastings, lewes],
        version_label="2.0",
        effective_date=datetime.date(2024, 4, 1),
    )
    worker = roles.CASE_WORKERS
    alex = make_user("alex@sussex.police.uk", role=worker, first_name="Alex")
    alex.groups.add(Group.objects.get(name=CASE_SUPERVISORS))
    dana = make_user("dana@hastings.gov.uk", role=worker, organisation_=hastings, first_name="Dana")
    lee = make_user("lee@lewes.gov.uk", role=worker, organisation_=lewes, first_name="Lee")
    kim = make_user("kim@kent.gov.uk", role=worker, organisation_=outsider, first_name="Kim")
    member = make_user("member@sussex.police.uk", first_name="Morgan")
    case = services.case_create(
        viewer=as_viewer(alex),
        workstream=workstream,
        title="Noise and intimidation, Hollington estate",
        summary="Repeated late-night noise and threats to neighbours.",
        risk_level="high",
        scheme=scheme,
    )
    services.case_share(
        viewer=as_viewer(alex),
        case=case,
        organisation=hastings,
        level=ShareLevel.CONTRIBUTE,
        reason="Tenancy enforcement by the council.",
    )
    subject = services.subject_add(
        viewer=as_viewer(alex),
        case=case,
        role=SubjectRole.VICTIM,
        full_name="Jordan Testperson",
        address="Hollington",
    )
    note = services.note_add(viewer=as_viewer(alex), case=case, body="First visit made.")
    action = services.action_add(
        viewer=as_viewer(alex),
        case=case,
        description="Visit the neighbours",
        assigned_organisation=hastings,
        assigned_to=None,
        due_date=datetime.date(2026, 12, 31),
    )
    upload = ContentFile(PDF, name="statement.pdf")
    attachment = services.attachment_add(
        viewer=as_viewer(alex), case=case, upload=upload, name="statement.pdf", content_type="application/pdf"
    )
    return SimpleNamespace(
        police=police,
        hastings=hastings,
        lewes=lewes,
        outsider=outsider,
        scheme=scheme,
        workstream=workstream,
        mou=mou,
        alex=alex,
        dana=dana,
        lee=lee,
        kim=kim,
        member=member,
        case=case,
        subject=subject,
        note=note,
        action=action,
        attachment=attachment,
    )


@pytest.fixture
def sign_in(world):
    """Sign ``user`` in on ``client``; with ``accept`` (the default), as if they had accepted
    the current MoU in this session."""

    def sign(client, user, *, accept=True):
        client.force_login(user)
        if accept:
            MoUAcceptance.objects.create(
                user=user,
                organisation=user.organisation,
                document=world.mou,
                session_key=client.session.session_key,
            )
            session = client.session
            accept_in_session(session, [world.mou.pk])
            session.save()
        return client

    return sign
