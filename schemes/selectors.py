"""Read paths over the taxonomy and the schemes: the scheme index's filters and usage
matrix, and what a scheme page shows."""

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models.functions import Lower
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from serving.visibility import visibility_of

from .models import (
    Organisation,
    Region,
    SchemeIndexPage,
    SchemePage,
    SchemePartner,
    SchemeWorkstreamUse,
    Workstream,
    WorkstreamUse,
)


def email_domain_candidates(email: str) -> list[str]:
    """The domain of ``email`` and each parent domain: a.b.gov.uk -> [a.b.gov.uk, b.gov.uk, gov.uk]."""
    domain = email.rpartition("@")[2].strip().lower().rstrip(".")
    parts = domain.split(".")
    return [".".join(parts[i:]) for i in range(len(parts) - 1)] if domain else []


def organisations_for_email(email: str) -> list[Organisation]:
    """Organisations whose staff use this address's domain (or a parent of it), in one query."""
    candidates = email_domain_candidates(email)
    if not candidates:
        return []
    return list(Organisation.objects.filter(email_domains__domain__in=candidates).distinct().order_by("name"))


# The scheme index: filters and the national usage matrix ------------------------------------


@dataclass(frozen=True)
class SchemeFilters:
    """What the visitor asked for, cleaned. Unknown values are dropped and named in
    ``rejected`` so the page can say so; nothing malformed reaches a query."""

    region: str = ""
    workstream: str = ""
    rejected: tuple[str, ...] = ()

    @classmethod
    def from_querydict(cls, data, workstreams: dict[str, str]) -> "SchemeFilters":
        regions = dict(Region.choices)
        region, workstream, rejected = data.get("region", ""), data.get("workstream", ""), []
        if region and region not in regions:
            rejected.append(
                _("There is no region “%(value)s”: showing every region.") % {"value": region[:80]}
            )
            region = ""
        if workstream and workstream not in workstreams:
            rejected.append(
                _("There is no workstream “%(value)s”: showing every workstream.")
                % {"value": workstream[:80]}
            )
            workstream = ""
        return cls(region=region, workstream=workstream, rejected=tuple(rejected))

    @property
    def active(self) -> bool:
        return bool(self.region or self.workstream)

    def query_string(self) -> str:
        return urlencode({k: v for k, v in (("region", self.region), ("workstream", self.workstream)) if v})


@dataclass
class MatrixRow:
    scheme: SchemePage
    cells: list  # one per column: a SchemeWorkstreamUse, or None where the scheme does not use it


@dataclass
class UsageMatrix:
    workstreams: list[Workstream]
    rows: list[MatrixRow]
    counts: dict = field(default_factory=dict)  # status -> number of cells


def visible_schemes(scope, index: SchemeIndexPage):
    """The live scheme pages under the index that the viewer (a request, or their
    ``Visibility``) may see."""
    pages = SchemePage.objects.child_of(index).live()
    return visibility_of(scope).visible_pages(pages)


def all_workstreams() -> list[Workstream]:
    return list(Workstream.objects.order_by(Lower("name")).only("pk", "name", "slug"))


def usage_matrix(
    scope, index: SchemeIndexPage, filters: SchemeFilters, workstreams: list[Workstream]
) -> UsageMatrix:
    """Schemes down, the workstreams in use across, in two queries whatever the volume."""
    schemes = visible_schemes(scope, index)
    if filters.region:
        schemes = schemes.filter(region=filters.region)
    if filters.workstream:
        schemes = schemes.filter(workstream_uses__workstream__slug=filters.workstream)
    schemes = list(
        schemes.select_related("lead_force")
        .only("pk", "title", "slug", "url_path", "path", "depth", "summary", "region", "lead_force__name")
        .order_by("title", "pk")
        .distinct()
    )
    by_scheme: dict[int, dict[int, SchemeWorkstreamUse]] = {scheme.pk: {} for scheme in schemes}
    if schemes:
        # The ids, not the filtered query again: one small query whatever the filters.
        uses = SchemeWorkstreamUse.objects.filter(scheme_id__in=list(by_scheme)).only(
            "pk", "scheme_id", "workstream_id", "status", "started_on"
        )
        for use in uses:
            by_scheme[use.scheme_id][use.workstream_id] = use
    used = {workstream_id for cells in by_scheme.values() for workstream_id in cells}
    columns = [w for w in workstreams if w.pk in used]
    counts = {status: 0 for status in WorkstreamUse.values}
    rows = []
    for scheme in schemes:
        cells = [by_scheme[scheme.pk].get(w.pk) for w in columns]
        for cell in cells:
            if cell is not None:
                counts[cell.status] = counts.get(cell.status, 0) + 1
        rows.append(MatrixRow(scheme, cells))
    return UsageMatrix(workstreams=columns, rows=rows, counts=counts)


def cell_text(use: SchemeWorkstreamUse | None) -> str:
    """A cell in words (never colour alone): "Live since March 2015", "Planned", "Not used"."""
    if use is None:
        return str(_("Not used"))
    label = use.get_status_display()
    if use.started_on:
        month = date_format(use.started_on, "F Y")
        if use.status == WorkstreamUse.PLANNED:
            return str(_("%(status)s from %(date)s") % {"status": label, "date": month})
        return str(_("%(status)s since %(date)s") % {"status": label, "date": month})
    return str(label)


CSV_DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value) -> str:
    """A spreadsheet never runs a cell as a formula: one starting = + - @ (or a tab or a
    carriage return) is prefixed with an apostrophe (OWASP's advice on CSV injection)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(CSV_DANGEROUS) else text


def matrix_csv_rows(matrix: UsageMatrix):
    yield [
        csv_safe(v)
        for v in [_("Scheme"), _("Region"), _("Lead force"), *[w.name for w in matrix.workstreams]]
    ]
    for row in matrix.rows:
        scheme = row.scheme
        yield [
            csv_safe(v)
            for v in [
                scheme.title,
                scheme.get_region_display(),
                scheme.lead_force.name,
                *[
                    ""
                    if cell is None
                    else f"{cell.status}{' ' + cell.started_on.isoformat() if cell.started_on else ''}"
                    for cell in row.cells
                ],
            ]
        ]


# A scheme's page ------------------------------------------------------------------------------


OPEN_FORUM_GROUP = "open"  # forum.models.Visibility.OPEN: schemes never imports forum


def scheme_body(request, page: SchemePage):
    """Everything a scheme page shows below the site's chrome, as a kept fragment
    (``serving.visibility``): the same for everyone who may see the same pages and documents,
    so rendered once per content version and visibility (a preview of a draft is rendered
    afresh). Who ticked an onboarding step is named for approved members only, so that is part
    of the key."""
    from serving.viewer import viewer_for
    from serving.visibility import kept_fragment

    show_names = viewer_for(request).is_approved

    def build(visibility):
        return {"page": page, "show_names": show_names, **_scheme_page_context(visibility, page)}, {}

    return kept_fragment(
        request, "scheme-body", (page.pk, show_names), "schemes/includes/scheme_body.html", build
    )


def _scheme_page_context(visibility, page: SchemePage) -> dict:
    """Each part one query: workstreams in use, partners with their roles, its open forum
    groups, and the sections other apps register (``schemes.sections``), filtered there for
    the ``visibility`` they are given."""
    from .sections import sections_for

    partners = list(page.partner_roles.select_related("organisation").order_by("sort_order", "pk"))
    if not partners:
        # Partners set without rows (older schemes): named, without a role or date.
        partners = [SchemePartner(organisation=o) for o in page.partners.order_by("name")]
    return {
        "workstream_uses": list(page.workstream_uses.select_related("workstream").order_by("sort_order")),
        "partners": partners,
        "forum_groups": list(
            page.forum_groups.filter(visibility=OPEN_FORUM_GROUP)
            .order_by("name")
            .only("pk", "name", "slug", "description", "scheme_id")
        ),
        "sections": sections_for(visibility, page),
    }
