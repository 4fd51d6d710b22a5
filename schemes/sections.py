"""What other apps show on a scheme page, without this app importing them.

Documents (the scheme's MoU and other governance documents) and knowledge (the solutions it
contributed) point at ``SchemePage``; ``schemes`` imports neither (DESIGN.md, "Dependencies
point one way"). Each such app registers a *section* with the ``register_scheme_page_section``
Wagtail hook, as site-search sources register (``search.sources``)::

    @hooks.register("register_scheme_page_section")
    def governance_documents_section():
        return SchemeSection(key="documents", order=10, template="...", context=documents_for_scheme)

``context(request, scheme)`` answers the template's context, holding only what the request's
viewer may see (ask ``request.viewer``), or None to leave the section out. A scheme page is
shared per audience by the page caches (``cache_per_audience``), so a section must depend on
the viewer's audience only: never on who they are. Each section should run a constant number
of queries (one or two) whatever the data volume.
"""

from collections.abc import Callable
from dataclasses import dataclass

from wagtail import hooks

HOOK_NAME = "register_scheme_page_section"


@dataclass(frozen=True)
class SchemeSection:
    key: str
    template: str
    context: Callable
    order: int = 100


@dataclass(frozen=True)
class RenderedSection:
    key: str
    template: str
    context: dict


def get_sections() -> list[SchemeSection]:
    sections = [section for fn in hooks.get_hooks(HOOK_NAME) if (section := fn()) is not None]
    return sorted(sections, key=lambda section: (section.order, section.key))


def sections_for(request, scheme) -> list[RenderedSection]:
    if scheme.pk is None:
        return []  # a new page's preview: nothing points at it yet
    rendered = []
    for section in get_sections():
        context = section.context(request, scheme)
        if context is not None:
            rendered.append(RenderedSection(section.key, section.template, context))
    return rendered
