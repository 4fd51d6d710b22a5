import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHECK = """
from django.db.models.signals import post_save
uids = {key[0] for key, *_ in post_save.receivers}
for label in ("home.standardpage", "schemes.schemepage", "documents.governancedocument"):
    assert f"search.whoosh.{label}" in uids, label
print("connected")
"""


def test_whoosh_update_handlers_are_connected_at_start_up():
    """Without them, pages and documents saved on the site would never reach the index.
    Checked in a fresh process, so no other test's connecting them can hide their absence."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.dev"}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", CHECK],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "connected" in result.stdout, result.stderr
