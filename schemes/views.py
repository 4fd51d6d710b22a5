"""The scheme index's routes: the listing with its filters and the usage matrix, and the
matrix as CSV. Both show only the scheme pages the viewer may see, and depend only on their
audience, so the page caches may share them (``SchemeIndexPage.cache_per_audience``)."""

import csv

from django.http import HttpResponse
from django.utils.cache import patch_vary_headers

from serving.visibility import kept

from .selectors import SchemeFilters, all_workstreams, matrix_csv_rows, usage_matrix

CSV_FILENAME = "scheme-workstream-usage.csv"


def _matrix(index, request):
    """The filters and the matrix: the same for everyone who may see the same schemes, so kept
    per content version and visibility (no query once warm)."""
    workstreams = kept(request, "workstreams", None, lambda visibility: all_workstreams())
    filters = SchemeFilters.from_querydict(request.GET, {w.slug: w.name for w in workstreams})
    matrix = kept(
        request,
        "scheme-matrix",
        (index.pk, filters),
        lambda visibility: usage_matrix(visibility, index, filters, workstreams),
    )
    return workstreams, filters, matrix


def scheme_index(index, request):
    from .models import Region

    workstreams, filters, matrix = _matrix(index, request)
    context = {
        "filters": filters,
        "matrix": matrix,
        "schemes": [row.scheme for row in matrix.rows],
        "regions": [(value, label) for value, label in Region.choices],
        "workstream_choices": workstreams,
        "csv_url": index.url + "matrix-csv/" + (f"?{filters.query_string()}" if filters.active else ""),
    }
    response = index.render(request, context_overrides=context)
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
