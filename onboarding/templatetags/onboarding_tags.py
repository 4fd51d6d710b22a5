from django import template

register = template.Library()


@register.inclusion_tag("onboarding/includes/scheme_progress.html", takes_context=True)
def scheme_onboarding_progress(context, scheme):
    """A scheme's progress along the onboarding route: ``{% scheme_onboarding_progress page %}``.

    The same for everyone of one audience (scheme pages are cached per audience): who ticked a
    step is shown to approved members only, and the forms to tick live on the pathway page.
    """
    from serving.viewer import viewer_for
    from serving.visibility import kept

    from ..selectors import scheme_progress

    request = context.get("request")
    if request is None or scheme is None:
        return {"progress": None}
    # The same for everyone who may see the same pages: kept per content version (every tick
    # retires it) and visibility.
    pathway, progress = kept(
        request, "scheme-onboarding", scheme.pk, lambda visibility: scheme_progress(visibility, scheme)
    )
    return {
        "pathway": pathway,
        "pathway_url": pathway.url if pathway else "",
        "progress": progress,
        "show_names": viewer_for(request).is_approved,
    }
