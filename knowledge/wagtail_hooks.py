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
