from wagtail import blocks
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageBlock

from proctique.richtext import clean_rich_text

LANGUAGES = [
    ("text", "Plain text"),
    ("python", "Python"),
    ("javascript", "JavaScript"),
    ("typescript", "TypeScript"),
    ("bash", "Shell"),
    ("html", "HTML"),
    ("css", "CSS"),
    ("sql", "SQL"),
    ("go", "Go"),
    ("rust", "Rust"),
]
PARAGRAPH_FEATURES = ["h2", "h3", "bold", "italic", "link", "ol", "ul", "code", "blockquote"]


class CleanRichTextBlock(blocks.RichTextBlock):
    """Rich text stored with exactly its features, whichever route set it (admin, API, code)."""

    def get_prep_value(self, value):
        return clean_rich_text(super().get_prep_value(value), self.features)


class CodeBlock(blocks.StructBlock):
    language = blocks.ChoiceBlock(choices=LANGUAGES, default="text")
    code = blocks.TextBlock()

    class Meta:
        icon = "code"
        template = "showcase/blocks/code_block.html"


class QuoteBlock(blocks.StructBlock):
    quote = blocks.TextBlock()
    attribution = blocks.CharBlock(required=False, max_length=120)

    class Meta:
        icon = "openquote"
        template = "showcase/blocks/quote_block.html"


class DescriptionBlock(blocks.StreamBlock):
    paragraph = CleanRichTextBlock(features=PARAGRAPH_FEATURES)
    image = ImageBlock()
    code = CodeBlock()
    embed = EmbedBlock(max_width=960)
    quote = QuoteBlock()
