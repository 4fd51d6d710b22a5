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


def render_results(results) -> str:
    return Template("{% load search_tags %}{% search_result_items results %}").render(
        Context({"results": results})
    )


def test_each_result_shows_its_linked_title_kind_details_date_and_snippet():
    import datetime

    from django.utils.safestring import mark_safe

    from search.views import Result

    html = render_results(
        [
            Result(
                "Pan-Sussex MoU",
                "/library/12-pan-sussex-mou/",
                "Document",
                datetime.date(2025, 2, 1),
                mark_safe("the <mark>MoU</mark> &amp; its partners"),
                ("Memorandum of understanding", "Agreed", "2 earlier versions"),
            ),
            Result("Retention guidance", "/retention/", "Page", None, "", ()),
        ]
    )
    assert (
        '<h2 class="heading-s search-result__title"><a href="/library/12-pan-sussex-mou/">Pan-Sussex MoU</a></h2>'
        in html
    )
    assert (
        '<p class="search-result__meta"><span class="tag search-result__kind">Document</span>'
        ' <span class="search-result__detail">Memorandum of understanding</span>'
        ' <span class="search-result__detail">Agreed</span>'
        ' <span class="search-result__detail">2 earlier versions</span>'
        ' <time datetime="2025-02-01">1 February 2025</time></p>'
    ) in html
    assert '<p class="search-result__snippet">the <mark>MoU</mark> &amp; its partners</p>' in html
    assert html.count("<li") == 2 and html.count("<time") == 1 and html.count("search-result__snippet") == 1


def test_a_results_title_address_and_details_are_escaped():
    from search.views import Result

    html = render_results(
        [Result('<b>"x"</b>', '/a"onmouseover="y', "<i>Page</i>", None, "plain & <b>", ("<s>",))]
    )
    assert "&lt;b&gt;&quot;x&quot;&lt;/b&gt;" in html and 'href="/a&quot;onmouseover=&quot;y"' in html
    assert "&lt;i&gt;Page&lt;/i&gt;" in html and "&lt;s&gt;" in html and "plain &amp; &lt;b&gt;" in html
    assert "<b>" not in html and "<i>" not in html and "<s>" not in html
