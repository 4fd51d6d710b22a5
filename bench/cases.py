"""The case list with 100,000 cases, in requests per second against a trivial Django view
(same gunicorn, same run), and what the audit log costs a case view, as a ratio.

    .venv/bin/python bench/cases.py [--cases 100000] [--rounds 3] [--seconds 8]

Builds a throw-away PostgreSQL database (migrate, ``load_demo``), adds ``--cases`` cases with
``bulk_create`` (half owned by Sussex Police, half by Hastings Borough Council, every tenth of
those shared with Sussex Police), and signs in the demo's Sussex Police case worker with the
current MoU accepted in that session. Then, under gunicorn (2 sync workers, production
settings) loaded by wrk: the trivial view, the case list (first page, a deep page, filtered)
and the demo case's page. Every request writes its audit record, as in production.

The audit log's cost is measured apart, in one process on the same database: the demo case's
page through Django's test client, ``--views`` times with the audit record written and
``--views`` times with the audit call replaced by nothing (interleaved in blocks), and the
ratio of the mean times. Production has no switch to turn auditing off.
"""

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import ROOT, Baseline, Site, fresh_database, interleaved_rounds, ratio_lines  # noqa: E402

CASE_WORKER = "kate.mills@sussex.police.uk"

SEED = """
from django.db import transaction
from accounts.models import User
from cases.models import Case, CaseShare, ShareLevel
from schemes.models import Organisation, SchemePage, Workstream
police = Organisation.objects.get(name="Sussex Police")
hastings = Organisation.objects.get(name="Hastings Borough Council")
kate = User.objects.get(email="kate.mills@sussex.police.uk")
dana = User.objects.get(email="dana.price@hastings.gov.uk")
scheme = SchemePage.objects.get(slug="pan-sussex")
workstreams = list(Workstream.objects.order_by("pk")[:8])
total = {total}
batch = 5000
for start in range(0, total, batch):
    with transaction.atomic():
        rows = [
            Case(
                reference=f"ASB-2025-{{n:06d}}",
                workstream=workstreams[n % len(workstreams)],
                title=f"Bench case {{n}}",
                owner=police if n % 2 else hastings,
                lead_officer=kate if n % 2 else dana,
                scheme=scheme,
                status=("open", "monitoring", "closed")[n % 3],
                risk_level=("low", "medium", "high")[n % 3],
            )
            for n in range(start, min(start + batch, total))
        ]
        Case.objects.bulk_create(rows)
        CaseShare.objects.bulk_create(
            [
                CaseShare(case=case, organisation=police, level=ShareLevel.READ, reason="Bench", shared_by=dana)
                for case in rows
                if case.owner_id == hastings.pk and int(case.reference[-6:]) % 10 == 0
            ]
        )
# Statistics, as autovacuum would gather them on a database that grew to this size.
from django.db import connection
with connection.cursor() as cursor:
    cursor.execute("ANALYZE")
print(Case.objects.count())
"""

ACCEPT = """
from django.contrib.sessions.backends.cached_db import SessionStore
from accounts.models import User
from cases import mou
from cases.models import Case, MoUAcceptance
user = User.objects.get(email={email!r})
documents = [row.document_id for row in mou.organisation_mous(user.organisation_id)]
for document_id in documents:
    MoUAcceptance.objects.create(
        user=user, organisation_id=user.organisation_id, document_id=document_id, session_key={key!r}
    )
session = SessionStore(session_key={key!r})
mou.remember_accepted(session, documents)
session.save()
print(Case.objects.get(title__startswith="DEMO").reference)
"""

AUDIT_COST = """
import time
from unittest import mock
from django.test import Client
from django.test.utils import override_settings
from accounts.models import User
from cases import mou
from cases.models import Case

with override_settings(ALLOWED_HOSTS=["testserver"], SECURE_SSL_REDIRECT=False):
    client = Client()
    user = User.objects.get(email={email!r})
    client.force_login(user)
    session = client.session
    mou.remember_accepted(session, [row.document_id for row in mou.organisation_mous(user.organisation_id)])
    session.save()
    url = Case.objects.get(title__startswith="DEMO").get_absolute_url()

    def run(n):
        started = time.perf_counter()
        for _ in range(n):
            assert client.get(url).status_code == 200
        return time.perf_counter() - started

    run(50)  # warm
    with_audit = without = 0.0
    views = {views}
    for _ in range(5):
        with_audit += run(views // 5)
        with mock.patch("cases.views.audit"):
            without += run(views // 5)
    print(f"{{with_audit / views * 1000:.2f}} {{without / views * 1000:.2f}}")
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--views", type=int, default=1000)
    parser.add_argument("--output", default=str(ROOT / "bench" / "results" / "cases.txt"))
    args = parser.parse_args()

    database = fresh_database("bpf_bench_cases")
    baseline_site = Baseline()
    site = Site(database)
    try:
        print("Preparing the database (migrate, load_demo, the cases)...", flush=True)
        site.manage("migrate", "--noinput")
        site.manage("collectstatic", "--noinput")
        site.manage("load_demo")
        count = site.python(SEED.format(total=args.cases))
        print(f"{count} cases in the database.", flush=True)
        session_key = site.session_cookie_for(CASE_WORKER)
        reference = site.python(ACCEPT.format(email=CASE_WORKER, key=session_key))
        cookie = (f"Cookie: sessionid={session_key}",)
        baseline_site.start()
        site.start()
        cases = [
            ("trivial Django view (minimal settings)", baseline_site.url("/"), ()),
            ("case list, first page", "/cases/", cookie),
            ("case list, page 1000", "/cases/?page=1000", cookie),
            ("case list, filtered (open, low risk)", "/cases/?status=open&risk=low", cookie),
            ("case list, search by reference", "/cases/?q=ASB-2025-012345", cookie),
            ("case list, search in titles", "/cases/?q=case+12345", cookie),
            ("case page (demo case)", f"/cases/{reference}/", cookie),
        ]
        runs = interleaved_rounds(site, cases, rounds=args.rounds, seconds=args.seconds)
        print("Measuring the audit log's cost on a case view...", flush=True)
        with_audit, without = (
            float(v) for v in site.python(AUDIT_COST.format(email=CASE_WORKER, views=args.views)).split()
        )
    finally:
        baseline_site.stop()
        site.stop()

    lines = [
        "Ratios are to the trivial Django view (minimal settings, no database) in the same run.",
        f"Case list benchmark: gunicorn 2 sync workers, production settings, PostgreSQL, {count} cases",
        f"wrk -t2 -c8 -d{args.seconds}s per URL, {args.rounds} rounds interleaved; medians; every request audited",
        "",
        *ratio_lines(cases, runs),
    ]
    lines += [
        "",
        f"Audit log cost on a case view (test client, one process, {args.views} views each way):",
        f"  with the audit record {with_audit:.2f} ms, without {without:.2f} ms: ratio {with_audit / without:.2f}",
    ]
    report = "\n".join(lines)
    print("\n" + report)
    Path(args.output).write_text(report + "\n")


if __name__ == "__main__":
    main()
