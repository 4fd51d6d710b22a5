"""Demo content for case sharing (``manage.py load_demo``): a clearly fictional Pan-Sussex
case owned by Sussex Police and shared with Hastings Borough Council (which corrected a
person's address), and case workers in three organisations (Sussex Police, Hastings, and
Lewes, with which it was shared by mistake and the share withdrawn, so Lewes sees nothing).

Everyone accepts the MoU at each sign-in; the demo also records that the Sussex Police and
Hastings case workers accepted version 2.0 in an earlier session, and that the Lewes case
worker never has (the supervisors' list shows it)."""

from __future__ import annotations

import datetime
import os
import secrets
from types import SimpleNamespace

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from accounts import roles
from accounts.models import ApprovalStatus, User
from documents.samples import make_pdf
from schemes.models import Organisation, SchemePage, Workstream

from . import mou, services
from .models import Case, CaseShare, MoUAcceptance, ShareLevel, SubjectRole
from .roles import CASE_SUPERVISORS

DEMO_TITLE = "DEMO (fictional): noise and intimidation, Ore Valley"

CASE_WORKERS = [
    # e-mail, first name, last name, job title, organisation, extra roles
    (
        "kate.mills@sussex.police.uk",
        "Kate",
        "Mills",
        "ASB case officer and supervisor",
        "Sussex Police",
        [CASE_SUPERVISORS],
    ),
    ("tom.reed@lewes.gov.uk", "Tom", "Reed", "Community safety officer", "Lewes District Council", []),
]


def _viewer(user):
    return SimpleNamespace(user=user, organisation_id=user.organisation_id, is_authenticated=True)


def _case_workers(stdout) -> dict[str, User]:
    fixed_password = os.environ.get("DEMO_PASSWORD")
    groups = {g.name: g for g in Group.objects.filter(name__in=[*roles.ALL_ROLES, CASE_SUPERVISORS])}
    created = []
    for email, first, last, job, org_name, extra_roles in CASE_WORKERS:
        if User.objects.filter(email=email).exists():
            continue
        organisation = Organisation.objects.filter(name=org_name).first()
        if organisation is None:
            continue
        password = fixed_password or secrets.token_urlsafe(12)
        user = User.objects.create_user(
            email=email,
            password=password,
            first_name=first,
            last_name=last,
            job_title=job,
            organisation=organisation,
            approval_status=ApprovalStatus.APPROVED,
            approval_decided_at=timezone.now(),
        )
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        user.groups.set([groups[name] for name in [roles.MEMBERS, roles.CASE_WORKERS, *extra_roles]])
        created.append((email, password))
    if created:
        stdout.write(
            "Demo case workers (the passwords are shown only now; two-step sign-in is set up at first sign-in):"
        )
        for email, password in created:
            stdout.write(f"  {email:40} {password}")
    emails = [row[0] for row in CASE_WORKERS] + ["dana.price@hastings.gov.uk"]
    return {user.email: user for user in User.objects.filter(email__in=emails)}


def load_demo_cases(*, stdout) -> None:
    scheme = SchemePage.objects.filter(slug="pan-sussex").first()
    workstream = Workstream.objects.filter(slug="anti-social-behaviour").first()
    current = mou.current_document_ids([scheme.pk]) if scheme else []
    if scheme is None or workstream is None or not current:
        stdout.write("Cases: no Pan-Sussex scheme with an agreed MoU, so no demo case.")
        return
    with transaction.atomic():
        people = _case_workers(stdout)
        kate, dana = people.get("kate.mills@sussex.police.uk"), people.get("dana.price@hastings.gov.uk")
        if kate is None or dana is None or Case.objects.filter(title=DEMO_TITLE).exists():
            stdout.write("Cases: the demo case is there already.")
            return
        for user in (kate, dana):
            MoUAcceptance.objects.create(
                user=user,
                organisation_id=user.organisation_id,
                document_id=current[0],
                session_key="demo-earlier-session",
            )
        owner = _viewer(kate)
        case = services.case_create(
            viewer=owner,
            workstream=workstream,
            title=DEMO_TITLE,
            summary="DEMO DATA: every person and place detail here is invented. Repeated late-night noise, "
            "shouting and threats towards neighbours in a block of council flats since the spring.",
            risk_level="high",
            scheme=scheme,
        )
        services.subject_add(
            viewer=owner,
            case=case,
            role=SubjectRole.VICTIM,
            full_name="Casey Example (fictional)",
            date_of_birth=datetime.date(1961, 5, 14),
            address="Flat 3, Demo House, Ore Valley (fictional)",
        )
        perpetrator = services.subject_add(
            viewer=owner,
            case=case,
            role=SubjectRole.PERPETRATOR,
            full_name="Robin Sample (fictional)",
            date_of_birth=datetime.date(1994, 11, 2),
            address="Flat 7, Demo House, Ore Valley (fictional)",
        )
        services.note_add(
            viewer=owner,
            case=case,
            body="Fictional demo note: PCSO visit. Neighbour reports shouting after midnight on most weekends.",
        )
        hastings = dana.organisation
        services.case_share(
            viewer=owner,
            case=case,
            organisation=hastings,
            level=ShareLevel.CONTRIBUTE,
            reason="The council is the landlord: tenancy enforcement and noise monitoring under the Pan-Sussex MoU.",
        )
        contributor = _viewer(dana)
        services.subject_edit(
            viewer=contributor,
            subject=perpetrator,
            case=case,
            address="Flat 9, Demo House, Ore Valley (fictional)",
        )
        tom = people.get("tom.reed@lewes.gov.uk")
        if tom is not None:
            # Shared with Lewes by mistake, and withdrawn: Lewes sees nothing, the owner sees why.
            wrong = services.case_share(
                viewer=owner,
                case=case,
                organisation=tom.organisation,
                level=ShareLevel.READ,
                reason="Earlier noise complaints may be on Lewes District Council's records.",
            )
            services.share_withdraw(
                viewer=owner,
                case=case,
                share=wrong,
                reason="Shared in error: the earlier complaints were made to Hastings, not Lewes.",
            )
        services.note_add(
            viewer=contributor,
            case=case,
            body="Fictional demo note: noise monitoring equipment installed in Flat 3 for two weeks.",
        )
        services.action_add(
            viewer=owner,
            case=case,
            description="Send a community protection warning letter",
            assigned_organisation=kate.organisation,
            assigned_to=kate,
            due_date=timezone.localdate() + datetime.timedelta(days=14),
        )
        services.action_add(
            viewer=contributor,
            case=case,
            description="Review the noise recordings",
            assigned_organisation=hastings,
            assigned_to=dana,
            due_date=timezone.localdate() + datetime.timedelta(days=21),
        )
        statement = make_pdf(
            ["DEMO DATA - FICTIONAL", "Statement of Casey Example (fictional) about noise at Demo House."],
            title="Fictional witness statement",
        )
        services.attachment_add(
            viewer=owner,
            case=case,
            upload=ContentFile(statement, name="fictional-statement.pdf"),
            name="fictional-statement.pdf",
            content_type="application/pdf",
            description="Fictional statement (demo)",
        )
        shares = CaseShare.objects.filter(case=case).count()
    stdout.write(f"Cases: demo case {case.reference} created, shared with {shares} organisation.")
