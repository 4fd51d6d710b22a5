"""Business rules of the onboarding route: ticking steps, and deciding start-a-scheme requests."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from schemes.models import Organisation, OrganisationEmailDomain

from .models import OnboardingProgress, RequestStatus, StartSchemeRequest
from .selectors import owners_of_domain
from .tasks import send_scheme_request_decision, send_scheme_request_notification


class SchemeRequestError(Exception):
    """A request cannot be decided as asked; the message is for the person deciding."""


def progress_tick(*, scheme, step_key: str, user) -> tuple[OnboardingProgress, bool]:
    """Mark a step done for a scheme. Ticking a done step again changes nothing (the first
    tick's person and time are kept)."""
    try:
        with transaction.atomic():
            return OnboardingProgress.objects.get_or_create(
                scheme=scheme, step_key=step_key, defaults={"done_by": user, "done_at": timezone.now()}
            )
    except IntegrityError:  # ticked by someone else at the same moment
        return OnboardingProgress.objects.get(scheme=scheme, step_key=step_key), False


def progress_untick(*, scheme, step_key: str) -> bool:
    """Mark a step not done again; whether anything changed."""
    deleted, _rows = OnboardingProgress.objects.filter(scheme=scheme, step_key=step_key).delete()
    return bool(deleted)


def scheme_request_submit(**fields) -> StartSchemeRequest:
    """Save a (validated) request and tell the national administrators after commit."""
    with transaction.atomic():
        scheme_request = StartSchemeRequest.objects.create(**fields)
        transaction.on_commit(lambda: send_scheme_request_notification.enqueue(request_id=scheme_request.pk))
    return scheme_request


def _lock_pending(request_id: int) -> StartSchemeRequest:
    scheme_request = StartSchemeRequest.objects.select_for_update().get(pk=request_id)
    if scheme_request.status != RequestStatus.PENDING:
        raise SchemeRequestError(
            _("This request has already been %(status)s: nothing was changed.")
            % {"status": scheme_request.get_status_display().lower()}
        )
    return scheme_request


def scheme_request_accept(*, request_id: int, decided_by) -> Organisation:
    """Create the organisation and its e-mail domain, mark the request accepted and e-mail the
    requester the sign-up link: all or nothing."""
    with transaction.atomic():
        scheme_request = _lock_pending(request_id)
        domain = scheme_request.email_domain.lower()
        owners = owners_of_domain(domain)
        if owners:
            raise SchemeRequestError(
                _("The e-mail domain %(domain)s already belongs to %(owners)s: nothing was changed.")
                % {"domain": domain, "owners": ", ".join(o.name for o in owners)}
            )
        if Organisation.objects.filter(name__iexact=scheme_request.organisation_name).exists():
            raise SchemeRequestError(
                _("An organisation called %(name)s already exists: nothing was changed.")
                % {"name": scheme_request.organisation_name}
            )
        organisation = Organisation.objects.create(
            name=scheme_request.organisation_name, kind=scheme_request.kind, region=scheme_request.region
        )
        OrganisationEmailDomain.objects.create(organisation=organisation, domain=domain)
        scheme_request.status = RequestStatus.ACCEPTED
        scheme_request.organisation = organisation
        scheme_request.decided_at = timezone.now()
        scheme_request.decided_by = decided_by
        scheme_request.save(update_fields=["status", "organisation", "decided_at", "decided_by"])
        transaction.on_commit(lambda: send_scheme_request_decision.enqueue(request_id=request_id))
    return organisation


def scheme_request_decline(*, request_id: int, decided_by, reason: str) -> StartSchemeRequest:
    reason = (reason or "").strip()
    if not reason:
        raise SchemeRequestError(_("Give a reason for declining: the requester is told it."))
    with transaction.atomic():
        scheme_request = _lock_pending(request_id)
        scheme_request.status = RequestStatus.DECLINED
        scheme_request.decline_reason = reason
        scheme_request.decided_at = timezone.now()
        scheme_request.decided_by = decided_by
        scheme_request.save(update_fields=["status", "decline_reason", "decided_at", "decided_by"])
        transaction.on_commit(lambda: send_scheme_request_decision.enqueue(request_id=request_id))
    return scheme_request
