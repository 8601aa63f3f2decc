from wagtail import blocks
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageBlock

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
    paragraph = blocks.RichTextBlock(
        features=["h2", "h3", "bold", "italic", "link", "ol", "ul", "code", "blockquote"]
    )
    image = ImageBlock()
    code = CodeBlock()
    embed = EmbedBlock(max_width=960)
    quote = QuoteBlock()
