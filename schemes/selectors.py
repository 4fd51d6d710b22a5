"""Read paths over the taxonomy."""

from .models import Organisation


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
