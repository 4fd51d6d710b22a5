"""The blocks editors build a solution's or a guide's body from."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.contrib.typed_table_block.blocks import TypedTableBlock
from wagtail.documents.blocks import DocumentChooserBlock

RICH_TEXT_FEATURES = ["bold", "italic", "link", "ol", "ul"]


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("heading"), max_length=200)
    level = blocks.ChoiceBlock(
        choices=[("h2", _("Section heading")), ("h3", _("Sub-heading"))], default="h2", label=_("level")
    )

    class Meta:
        icon = "title"
        template = "knowledge/blocks/heading.html"
        label = _("Heading")


class CalloutBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(
        choices=[("info", _("Information")), ("warning", _("Warning")), ("tip", _("Tip"))],
        default="info",
        label=_("kind"),
    )
    heading = blocks.CharBlock(label=_("heading"), max_length=200, required=False)
    text = blocks.RichTextBlock(label=_("text"), features=RICH_TEXT_FEATURES)

    class Meta:
        icon = "warning"
        template = "knowledge/blocks/callout.html"
        label = _("Call-out")


class DocumentLinkBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("governance document"))
    description = blocks.CharBlock(label=_("why it is useful"), max_length=300, required=False)

    class Meta:
        icon = "doc-full"
        template = "knowledge/blocks/document_link.html"
        label = _("Document link")


class StepBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("step"), max_length=200)
    text = blocks.RichTextBlock(label=_("details"), features=RICH_TEXT_FEATURES, required=False)


class StepListBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("heading"), max_length=200, required=False)
    steps = blocks.ListBlock(StepBlock(), label=_("steps"))

    class Meta:
        icon = "list-ol"
        template = "knowledge/blocks/step_list.html"
        label = _("Step list")


class ContactBlock(blocks.StructBlock):
    """A point of contact, by role first (MoUs ask for roles, not personal names)."""

    role = blocks.CharBlock(label=_("role"), max_length=200)
    name = blocks.CharBlock(label=_("name"), max_length=200, required=False)
    organisation = blocks.CharBlock(label=_("organisation"), max_length=200, required=False)
    email = blocks.EmailBlock(label=_("e-mail address"), required=False)
    telephone = blocks.CharBlock(label=_("telephone"), max_length=40, required=False)

    class Meta:
        icon = "user"
        template = "knowledge/blocks/contact.html"
        label = _("Contact")


def table_block():
    return TypedTableBlock(
        [
            ("text", blocks.CharBlock(label=_("Text"))),
            ("number", blocks.DecimalBlock(label=_("Number"))),
            ("rich_text", blocks.RichTextBlock(label=_("Rich text"), features=["bold", "italic", "link"])),
        ],
        icon="table",
        template="knowledge/blocks/table.html",
        label=_("Table"),
    )


class BodyBlock(blocks.StreamBlock):
    paragraph = blocks.RichTextBlock(label=_("Paragraph"), features=["h3", *RICH_TEXT_FEATURES])
    heading = HeadingBlock()
    table = table_block()
    callout = CalloutBlock()
    document = DocumentLinkBlock()
    steps = StepListBlock()
    contact = ContactBlock()


class ContactsBlock(blocks.StreamBlock):
    contact = ContactBlock()
