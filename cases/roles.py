"""The case roles: the "Case workers" group (accounts/roles.py, two-step sign-in compulsory)
and "Case supervisors", created by this app's data migration. Supervisors read the audit log
of their organisation's cases and the list of MoU acceptances."""

from accounts.roles import CASE_WORKERS

CASE_SUPERVISORS = "Case supervisors"
CASE_ROLES = (CASE_WORKERS, CASE_SUPERVISORS)
