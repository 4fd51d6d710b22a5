"""The roles of DESIGN.md section 5, as Django groups created by a data migration."""

MEMBERS = "Members"
CONTRIBUTORS = "Contributors"
NATIONAL_EDITORS = "National editors"
MODERATORS = "Moderators"
SUPPLIER_STAFF = "Supplier staff"
CASE_WORKERS = "Case workers"

ALL_ROLES = [MEMBERS, CONTRIBUTORS, NATIONAL_EDITORS, MODERATORS, SUPPLIER_STAFF, CASE_WORKERS]

# Roles that must sign in with two steps (superusers too): accounts.middleware sends them to set
# it up first.
TWO_STEP_REQUIRED = [NATIONAL_EDITORS, MODERATORS, CASE_WORKERS]
