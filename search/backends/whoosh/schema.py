"""How indexed models map onto Whoosh fields and documents.

Each concrete indexed model hierarchy (a model and the models inheriting from it, such as
Wagtail's ``Page`` and every page type) gets one Whoosh index, so a search over a parent model
also finds its children, as in every modelsearch backend. Field names carry a prefix saying
what they are for:

``t__<path>``  a ``SearchField`` (English stemming, positions for phrases); ``<path>`` follows
               ``RelatedFields`` with ``__``, e.g. ``t__authors__name``
``a__<path>``  an ``AutocompleteField``, indexed as word prefixes
``f__<name>``  a ``FilterField`` on the model itself, typed so that ranges and ordering work
``pk``/``pkn`` the primary key as text (unique key) and, when it is an integer, as a number
``ct``         the content types the document answers to (its own and its parents')
``nulls``      the names of filter fields whose value is empty, for ``isnull`` lookups

Filter fields inside ``RelatedFields`` are not copied into the index: the database answers
those lookups (see the query compiler), so they never go stale when the related object changes.
"""

import datetime
import decimal
import uuid
from dataclasses import dataclass, field
from functools import cache

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Manager
from django.utils import timezone
from django.utils.encoding import force_str
from modelsearch.backends.base import get_model_root
from modelsearch.index import AutocompleteField, FilterField, RelatedFields, SearchField, get_indexed_models
from whoosh import fields as wf

from .analysis import PrefixText, StemmedText

INT_TYPES = {
    "AutoField",
    "BigAutoField",
    "SmallAutoField",
    "IntegerField",
    "BigIntegerField",
    "SmallIntegerField",
    "PositiveIntegerField",
    "PositiveBigIntegerField",
    "PositiveSmallIntegerField",
}
KIND_BY_TYPE = {
    **dict.fromkeys(INT_TYPES, "int"),
    "BooleanField": "bool",
    "NullBooleanField": "bool",
    "FloatField": "float",
    "DecimalField": "float",
    "DateField": "date",
    "DateTimeField": "datetime",
    "TimeField": "time",
}
NUMERIC_KINDS = {"int", "bool", "date", "datetime", "time"}
_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)


def index_name(model) -> str:
    """The index a model's documents live in: its topmost concrete indexed ancestor."""
    root = get_model_root(model)
    return f"{root._meta.app_label}_{root._meta.model_name}"


def pk_is_integer(model) -> bool:
    pk = get_model_root(model)._meta.pk
    while isinstance(pk, models.ForeignKey | models.OneToOneField):
        pk = pk.target_field
    return pk.get_internal_type() in INT_TYPES


@dataclass(frozen=True)
class FilterSpec:
    """One ``FilterField`` of a model as the index stores it."""

    name: str
    kind: str  # int, bool, float, date, datetime, time or str
    multi: bool  # many values per object (many-to-many, reverse relations): facets only

    @property
    def index_field(self) -> str:
        return "f__" + self.name

    @property
    def sortable(self) -> bool:
        return not self.multi

    def whoosh_type(self):
        if self.multi:
            return wf.KEYWORD(lowercase=False, commas=False, scorable=False)
        if self.kind in NUMERIC_KINDS:
            return wf.NUMERIC(numtype=int, bits=64, signed=True, sortable=True)
        if self.kind == "float":
            return wf.NUMERIC(numtype=float, bits=64, sortable=True)
        return wf.ID(sortable=True)


def filter_spec(search_field: FilterField, model) -> FilterSpec:
    try:
        django_field = search_field.get_field(model)
        multi = bool(django_field.many_to_many or django_field.one_to_many)
    except FieldDoesNotExist:
        multi = False
    try:
        kind = KIND_BY_TYPE.get(search_field.get_type(model), "str")
    except (AttributeError, FieldDoesNotExist):
        kind = "str"
    return FilterSpec(search_field.field_name, kind, multi)


def encode(kind: str, value):
    """A Python value as the index stores it: numbers for anything ordered, text otherwise."""
    if isinstance(value, models.Model):
        value = value.pk
    if kind == "int":
        return int(value)
    if kind == "bool":
        return int(bool(value))
    if kind == "float":
        return float(value)
    if kind == "date":
        if isinstance(value, datetime.datetime):
            value = value.date()
        if isinstance(value, str):
            value = datetime.date.fromisoformat(value)
        return value.toordinal()
    if kind == "datetime":
        if isinstance(value, str):
            value = datetime.datetime.fromisoformat(value)
        if not isinstance(value, datetime.datetime):
            value = datetime.datetime.combine(value, datetime.time())
        if timezone.is_naive(value):
            value = timezone.make_aware(value, datetime.UTC)
        delta = value - _EPOCH
        return (delta.days * 86400 + delta.seconds) * 1_000_000 + delta.microseconds
    if kind == "time":
        if isinstance(value, str):
            value = datetime.time.fromisoformat(value)
        return ((value.hour * 60 + value.minute) * 60 + value.second) * 1_000_000 + value.microsecond
    if isinstance(value, uuid.UUID | decimal.Decimal):
        return str(value)
    return force_str(value)


def decode(kind: str, value):
    """The inverse of ``encode``, for facet values."""
    if kind == "int":
        return int(value)
    if kind == "bool":
        return bool(int(value))
    if kind == "float":
        return float(value)
    if kind == "date":
        return datetime.date.fromordinal(int(value))
    if kind == "datetime":
        return _EPOCH + datetime.timedelta(microseconds=int(value))
    if kind == "time":
        micro = int(value)
        seconds, micro = divmod(micro, 1_000_000)
        minutes, seconds = divmod(seconds, 60)
        return datetime.time(minutes // 60, minutes % 60, seconds, micro)
    return value


def multi_token(kind: str, value) -> str:
    """One value of a many-valued filter field as a single whitespace-free keyword."""
    return str(encode(kind, value)).replace("%", "%25").replace(" ", "%20")


def multi_untoken(kind: str, token: str):
    text = token.replace("%20", " ").replace("%25", "%")
    if kind in NUMERIC_KINDS or kind == "float":
        return decode(kind, float(text) if kind == "float" else int(text))
    return text


@dataclass
class ModelSpec:
    """Everything the index needs to know about one indexed model."""

    model: type
    content_types: list[str]
    text_boosts: dict[str, float] = field(default_factory=dict)  # t__ field -> boost
    autocomplete: list[str] = field(default_factory=list)  # a__ fields
    filters: dict[str, FilterSpec] = field(default_factory=dict)  # FilterField name -> spec

    @property
    def content_type(self) -> str:
        return self.content_types[-1]


def _walk(search_fields, prefix, spec: ModelSpec, model, top_level: bool):
    for search_field in search_fields:
        if isinstance(search_field, SearchField):
            name = "t__" + prefix + search_field.field_name
            boost = float(search_field.boost) if search_field.boost else 1.0
            spec.text_boosts[name] = max(boost, spec.text_boosts.get(name, 0.0))
        elif isinstance(search_field, AutocompleteField):
            name = "a__" + prefix + search_field.field_name
            if name not in spec.autocomplete:
                spec.autocomplete.append(name)
        elif isinstance(search_field, FilterField) and top_level:
            spec.filters[search_field.field_name] = filter_spec(search_field, model)
        elif isinstance(search_field, RelatedFields):
            try:
                related_model = search_field.get_field(model).related_model
            except FieldDoesNotExist:
                continue
            _walk(search_field.fields, prefix + search_field.field_name + "__", spec, related_model, False)


@cache
def model_spec(model) -> ModelSpec:
    content_types = []
    current = model
    while current is not None:
        content_types.insert(0, current.indexed_get_content_type())
        current = current.indexed_get_parent()
    spec = ModelSpec(model=model, content_types=content_types)
    _walk(model.get_search_fields(), "", spec, model, True)
    return spec


def family(model) -> list[type]:
    """The model and every indexed model inheriting from it: what a search over it may return."""
    return [m for m in get_indexed_models() if issubclass(m, model)]


@cache
def search_spec(model) -> ModelSpec:
    """The union of the specs of a model's family: the fields a search over the model uses."""
    merged = ModelSpec(model=model, content_types=model_spec(model).content_types)
    for member in [model] + [m for m in family(model) if m is not model]:
        spec = model_spec(member)
        for name, boost in spec.text_boosts.items():
            merged.text_boosts[name] = max(boost, merged.text_boosts.get(name, 0.0))
        for name in spec.autocomplete:
            if name not in merged.autocomplete:
                merged.autocomplete.append(name)
        for name, filter_ in spec.filters.items():
            merged.filters.setdefault(name, filter_)
    return merged


def whoosh_schema(root) -> wf.Schema:
    """The schema of a root model's index, covering every model stored in it."""
    schema = wf.Schema(
        pk=wf.ID(unique=True, sortable=True),
        ct=wf.KEYWORD(lowercase=False, commas=False, scorable=False),
        nulls=wf.KEYWORD(lowercase=False, commas=False, scorable=False),
    )
    if pk_is_integer(root):
        schema.add("pkn", wf.NUMERIC(numtype=int, bits=64, signed=True, sortable=True))
    for name, field_type in schema_fields(root).items():
        schema.add(name, field_type)
    return schema


@cache
def schema_fields(root) -> dict:
    """The model-specific fields of a root model's index, by name."""
    spec = search_spec(root)
    result = {}
    for name in spec.text_boosts:
        result[name] = StemmedText()
    for name in spec.autocomplete:
        result[name] = PrefixText()
    for filter_ in spec.filters.values():
        result[filter_.index_field] = filter_.whoosh_type()
    return result


def _prepare_text(value) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, list | tuple):
        return "\n".join(_prepare_text(item) for item in value)
    if isinstance(value, dict):
        return "\n".join(_prepare_text(item) for item in value.values())
    if value is None:
        return ""
    return force_str(value)


def _related_objects(related: RelatedFields, obj):
    value = related.get_value(obj)
    if value is None:
        return []
    if isinstance(value, Manager):
        return list(value.all())
    if callable(value):
        value = value()
    return [value]


def _collect_text(search_fields, obj, prefix, texts: dict[str, list[str]]):
    for search_field in search_fields:
        if isinstance(search_field, SearchField | AutocompleteField):
            kind = "t__" if isinstance(search_field, SearchField) else "a__"
            text = _prepare_text(search_field.get_value(obj))
            if text:
                texts.setdefault(kind + prefix + search_field.field_name, []).append(text)
        elif isinstance(search_field, RelatedFields):
            for sub_obj in _related_objects(search_field, obj):
                _collect_text(search_field.fields, sub_obj, prefix + search_field.field_name + "__", texts)


def _filter_value(search_field: FilterField, obj):
    value = search_field.get_value(obj)
    if isinstance(value, Manager):
        value = list(value.all())
    return value


def build_document(obj) -> dict:
    """The Whoosh document for one model instance."""
    model = type(obj)
    spec = model_spec(model)
    texts: dict[str, list[str]] = {}
    search_fields = model.get_search_fields()
    _collect_text(search_fields, obj, "", texts)
    doc = {name: "\n".join(values) for name, values in texts.items()}
    doc["pk"] = str(obj.pk)
    doc["ct"] = " ".join(spec.content_types)
    if "pkn" in whoosh_schema_names(get_model_root(model)):
        doc["pkn"] = int(obj.pk)
    nulls = []
    for search_field in search_fields:
        if not isinstance(search_field, FilterField):
            continue
        filter_ = spec.filters[search_field.field_name]
        value = _filter_value(search_field, obj)
        if filter_.multi:
            values = [v for v in (value or []) if v is not None]
            if values:
                doc[filter_.index_field] = " ".join(multi_token(filter_.kind, v) for v in values)
            else:
                nulls.append(filter_.name)
        elif value is None:
            nulls.append(filter_.name)
        else:
            try:
                doc[filter_.index_field] = encode(filter_.kind, value)
            except (TypeError, ValueError):
                nulls.append(filter_.name)
    if nulls:
        doc["nulls"] = " ".join(nulls)
    return doc


@cache
def whoosh_schema_names(root) -> frozenset:
    return frozenset(whoosh_schema(root).names())
