import secrets

from django import forms
from django.utils.translation import gettext_lazy as _

from schemes.models import Workstream

from .models import TopicKind
from .services import MAX_POST_LENGTH, MAX_TITLE_LENGTH


def new_form_token() -> str:
    return secrets.token_urlsafe(24)


class MessageField(forms.CharField):
    """Length is checked by forum.services with a clearer message; the browser is told too."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Message"))
        kwargs.setdefault(
            "help_text",
            _(
                "Markdown: **bold**, _italic_, > quotation, - lists, [link](https://…). Mention a member of the group with @first.last."
            ),
        )
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 8, "maxlength": MAX_POST_LENGTH}))
        kwargs.setdefault("strip", False)
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)


class TopicForm(forms.Form):
    title = forms.CharField(
        label=_("Title"), max_length=MAX_TITLE_LENGTH * 2, required=False,
        widget=forms.TextInput(attrs={"maxlength": MAX_TITLE_LENGTH}),
    )  # fmt: skip
    kind = forms.ChoiceField(label=_("Kind of topic"), choices=TopicKind.choices, initial=TopicKind.QUESTION)
    workstreams = forms.ModelMultipleChoiceField(
        label=_("Workstreams"),
        queryset=Workstream.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    body = MessageField()
    form_token = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)


class ReplyForm(forms.Form):
    body = MessageField(label=_("Your reply"))
    form_token = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)


class EditForm(forms.Form):
    body = MessageField()


class FlagForm(forms.Form):
    reason = forms.CharField(
        label=_("What is wrong with this post?"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
