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


class Writer(models.Model):
    """Someone who wrote a :class:`Book` (the overhead harness's related model)."""

    name = models.CharField(max_length=255)
    born = models.DateField(null=True)

    class Meta:
        app_label = "searchbench"


class BookQuerySet(SearchableQuerySetMixin, models.QuerySet):
    pass


class Book(index.Indexed, models.Model):
    """The shape of modelsearch's own test model for ``bench/search_overhead.py``: a strongly
    boosted title, a boosted summary, writers' names through a many-to-many relation, and
    filterable dates and page counts."""

    title = models.CharField(max_length=255)
    summary = models.TextField(blank=True)
    writers = models.ManyToManyField(Writer, related_name="books")
    published = models.DateField()
    pages = models.IntegerField()

    search_fields = [
        index.SearchField("title", boost=10.0),
        index.SearchField("summary", boost=2.0),
        index.AutocompleteField("title"),
        index.FilterField("title"),
        index.FilterField("writers"),
        index.RelatedFields(
            "writers", [index.SearchField("name"), index.AutocompleteField("name"), index.FilterField("born")]
        ),
        index.FilterField("published"),
        index.FilterField("pages"),
    ]

    objects = BookQuerySet.as_manager()

    class Meta:
        app_label = "searchbench"

    @classmethod
    def get_indexed_objects(cls):
        return cls.objects.prefetch_related("writers")
