"""The case pages. Every view is wrapped by ``case_view`` (see ``cases.urls``; a test checks
each URL): signed-in case workers only (404 for everyone else), the MoU gate before any case
data, the access rule of ``cases.access`` (404 and an audit record for a case the
organisation may not see), the audit record in the action's own transaction (refused when it
cannot be written), and every response ``Cache-Control: private, no-store``."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import wraps
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from documents.models import GovernanceDocument
from documents.selectors import library_url
from serving.viewer import viewer_for

from . import mou, services
from .access import CaseRoles, case_access, case_roles, may_read_audit, visible_cases
from .audit import AuditFailure, audit
from .forms import (
    ActionForm,
    ActionStatusForm,
    AttachmentForm,
    CaseEditForm,
    CaseFilterForm,
    CaseForm,
    CaseUpdateForm,
    MoUAcceptForm,
    NoteForm,
    ShareForm,
    ShareWithdrawForm,
    SubjectAccessForm,
    SubjectForm,
)
from .models import Action, ActionStatus, AuditEvent, CaseShare, MoUAcceptance, Subject

CASES_PER_PAGE = 25
AUDIT_PER_PAGE = 50
REFERENCE = re.compile(r"^[A-Za-z]{1,10}-\d{4}-\d{5,}$")


@dataclass
class CasePage:
    """A page of cases without counting them all (a count over every case the organisation
    may see would cost more than the page): one query for ``CASES_PER_PAGE`` + 1 rows."""

    object_list: list
    number: int
    has_next: bool

    @classmethod
    def of(cls, cases, number) -> CasePage:
        digits = str(number or "")
        number = (
            min(int(digits), 100_000) if digits.isdigit() and 0 < len(digits) < 10 and int(digits) > 0 else 1
        )
        start = (number - 1) * CASES_PER_PAGE
        rows = list(cases[start : start + CASES_PER_PAGE + 1])
        return cls(rows[:CASES_PER_PAGE], number, len(rows) > CASES_PER_PAGE)

    def __iter__(self):
        return iter(self.object_list)

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_other_pages(self) -> bool:
        return self.has_next or self.has_previous

    def previous_page_number(self) -> int:
        return self.number - 1

    def next_page_number(self) -> int:
        return self.number + 1


@dataclass
class CaseRequest:
    viewer: object
    roles: CaseRoles
    scheme_ids: list[int]


def _refuse(request, viewer, reference=""):
    """404, recorded (the record is best effort: the answer is a refusal either way)."""
    try:
        audit(viewer, "refused", case_reference=reference, path=request.get_full_path())
    except AuditFailure:
        pass
    raise Http404("No such case.")


def _to_acceptance(request) -> HttpResponse:
    target = f"{reverse('cases:mou')}?{urlencode({'next': request.get_full_path()})}"
    if request.headers.get("HX-Request") == "true":
        response = HttpResponse(status=204)
        response["HX-Redirect"] = target
        return response
    return HttpResponseRedirect(target)


def case_view(view=None, *, gate=True):
    def decorate(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            viewer = viewer_for(request)
            reference = kwargs.get("reference", "")
            if not viewer.is_authenticated:
                response = redirect_to_login(request.get_full_path())
            else:
                roles = case_roles(viewer)
                if not roles.worker:
                    _refuse(request, viewer, reference)
                mous = mou.current_for(viewer)
                if not mous:
                    _refuse(request, viewer, reference)
                if gate and mou.pending(request.session, mous):
                    response = _to_acceptance(request)
                else:
                    context = CaseRequest(viewer, roles, [m.scheme_id for m in mous])
                    try:
                        response = view(request, context, *args, **kwargs)
                    except Http404:
                        _refuse(request, viewer, reference)
                    except AuditFailure:
                        response = render(request, "cases/refused.html", status=503)
            add_never_cache_headers(response)
            patch_cache_control(response, private=True)
            return response

        wrapped.case_view = True
        return wrapped

    return decorate(view) if view is not None else decorate


def _path(request) -> str:
    return request.get_full_path()


# MoU acceptance ---------------------------------------------------------------------------------


@case_view(gate=False)
@require_http_methods(["GET", "POST"])
def mou_accept(request, cr: CaseRequest):
    mous = mou.pending(request.session, mou.current_for(cr.viewer))
    next_url = request.POST.get("next") or request.GET.get("next") or reverse("cases:list")
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, require_https=request.is_secure()):
        next_url = reverse("cases:list")
    if not mous:
        return redirect(next_url)
    documents = list(
        GovernanceDocument.objects.filter(pk__in=[m.document_id for m in mous]).select_related("scheme")
    )
    form = MoUAcceptForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            services.mou_accept(
                viewer=cr.viewer,
                documents=documents,
                session_key=request.session.session_key or "",
                path=_path(request),
            )
        mou.remember_accepted(request.session, [document.pk for document in documents])
        messages.success(
            request, _("Thank you. You accepted the memorandum of understanding for this session.")
        )
        return redirect(next_url)
    return render(
        request,
        "cases/mou_accept.html",
        {
            "documents": documents,
            "conditions": mou.CONDITIONS,
            "form": form,
            "next": next_url,
            "library_url": library_url(),
        },
        status=400 if form.errors else 200,
    )


@case_view
def acceptances(request, cr: CaseRequest):
    if not cr.roles.supervisor:
        raise Http404
    rows = (
        MoUAcceptance.objects.filter(organisation_id=cr.viewer.organisation_id)
        .select_related("user", "document", "document__scheme")
        .order_by("-accepted_at", "-pk")
    )
    page = Paginator(rows, AUDIT_PER_PAGE).get_page(request.GET.get("page"))
    with transaction.atomic():
        audit(cr.viewer, "view acceptances", path=_path(request))
    return render(request, "cases/acceptances.html", {"page_obj": page})


# The list and new cases -------------------------------------------------------------------------


@case_view
def case_list(request, cr: CaseRequest):
    form = CaseFilterForm(request.GET)
    form.is_valid()
    filters = form.cleaned_data if form.is_bound else {}
    organisation_id = cr.viewer.organisation_id
    cases = visible_cases(cr.viewer, scheme_ids=cr.scheme_ids)
    if filters.get("q"):
        q = filters["q"].strip()
        # A reference is found by its unique index; anything else is looked for in titles.
        cases = cases.filter(reference=q.upper()) if REFERENCE.match(q) else cases.filter(title__icontains=q)
    if filters.get("status"):
        cases = cases.filter(status=filters["status"])
    if filters.get("risk"):
        cases = cases.filter(risk_level=filters["risk"])
    if filters.get("ownership") == "ours":
        cases = cases.filter(owner_id=organisation_id)
    elif filters.get("ownership") == "shared":
        cases = cases.exclude(owner_id=organisation_id)
    level = CaseShare.objects.filter(case_id=OuterRef("pk"), organisation_id=organisation_id).values("level")[
        :1
    ]
    cases = (
        cases.select_related("owner", "workstream", "lead_officer")
        .annotate(share_level=Subquery(level))
        .order_by("-updated_at", "-pk")
    )
    page = CasePage.of(cases, request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    with transaction.atomic():
        searched = any(filters.get(name) for name in ("q", "status", "risk", "ownership"))
        audit(
            cr.viewer,
            "search" if searched else "list",
            justification=query.urlencode() if searched else "",
            path=_path(request),
        )
    return render(
        request,
        "cases/case_list.html",
        {"page_obj": page, "form": form, "query": query.urlencode(), "roles": cr.roles},
    )


@case_view
@require_http_methods(["GET", "POST"])
def case_new(request, cr: CaseRequest):
    form = CaseForm(request.POST or None, scheme_ids=cr.scheme_ids)
    if request.method == "POST" and form.is_valid():
        case = services.case_create(viewer=cr.viewer, path=_path(request), **form.cleaned_data)
        messages.success(request, _("Case %(reference)s created.") % {"reference": case.reference})
        return redirect(case)
    return render(request, "cases/case_form.html", {"form": form}, status=400 if form.errors else 200)


# One case ---------------------------------------------------------------------------------------


def _sharing_partners(access) -> list[int]:
    """Organisations of the case's scheme (signatories of its current MoU), except the owner."""
    organisation_ids = (
        GovernanceDocument.signatories.through.objects.filter(
            governancedocument_id__in=mou.current_document_ids([access.case.scheme_id])
        )
        .exclude(organisation_id=access.case.owner_id)
        .values_list("organisation_id", flat=True)
    )
    return list(organisation_ids)


def _case_organisations(case) -> list[int]:
    return [case.owner_id, *CaseShare.objects.filter(case=case).values_list("organisation_id", flat=True)]


@case_view
def case_detail(request, cr: CaseRequest, reference):
    access = case_access(cr.viewer, reference, scheme_ids=cr.scheme_ids)
    case = access.case
    notes = list(case.notes.select_related("author", "organisation", "corrects"))
    context = {
        "access": access,
        "case": case,
        "subjects": list(case.subjects.all()),
        "notes": notes,
        "actions": list(case.actions.select_related("assigned_organisation", "assigned_to")),
        "attachments": list(case.attachments.select_related("organisation")),
        "shares": list(case.shares.select_related("organisation", "shared_by")),
        "withdrawals": list(case.withdrawals.select_related("organisation", "withdrawn_by"))
        if access.is_owner
        else [],
        "note_form": NoteForm(notes=notes) if access.may_contribute else None,
        "update_form": CaseUpdateForm(initial={"status": case.status, "risk_level": case.risk_level})
        if access.is_owner
        else None,
        "may_read_audit": may_read_audit(cr.roles, access),
        "action_statuses": ActionStatus.choices,
    }
    with transaction.atomic():
        audit(cr.viewer, "view", case_reference=case.reference, obj=case, path=_path(request))
    return render(request, "cases/case_detail.html", context)


def _contribution(
    request, cr, reference, form_class, template, save, *, form_kwargs=None, owner_only=False, extra=None
):
    """A form that adds to a case: 404 unless the organisation may contribute (or owns it)."""
    access = case_access(cr.viewer, reference, scheme_ids=cr.scheme_ids)
    if not access.may_contribute or (owner_only and not access.is_owner):
        raise Http404
    kwargs = (form_kwargs or (lambda access: {}))(access)
    form = form_class(request.POST or None, request.FILES or None, **kwargs)
    if request.method == "POST" and form.is_valid():
        save(access, form)
        return redirect(access.case)
    with transaction.atomic():
        audit(cr.viewer, "view", case_reference=access.case.reference, obj=access.case, path=_path(request))
    return render(
        request,
        template,
        {"form": form, "case": access.case, "access": access, **(extra(access) if extra else {})},
        status=400 if form.errors else 200,
    )


@case_view
@require_http_methods(["GET", "POST"])
def note_add(request, cr: CaseRequest, reference):
    def save(access, form):
        services.note_add(
            viewer=cr.viewer,
            case=access.case,
            body=form.cleaned_data["body"],
            corrects=form.cleaned_data["corrects"],
            path=_path(request),
        )
        messages.success(request, _("Note added."))

    def kwargs(access):
        form_kwargs = {"notes": list(access.case.notes.select_related("author"))}
        if request.method == "GET" and request.GET.get("corrects", "").isdigit():
            form_kwargs["initial"] = {"corrects": int(request.GET["corrects"])}
        return form_kwargs

    return _contribution(request, cr, reference, NoteForm, "cases/note_form.html", save, form_kwargs=kwargs)


@case_view
@require_http_methods(["GET", "POST"])
def subject_add(request, cr: CaseRequest, reference):
    def save(access, form):
        services.subject_add(viewer=cr.viewer, case=access.case, path=_path(request), **form.cleaned_data)
        messages.success(request, _("Person added."))

    return _contribution(request, cr, reference, SubjectForm, "cases/subject_form.html", save)


@case_view
@require_http_methods(["GET", "POST"])
def action_add(request, cr: CaseRequest, reference):
    def save(access, form):
        services.action_add(viewer=cr.viewer, case=access.case, path=_path(request), **form.cleaned_data)
        messages.success(request, _("Action added."))

    return _contribution(
        request,
        cr,
        reference,
        ActionForm,
        "cases/action_form.html",
        save,
        form_kwargs=lambda access: {"organisation_ids": _case_organisations(access.case)},
    )


@case_view
@require_POST
def action_status(request, cr: CaseRequest, reference, action_id):
    access = case_access(cr.viewer, reference, scheme_ids=cr.scheme_ids)
    if not access.may_contribute:
        raise Http404
    action = Action.objects.filter(case=access.case, pk=action_id).first()
    if action is None:
        raise Http404
    form = ActionStatusForm(request.POST)
    if form.is_valid():
        action.case = access.case
        services.action_set_status(
            viewer=cr.viewer, action=action, status=form.cleaned_data["status"], path=_path(request)
        )
        messages.success(request, _("Action updated."))
    else:
        messages.error(request, _("Choose a status for the action."))
    return redirect(access.case)


@case_view
@require_POST
def case_update(request, cr: CaseRequest, reference):
    access = case_access(cr.viewer, reference, scheme_ids=cr.scheme_ids)
    if not access.is_owner:
        raise Http404
    form = CaseUpdateForm(request.POST)
    if form.is_valid():
        changed = services.case_edit(
            viewer=cr.viewer, case=access.case, path=_path(request), **form.cleaned_data
        )
        messages.success(request, _("Case updated.") if changed else _("Nothing changed."))
    else:
        messages.error(request, _("Choose a status and a risk level."))
    return redirect(access.case)


@case_view
@require_http_methods(["GET", "POST"])
def case_edit(request, cr: CaseRequest, reference):
    """The owning organisation edits its case (title, summary, workstream, risk, status, lead
    officer): contributors add to a case but do not redefine it."""

    def save(access, form):
        changed = services.case_edit(
            viewer=cr.viewer, case=access.case, path=_path(request), **form.cleaned_data
        )
        messages.success(request, _("Case updated.") if changed else _("Nothing changed."))

    return _contribution(
        request,
        cr,
        reference,
        CaseEditForm,
        "cases/case_edit.html",
        save,
        form_kwargs=lambda access: {"case": access.case},
        owner_only=True,
    )


@case_view
@require_http_methods(["GET", "POST"])
def subject_edit(request, cr: CaseRequest, reference, subject_id):
    """Correct a person's details: whoever may add people to the case (the owner, or a share
    to read and contribute) may correct them."""
    found = {}

    def kwargs(access):
        subject = Subject.objects.filter(case=access.case, pk=subject_id).first()
        if subject is None:
            raise Http404
        found["subject"] = subject
        return {
            "initial": {
                "role": subject.role,
                "full_name": subject.full_name,
                "date_of_birth": subject.date_of_birth,
                "address": subject.address,
            }
        }

    def save(access, form):
        changed = services.subject_edit(
            viewer=cr.viewer,
            subject=found["subject"],
            case=access.case,
            path=_path(request),
            **form.cleaned_data,
        )
        messages.success(request, _("Details corrected.") if changed else _("Nothing changed."))

    return _contribution(
        request, cr, reference, SubjectForm, "cases/subject_edit.html", save, form_kwargs=kwargs
    )


@case_view
@require_http_methods(["GET", "POST"])
def share_withdraw(request, cr: CaseRequest, reference, share_id):
    """The owning organisation withdraws a share, with a reason."""
    found = {}

    def kwargs(access):
        share = CaseShare.objects.filter(case=access.case, pk=share_id).select_related("organisation").first()
        if share is None:
            raise Http404
        found["share"] = share
        return {}

    def save(access, form):
        share = found["share"]
        try:
            services.share_withdraw(
                viewer=cr.viewer,
                case=access.case,
                share=share,
                reason=form.cleaned_data["reason"],
                path=_path(request),
            )
        except CaseShare.DoesNotExist:
            messages.error(request, _("That share had been withdrawn already."))
            return
        messages.success(
            request,
            _("Share with %(organisation)s withdrawn.") % {"organisation": share.organisation.name},
        )

    return _contribution(
        request,
        cr,
        reference,
        ShareWithdrawForm,
        "cases/share_withdraw.html",
        save,
        form_kwargs=kwargs,
        owner_only=True,
        extra=lambda access: {"share": found.get("share")},
    )


@case_view
@require_http_methods(["GET", "POST"])
def attachment_add(request, cr: CaseRequest, reference):
    def save(access, form):
        services.attachment_add(
            viewer=cr.viewer,
            case=access.case,
            upload=form.cleaned_data["file"],
            name=form.stored_name,
            content_type=form.content_type,
            description=form.cleaned_data["description"],
            path=_path(request),
        )
        messages.success(request, _("File attached."))

    return _contribution(request, cr, reference, AttachmentForm, "cases/attachment_form.html", save)


@case_view
def attachment_download(request, cr: CaseRequest, reference, attachment_id):
    access = case_access(cr.viewer, reference, scheme_ids=cr.scheme_ids)
    attachment = access.case.attachments.filter(pk=attachment_id).first()
    if attachment is None:
        raise Http404
    with transaction.atomic():
        audit(
            cr.viewer, "download", case_reference=access.case.reference, obj=attachment, path=_path(request)
        )
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    response = FileResponse(
        handle, as_attachment=True, filename=attachment.name, content_type=attachment.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@case_view
@require_http_methods(["GET", "POST"])
def share(request, cr: CaseRequest, reference):
    def save(access, form):
        data = form.cleaned_data
        services.case_share(
            viewer=cr.viewer,
            case=access.case,
            organisation=data["organisation"],
            level=data["level"],
            reason=data["reason"],
            path=_path(request),
        )
        messages.success(
            request, _("Case shared with %(organisation)s.") % {"organisation": data["organisation"].name}
        )

    return _contribution(
        request,
        cr,
        reference,
        ShareForm,
        "cases/share_form.html",
        save,
        form_kwargs=lambda access: {"organisation_ids": _sharing_partners(access)},
        owner_only=True,
    )


@case_view
def audit_log(request, cr: CaseRequest, reference):
    access = case_access(cr.viewer, reference, scheme_ids=cr.scheme_ids)
    if not may_read_audit(cr.roles, access):
        raise Http404
    events = AuditEvent.objects.filter(case_reference=access.case.reference).select_related(
        "user", "organisation"
    )
    page = Paginator(events, AUDIT_PER_PAGE).get_page(request.GET.get("page"))
    with transaction.atomic():
        audit(cr.viewer, "view audit", case_reference=access.case.reference, path=_path(request))
    return render(request, "cases/audit_log.html", {"case": access.case, "page_obj": page})


# Subject access ---------------------------------------------------------------------------------


def _sar_json(name, results) -> dict:
    return {
        "name": name,
        "generated_at": timezone.now().isoformat(),
        "records": [
            {
                "case": {
                    "reference": row["case"].reference,
                    "title": row["case"].title,
                    "status": row["case"].status,
                    "owner": row["case"].owner.name,
                    "workstream": row["case"].workstream.name,
                },
                "subject": {
                    "role": row["subject"].role,
                    "full_name": row["subject"].full_name,
                    "date_of_birth": row["subject"].date_of_birth.isoformat()
                    if row["subject"].date_of_birth
                    else None,
                    "address": row["subject"].address,
                },
                "notes": [
                    {
                        "written_at": note.created_at.isoformat(),
                        "organisation": note.organisation.name,
                        "text": note.body,
                        "corrects": note.corrects_id,
                        "id": note.pk,
                    }
                    for note in row["notes"]
                ],
                "actions": [
                    {
                        "description": action.description,
                        "organisation": action.assigned_organisation.name,
                        "due": action.due_date.isoformat(),
                        "status": action.status,
                    }
                    for action in row["actions"]
                ],
            }
            for row in results
        ],
    }


@case_view
@require_http_methods(["GET", "POST"])
def subject_access(request, cr: CaseRequest):
    form = SubjectAccessForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        name = form.cleaned_data["name"]
        with transaction.atomic():
            audit(
                cr.viewer,
                "subject access export",
                justification=form.cleaned_data["justification"],
                path=_path(request),
            )
            results = services.subject_access(cr.viewer, name, scheme_ids=cr.scheme_ids)
        if request.POST.get("format") == "json":
            response = HttpResponse(
                json.dumps(_sar_json(name, results), indent=2), content_type="application/json; charset=utf-8"
            )
            response["Content-Disposition"] = 'attachment; filename="subject-access.json"'
            return response
        return render(
            request, "cases/subject_access_result.html", {"name": name, "results": results, "form": form}
        )
    return render(request, "cases/subject_access.html", {"form": form}, status=400 if form.errors else 200)
