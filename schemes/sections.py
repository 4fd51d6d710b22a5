"""What other apps show on a scheme page, without this app importing them.

Documents (the scheme's MoU and other governance documents) and knowledge (the solutions it
contributed) point at ``SchemePage``; ``schemes`` imports neither (DESIGN.md, "Dependencies
point one way"). Each such app registers a *section* with the ``register_scheme_page_section``
Wagtail hook, as site-search sources register (``search.sources``)::

    @hooks.register("register_scheme_page_section")
    def governance_documents_section():
        return SchemeSection(key="documents", order=10, template="...", context=documents_for_scheme)

``context(visibility, scheme)`` answers the template's context, holding only what that
``serving.visibility.Visibility`` may see, or None to leave the section out. It is given the
visibility, not the request: sections are kept per content version and visibility and shared
by everyone who may see the same things (``schemes.selectors.scheme_body``), so they
cannot depend on who is asking. Each section should run a constant number of queries (one or
two) whatever the data volume.
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


def sections_for(visibility, scheme) -> list[RenderedSection]:
    if scheme.pk is None:
        return []  # a new page's preview: nothing points at it yet
    rendered = []
    for section in get_sections():
        context = section.context(visibility, scheme)
        if context is not None:
            rendered.append(RenderedSection(section.key, section.template, context))
    return rendered
