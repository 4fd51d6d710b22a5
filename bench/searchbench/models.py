from django.db import models
from modelsearch import index
from modelsearch.queryset import SearchableQuerySetMixin


class ItemQuerySet(SearchableQuerySetMixin, models.QuerySet):
    pass


class Item(index.Indexed, models.Model):
    """A piece of content as the site search sees it: a title, ~300 words and a workstream."""

    title = models.CharField(max_length=255)
    body = models.TextField()
    workstream = models.CharField(max_length=64, db_index=True)

    search_fields = [
        index.SearchField("title", boost=2),
        index.SearchField("body"),
        index.AutocompleteField("title"),
        index.FilterField("workstream"),
    ]

    objects = ItemQuerySet.as_manager()

    class Meta:
        app_label = "searchbench"
