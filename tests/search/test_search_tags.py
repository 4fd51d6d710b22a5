"""The facet checkboxes the results page shows (``search.templatetags.search_tags``)."""

from django.template import Context, Template

from search.facets import Facet, FacetValue


def render(facet) -> str:
    return Template("{% load search_tags %}{% facet_choices facet %}").render(Context({"facet": facet}))


def test_each_value_is_a_labelled_checkbox_with_its_count_in_words_for_screen_readers():
    html = render(
        Facet(
            "workstream",
            "Workstream",
            [
                FacetValue("asb", "Anti-social behaviour", 3, False),
                FacetValue("hate-crime", "Hate crime", 1, True),
            ],
        )
    )
    assert '<input type="checkbox" id="f-workstream-1" name="workstream" value="asb">' in html
    assert '<label for="f-workstream-1">Anti-social behaviour <span class="search-facet__count">(3' in html
    assert '<span class="visually-hidden"> results</span>)' in html
    assert 'id="f-workstream-2" name="workstream" value="hate-crime" checked>' in html
    assert '<span class="visually-hidden"> result</span>)' in html


def test_labels_and_values_are_escaped():
    html = render(
        Facet("organisation", "Organisation", [FacetValue('x" onclick="y', "<b>Council</b> & co", 2, False)])
    )
    assert 'value="x&quot; onclick=&quot;y"' in html
    assert "&lt;b&gt;Council&lt;/b&gt; &amp; co" in html
    assert "<b>" not in html
