"""Case data is never in the Wagtail admin: this file only registers what retires the cached
MoU facts (cases.mou.current_for)."""

from wagtail import hooks


@hooks.register("register_cache_retiring_models")
def mou_signatories_retire_cached_facts():
    """Who signed an MoU decides who takes part in a scheme's case sharing."""
    from documents.models import GovernanceDocument

    return [GovernanceDocument.signatories]
