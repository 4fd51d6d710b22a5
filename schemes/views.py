"""The scheme index's routes: the listing with its filters and the usage matrix, and the
matrix as CSV. Both show only the scheme pages the viewer may see, and depend only on their
audience, so the page caches may share them (``SchemeIndexPage.cache_per_audience``)."""

import csv

from django.http import HttpResponse
from django.utils.cache import patch_vary_headers

from serving.visibility import kept, kept_fragment

from .selectors import SchemeFilters, all_workstreams, matrix_csv_rows, usage_matrix

CSV_FILENAME = "scheme-workstream-usage.csv"


def _filters(index, request):
    workstreams = kept(request, "workstreams", None, lambda visibility: all_workstreams())
    return workstreams, SchemeFilters.from_querydict(request.GET, {w.slug: w.name for w in workstreams})


def _matrix(index, request):
    """The filters and the matrix: the same for everyone who may see the same schemes, so kept
    per content version and visibility (no query once warm)."""
    workstreams, filters = _filters(index, request)
    matrix = kept(
        request,
        "scheme-matrix",
        (index.pk, filters),
        lambda visibility: usage_matrix(visibility, index, filters, workstreams),
    )
    return workstreams, filters, matrix


def scheme_index(index, request):
    """The listing, filters and matrix below the chrome: the same for everyone who may see the
    same schemes, so rendered once per content version, visibility and filters (a kept
    fragment, rendered without the request)."""
    from .models import Region

    workstreams, filters = _filters(index, request)
    index_url = index.url

    def build(visibility):
        matrix = usage_matrix(visibility, index, filters, workstreams)
        query = f"?{filters.query_string()}" if filters.active else ""
        return {
            "page": index,
            "filters": filters,
            "matrix": matrix,
            "schemes": [row.scheme for row in matrix.rows],
            "regions": [(value, label) for value, label in Region.choices],
            "workstream_choices": workstreams,
            "csv_url": f"{index_url}matrix-csv/{query}",
        }, {}

    body = kept_fragment(
        request, "scheme-index", (index.pk, index_url, filters), "schemes/includes/index_body.html", build
    )
    response = index.render(request, context_overrides={"index_body": body})
    patch_vary_headers(response, ["Cookie"])
    return response


def matrix_csv(index, request):
    _workstreams, filters, matrix = _matrix(index, request)
    if filters.rejected:
        # A file a spreadsheet opens cannot carry a message: say what was wrong instead.
        response = HttpResponse(
            "\n".join(filters.rejected), status=400, content_type="text/plain; charset=utf-8"
        )
        patch_vary_headers(response, ["Cookie"])
        return response
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{CSV_FILENAME}"'
    response["X-Content-Type-Options"] = "nosniff"
    response.write("\ufeff")  # a byte-order mark, so spreadsheets read the UTF-8 as UTF-8
    writer = csv.writer(response)
    writer.writerows(matrix_csv_rows(matrix))
    patch_vary_headers(response, ["Cookie"])
    return response
