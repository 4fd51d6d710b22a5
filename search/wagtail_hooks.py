"""Registers the pages source of the site search (see ``sources.py``)."""

from wagtail import hooks

from .sources import HOOK_NAME, PageSource


@hooks.register(HOOK_NAME, order=-10)
def pages_search_source():
    return PageSource()
