"""The components that wrap a body of the page's own markup: `{% table %}` (templates/components/table.html).

An `{% include %}` cannot take a body, and an admin list's cells are each page's own (links, badges, buttons):
the tag renders the component around them, so the frame, the caption and the column headers are written once.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import template
from django.template.base import FilterExpression, NodeList, Parser, Token
from django.template.context import Context
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@dataclass(frozen=True)
class Column:
    label: str
    number: bool  # right-aligned figures
    hidden: bool  # a header for screen readers only (a column of links)


class TableNode(template.Node):
    def __init__(
        self, headers: list[FilterExpression], options: dict[str, FilterExpression], body: NodeList, foot: NodeList
    ) -> None:
        self.headers, self.options, self.body, self.foot = headers, options, body, foot

    def render(self, context: Context) -> SafeString:
        options = {name: value.resolve(context) for name, value in self.options.items()}
        numbers, hidden = _positions(options.pop("numbers", "")), _positions(options.pop("hidden", ""))
        columns = [
            Column(label=header.resolve(context), number=index in numbers, hidden=index in hidden)
            for index, header in enumerate(self.headers, start=1)
        ]
        values = {
            **options,
            "columns": columns,
            "body": mark_safe(self.body.render(context)),  # noqa: S308 - the page's own rendered markup
            # Blank when the page's footer rows are conditional and absent: no empty <tfoot>.
            "foot": mark_safe(self.foot.render(context).strip()),  # noqa: S308 - the page's own rendered markup
        }
        # As `{% include %}` does: the component from the page's own engine, in the page's context.
        component = context.template.engine.get_template("components/table.html")  # type: ignore[union-attr]
        with context.push(values):
            return component.render(context)


def _positions(text: object) -> set[int]:
    """ "2 3 4" -> {2, 3, 4}: the columns, counted from 1, an option applies to."""
    return {int(part) for part in str(text).split()}


@register.tag("table")
def table(parser: Parser, token: Token) -> TableNode:
    """`{% table _("Nom") _("Profil") caption=... caption_id="x" [hide_caption=True] [numbers="2 3"] [hidden="4"] %}`
    rows of the body `{% foot %}` rows of the footer `{% endtable %}` (the footer is optional)."""
    headers: list[FilterExpression] = []
    options: dict[str, FilterExpression] = {}
    for bit in token.split_contents()[1:]:
        option = template.base.token_kwargs([bit], parser)
        if option:
            options.update(option)
        elif options:
            raise template.TemplateSyntaxError("{% table %}: the column headers come before the options")
        else:
            headers.append(parser.compile_filter(bit))
    if "caption" not in options or "caption_id" not in options:
        raise template.TemplateSyntaxError("{% table %} needs a caption and its caption_id (it names the table)")
    body = parser.parse(("foot", "endtable"))
    foot = NodeList()
    if parser.next_token().contents == "foot":
        foot = parser.parse(("endtable",))
        parser.delete_first_token()
    return TableNode(headers, options, body, foot)
