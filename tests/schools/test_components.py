"""The table component: a named, scrollable frame whose column headers the component writes, around the page's rows."""

from __future__ import annotations

import pytest
from django.template import TemplateSyntaxError, engines


def render(source: str, **context: object) -> str:
    return engines["django"].from_string("{% load components %}" + source).render(context)


def test_the_table_is_named_by_its_caption_and_scrolls_in_its_own_focusable_frame() -> None:
    html = render(
        '{% table "Nom" "Élèves" "Liens" caption=caption caption_id="x-caption" numbers="2" hidden="3" %}'
        '{% for name in names %}<tr><th scope="row">{{ name }}</th><td>1</td><td>-</td></tr>{% endfor %}{% endtable %}',
        caption="Les classes",
        names=["6e A", "<b>"],
    )
    assert '<div class="table-wrap" role="region" aria-labelledby="x-caption" tabindex="0">' in html
    assert '<caption id="x-caption">Les classes</caption>' in html
    assert '<th scope="col">Nom</th>' in html
    assert '<th scope="col" class="number">Élèves</th>' in html
    assert '<th scope="col"><span class="visually-hidden">Liens</span></th>' in html
    assert '<th scope="row">&lt;b&gt;</th>' in html  # the page's rows keep their escaping
    assert "<tfoot>" not in html and "style=" not in html and "<script" not in html


def test_a_footer_appears_only_with_rows_and_a_caption_may_be_for_screen_readers() -> None:
    source = (
        '{% table "Profil" caption="Comptes" caption_id="c" hide_caption=True %}<tr><td>1</td></tr>'
        "{% foot %}{% if total %}<tr><td>{{ total }}</td></tr>{% endif %}{% endtable %}"
    )
    assert '<caption id="c" class="visually-hidden">' in render(source, total=0)
    assert "<tfoot>" not in render(source, total=0)
    assert "<tfoot><tr><td>7</td></tr></tfoot>" in render(source, total=7)


@pytest.mark.parametrize(
    "tag",
    ['{% table "Nom" caption="Sans identifiant" %}', '{% table caption="C" caption_id="c" "Nom" %}'],
)
def test_a_table_without_a_name_or_with_headers_after_the_options_is_refused(tag: str) -> None:
    with pytest.raises(TemplateSyntaxError):
        render(tag + "{% endtable %}")
