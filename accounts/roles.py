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

# Contributors draft and submit in the knowledge section only: these page permissions are given
# on each knowledge index page (knowledge.services.contributors_grant), never the tree's root.
CONTRIBUTOR_PAGE_PERMISSIONS = ["add_page", "change_page"]
