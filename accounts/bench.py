"""Synthetic people for benchmarks (``manage.py seed_bench``)."""

import random

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group

from . import roles
from .models import ApprovalStatus, User


def seed_users(*, count: int, organisations, rng: random.Random) -> int:
    existing = set(User.objects.filter(email__endswith=".bench.gov.uk").values_list("email", flat=True))
    password = make_password(None)  # unusable: bench people never sign in
    users = []
    for i in range(count):
        org = organisations[i % len(organisations)]
        email = f"person{i:07d}@{org.slug}.bench.gov.uk"
        if email in existing:
            continue
        users.append(
            User(
                email=email,
                password=password,
                first_name=f"Person{i}",
                last_name=org.name.split()[-1],
                organisation=org,
                approval_status=rng.choice([ApprovalStatus.APPROVED] * 9 + [ApprovalStatus.PENDING]),
            )
        )
    User.objects.bulk_create(users, batch_size=1000)
    members = Group.objects.get(name=roles.MEMBERS)
    new_ids = User.objects.filter(email__in=[u.email for u in users], approval_status=ApprovalStatus.APPROVED)
    User.groups.through.objects.bulk_create(
        [User.groups.through(user_id=pk, group_id=members.pk) for pk in new_ids.values_list("pk", flat=True)],
        batch_size=1000,
        ignore_conflicts=True,
    )
    return len(users)
