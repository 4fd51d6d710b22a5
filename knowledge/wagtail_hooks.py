"""Admin integration: the review-due panel on the dashboard."""

from wagtail import hooks
from wagtail.admin.ui.components import Component

from .reviews import can_see_review_dashboard, due_by_owner


class ReviewsDuePanel(Component):
    name = "knowledge_reviews_due"
    template_name = "knowledge/admin/review_panel.html"
    order = 250

    def get_context_data(self, parent_context):
        return {"groups": due_by_owner()}


@hooks.register("construct_homepage_panels")
def add_reviews_due_panel(request, panels):
    if can_see_review_dashboard(request.user):
        panels.append(ReviewsDuePanel())


@hooks.register("register_scheme_page_section")
def solutions_scheme_section():
    """The solutions a scheme contributed, on its page (``schemes.sections``)."""
    from schemes.sections import SchemeSection

    from .selectors import scheme_solutions

    return SchemeSection(
        key="solutions",
        order=20,
        template="knowledge/includes/scheme_solutions.html",
        context=scheme_solutions,
    )


@hooks.register("solution_draft_from_discussion")
def solutions_from_discussions():
    """How another app (the forum) starts a draft solution from a resolved discussion without
    naming a knowledge model: the service itself, plain data in (``services.py``)."""
    from .services import solution_draft_from_discussion as make_draft

    return make_draft
