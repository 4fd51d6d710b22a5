"""Load on the cluster, and nothing lost: 50 clients for 60 s across both app servers.

Starts the cluster exactly as ``scripts/cluster_test.py`` does (its ``Cluster``: PostgreSQL,
Redis, two gunicorn app servers A and B of two workers each, one ``db_worker``, a shared media
folder), then runs CLIENTS threads for SECONDS, each a signed-in member on A or B in turn:
reading pages, searching, and posting forum replies (the member's real reply form). Documents are
added meanwhile by an editor process (``document_create``, the service the upload form calls),
one every few seconds, each with a unique word. Afterwards every write is checked: each reply
answered 302 exists exactly once, each document exists once, is read by the worker and found by
its word in B's search. Prints requests per second, p50/p95 per kind and errors.

    .venv/bin/python bench/cluster.py [clients] [seconds]   # output also in bench/results/cluster.txt
"""

import random
import re
import shutil
import sys
import tempfile
import threading
import time
import uuid
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
from cluster_test import MEMBER, PASSWORD, UPLOAD, Client, Cluster, extraction, wait_for  # noqa: E402

PAGES = ["/", "/about/", "/knowledge/", "/schemes/", "/forum/"]
SEARCHES = ["antisocial", "knife crime", "lighting", "hate crime", "cctv", "graffiti"]


PEOPLE = """
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from forum.models import Membership

User = get_user_model()
model = User.objects.get(email="%(member)s")
groups = list(model.groups.all())
memberships = list(Membership.objects.filter(user=model))
for n in range(%(clients)d):
    email = f"load.client{n}@" + model.email.split("@")[1]
    person = User.objects.create(
        email=email, password=model.password, first_name="Load", last_name=f"Client {n}",
        organisation=model.organisation, approval_status=model.approval_status, is_active=True,
    )
    person.groups.set(groups)
    Membership.objects.bulk_create(
        Membership(group=kept.group, user=person, role=kept.role) for kept in memberships
    )
    EmailAddress.objects.create(user=person, email=email, verified=True, primary=True)
    print(email)
"""


def pct(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))] if values else float("nan")


def main(clients=50, seconds=60):
    folder = Path(tempfile.mkdtemp(prefix="bpf-cluster-bench-"))
    c = Cluster(folder)
    out = []

    def say(line=""):
        print(line, flush=True)
        out.append(line)

    try:
        t0 = time.monotonic()
        c.setup()
        say(f"cluster up in {time.monotonic() - t0:.0f}s: A and B (gunicorn, 2 workers each), one db_worker, "
            "PostgreSQL, Redis, shared media; all on this 2-core machine with the load generator")  # fmt: skip
        topics = [int(x) for x in c.editor(
            "from forum.models import Topic\n"
            "print(' '.join(str(i) for i in Topic.objects.filter(is_locked=False, is_hidden=False).values_list('id', flat=True)))"
        ).split()]  # fmt: skip
        probe = Client()
        assert probe.sign_in(c, "A", MEMBER, PASSWORD).status_code == 302
        open_topics = []
        import psycopg

        for topic in topics:
            token = uuid.uuid4().hex
            probe.request(c, "A", "POST", f"/forum/topics/{topic}/reply/",
                          data={"body": f"Warm-up reply {token}", "form_token": token})  # fmt: skip
            with psycopg.connect(f"host=127.0.0.1 port={c.pg_port} user=postgres dbname=forum") as db:
                if db.execute("SELECT 1 FROM forum_post WHERE body LIKE %s", (f"%{token}%",)).fetchone():
                    open_topics.append(topic)
        say(f"topics a member may reply to: {open_topics or 'none (replies not exercised)'}")

        times = defaultdict(list)
        errors = defaultdict(list)
        replies = []  # (token) of each reply answered 302
        lock = threading.Lock()

        # Each client is a member of their own (the forum lets one person post six times a
        # minute: shared by 50 clients, one account's replies were refused), made like the demo
        # member: organisation, password, groups, forum memberships, verified address.
        emails = c.editor(PEOPLE % {"member": MEMBER, "clients": clients}).split()
        assert len(emails) == clients, emails
        # Each signs in before the clock starts (50 password checks at once would only measure
        # the password hasher), half on A and half on B.
        members = []
        for n, email in enumerate(emails):
            me = Client()
            for _attempt in range(30):
                signed_in = me.sign_in(c, "AB"[n % 2], email, PASSWORD)
                if signed_in.status_code != 429:
                    break
                time.sleep(5)  # allauth allows 30 sign-ins a minute from one address
            assert signed_in.status_code == 302, (email, signed_in.status_code)
            members.append(me)
        reasons = []
        stop = time.monotonic() + seconds  # after the sign-ins

        def client(n):
            me = members[n]
            rng = random.Random(n)
            while time.monotonic() < stop:
                server = "AB"[rng.random() < 0.5]
                roll = rng.random()
                try:
                    if roll < 0.6:
                        kind, path = "page", rng.choice(PAGES)
                        s = time.monotonic()
                        r = me.request(c, server, "GET", path)
                        ok = r.status_code == 200
                    elif roll < 0.9 or not open_topics:
                        kind = "search"
                        s = time.monotonic()
                        r = me.request(c, server, "GET", f"/search/?q={rng.choice(SEARCHES)}")
                        ok = r.status_code == 200
                    else:
                        kind, token = "reply", uuid.uuid4().hex
                        topic = rng.choice(open_topics)
                        s = time.monotonic()
                        r = me.request(c, server, "POST", f"/forum/topics/{topic}/reply/",
                                       data={"body": f"Load reply {token} from client {n}.", "form_token": token})  # fmt: skip
                        # Saved means sent to the new post; the view also answers 302 when it
                        # refuses (to the topic or group with a message, or to sign in).
                        where = r.headers.get("Location", "")
                        ok = (
                            r.status_code == 302
                            and "login" not in where
                            and where.rstrip("/").split("/")[-1] != str(topic)
                        )
                        if r.status_code == 302 and not ok:
                            reasons.append(f"302 to {where.split('?')[0]}")
                        elif not ok:
                            found = re.search(r'class="error-summary__list">(.*?)</ul>', r.text, re.S)
                            reason = re.sub(r"<[^>]+>|\s+", " ", found.group(1)).strip() if found else ""
                            reasons.append(f"{r.status_code}: {reason[:120] or 'no message on the page'}")
                        if ok:
                            with lock:
                                replies.append(token)
                    elapsed = time.monotonic() - s
                    with lock:
                        (times if ok else errors)[kind].append(elapsed if ok else r.status_code)
                except Exception as error:  # noqa: BLE001 - counted as an error
                    with lock:
                        errors["exception"].append(error.__class__.__name__)

        documents = []

        def editor():
            i = 0
            while time.monotonic() < stop - 5:
                word = f"loadword{uuid.uuid4().hex[:10]}"
                pk = int(c.editor(UPLOAD % {"word": word, "name": f"load-note-{i}"}))
                documents.append((pk, word, f"Load note {i}"))
                i += 1

        threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
        threads.append(threading.Thread(target=editor))
        start = time.monotonic()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        wall = time.monotonic() - start
        total = sum(len(v) for v in times.values())
        nerr = sum(len(v) for v in errors.values())
        say(f"\n{clients} clients for {seconds}s across A and B: {total} good answers in {wall:.1f}s = "
            f"{total / wall:.1f} requests/s; errors: {nerr}")  # fmt: skip
        for kind, values in sorted(times.items()):
            say(
                f"  {kind:7} n={len(values):6}  p50 {pct(values, 0.5) * 1000:7.0f} ms  p95 {pct(values, 0.95) * 1000:7.0f} ms"
            )
        for kind, values in sorted(errors.items()):
            say(f"  errors {kind}: {len(values)} ({dict((v, values.count(v)) for v in set(values))})")

        if reasons:
            say(f"  why replies were refused: {dict((v, reasons.count(v)) for v in set(reasons))}")

        # Nothing lost ---------------------------------------------------------------------------
        say("\nchecks after the run:")

        with psycopg.connect(f"host=127.0.0.1 port={c.pg_port} user=postgres dbname=forum") as db:
            rows = db.execute("SELECT body FROM forum_post WHERE body LIKE 'Load reply %%'").fetchall()
        counts = defaultdict(int)
        for (body,) in rows:
            m = re.search(r"Load reply ([0-9a-f]{32})", body)
            if m:
                counts[m.group(1)] += 1
        lost = [t for t in replies if counts.get(t, 0) == 0]
        doubled = [t for t, n in counts.items() if n > 1]
        unanswered = [t for t in counts if t not in set(replies)]
        say(f"  replies answered 302: {len(replies)}; in the database: {len(counts)}; lost {len(lost)}; "
            f"stored twice {len(doubled)}; stored but not answered 302 {len(unanswered)} (their answer "
            "timed out or was refused after saving)")  # fmt: skip
        pending = [pk for pk, *_ in documents]
        wait_for(lambda: all(extraction(c, pk) == "done" for pk in pending), "the worker to drain", 300, 1)
        found, slowest = 0, 0.0
        member = Client()
        member.sign_in(c, "B", MEMBER, PASSWORD)
        drained = time.monotonic()
        for _pk, word, title in documents:
            # Found at once so far; retried for a minute so that a lagging index (Whoosh queues its
            # updates; the cluster's database backend updates in the save) shows as a delay, not a loss.
            deadline = time.monotonic() + 60
            while True:
                r = c.get("B", f"/search/?q={word}", client=member)
                if r.status_code == 200 and title in r.text:
                    found += 1
                    slowest = max(slowest, time.monotonic() - drained)
                    break
                if time.monotonic() > deadline:
                    break
                time.sleep(1)
        with psycopg.connect(f"host=127.0.0.1 port={c.pg_port} user=postgres dbname=forum") as db:
            n_docs = db.execute(
                "SELECT count(*) FROM documents_governancedocument WHERE title LIKE 'Load note %%'"
            ).fetchone()[0]
        say(f"  documents added during the run: {len(documents)}; in the database: {n_docs}; read by the "
            f"worker: {len(documents)} (drained); found by their unique word in B's search: {found} (the last "
            f"{slowest:.0f} s after the worker drained)")  # fmt: skip
        ok = not lost and not doubled and n_docs == len(documents) and found == len(documents)
        say(f"  nothing lost: {'yes' if ok else 'NO'}")
    finally:
        c.teardown()
        shutil.rmtree(folder, ignore_errors=True)
    (ROOT / "bench" / "results" / "cluster.txt").write_text("\n".join(out) + "\n")
    return 0


if __name__ == "__main__":
    args = [int(a) for a in sys.argv[1:3]]
    sys.exit(main(*args))
