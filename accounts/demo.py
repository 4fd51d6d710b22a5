"""Demo people, one for every role, each at a Pan-Sussex partner."""

import os
import secrets

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.utils import timezone

from schemes.models import Organisation

from . import roles
from .models import ApprovalStatus, User

# (e-mail, first name, last name, job title, organisation, roles, extra fields)
DEMO_USERS = [
    (
        "admin@sussex.police.uk",
        "Morgan",
        "Hale",
        "Forum administrator",
        "Sussex Police",
        [],
        {"is_superuser": True, "is_staff": True},
    ),
    (
        "ruth.ellis@sussex.police.uk",
        "Ruth",
        "Ellis",
        "Partnerships inspector",
        "Sussex Police",
        [roles.MEMBERS],
        {"is_organisation_approver": True},
    ),
    (
        "alex.morgan@brighton-hove.gov.uk",
        "Alex",
        "Morgan",
        "Community safety officer",
        "Brighton & Hove City Council",
        [roles.MEMBERS],
        {},
    ),
    (
        "priya.shah@westsussex.gov.uk",
        "Priya",
        "Shah",
        "Community safety partnership manager",
        "West Sussex County Council",
        [roles.MEMBERS, roles.CONTRIBUTORS],
        {},
    ),
    (
        "jo.bennett@sussex-pcc.gov.uk",
        "Jo",
        "Bennett",
        "Policy officer",
        "Office of the Sussex Police and Crime Commissioner",
        [roles.MEMBERS, roles.NATIONAL_EDITORS],
        {},
    ),
    (
        "sam.okafor@eastsussex.gov.uk",
        "Sam",
        "Okafor",
        "Anti-social behaviour coordinator",
        "East Sussex County Council",
        [roles.MEMBERS, roles.MODERATORS],
        {},
    ),
    (
        "chris.lee@empowering-communities.org",
        "Chris",
        "Lee",
        "Product manager",
        "Empowering-Communities",
        [roles.MEMBERS, roles.SUPPLIER_STAFF],
        {},
    ),
    (
        "dana.price@hastings.gov.uk",
        "Dana",
        "Price",
        "Anti-social behaviour caseworker",
        "Hastings Borough Council",
        [roles.MEMBERS, roles.CASE_WORKERS],
        {},
    ),
    (
        "new.starter@sussex.police.uk",
        "Nia",
        "Starter",
        "Police community support officer",
        "Sussex Police",
        [],
        {"approval_status": ApprovalStatus.PENDING},
    ),
]


def load_users(*, stdout) -> None:
    """Create the demo people; print each new password once (or use DEMO_PASSWORD)."""
    fixed_password = os.environ.get("DEMO_PASSWORD")
    groups = {g.name: g for g in Group.objects.filter(name__in=roles.ALL_ROLES)}
    created = []
    for email, first, last, job, org_name, user_roles, extra in DEMO_USERS:
        if User.objects.filter(email=email).exists():
            continue
        password = fixed_password or secrets.token_urlsafe(12)
        fields = {"approval_status": ApprovalStatus.APPROVED, "approval_decided_at": timezone.now(), **extra}
        if fields["approval_status"] == ApprovalStatus.PENDING:
            fields["approval_decided_at"] = None
        user = User.objects.create_user(
            email=email,
            password=password,
            first_name=first,
            last_name=last,
            job_title=job,
            organisation=Organisation.objects.get(name=org_name),
            **fields,
        )
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        user.groups.set([groups[name] for name in user_roles])
        created.append(
            (
                email,
                password,
                ", ".join(user_roles) or ("administrator" if user.is_superuser else "awaiting approval"),
            )
        )
    if created:
        stdout.write("Demo accounts (the passwords are shown only now):")
        for email, password, role in created:
            stdout.write(f"  {email:40} {password:20} {role}")
    stdout.write(f"People: {len(created)} created, {len(DEMO_USERS) - len(created)} already there.")
