"""Snippets of the site search (``search.text.snippet``): what is marked, what is escaped."""

from search.text import SNIPPET_MAX_HITS, snippet


def test_whole_words_and_their_inflections_are_marked_and_nothing_else():
    text = "Partners agreed an information-sharing agreement; the agreements bind every partnerships-board."
    html = snippet(text, "agreement partner")
    assert "<mark>agreement</mark>" in html and "<mark>agreements</mark>" in html and "agreed" in html
    assert "<mark>Partners</mark>" in html and "<mark>partnerships</mark>" not in html  # 5 letters more
    assert "<mark>agreed" not in html and "<mark>information" not in html


def test_short_words_match_exactly_or_as_plurals():
    html = snippet("An MoU, two MoUs, and a mouse.", "mou")
    assert html.count("<mark>") == 2 and "mouse" in html


def test_markup_in_the_text_and_the_query_is_escaped():
    html = snippet('<script>alert("x")</script> hate crime <img src=x onerror=alert(1)>', "<b>hate</b>")
    assert "<script>" not in html and "<img" not in html and "&lt;script&gt;" in html
    assert "<mark>hate</mark>" in html and "<b>" not in html


def test_the_window_starts_a_little_before_the_densest_matches_with_ellipses():
    filler = " ".join(f"word{i}" for i in range(200))
    html = snippet(f"{filler} hate crime hate crime {filler}", "hate crime")
    assert html.startswith("… word196 word197 word198 word199 <mark>hate</mark>")
    assert html.endswith(" …") and html.count("<mark>") == 4


def test_a_long_text_with_many_matches_stays_bounded():
    text = " ".join(["sharing information"] * 5_000) + " " + " ".join(["hate crime"] * 50)
    html = snippet(text, "sharing")
    assert 0 < html.count("<mark>sharing</mark>") <= SNIPPET_MAX_HITS
    assert snippet("", "x") == "" and snippet("!!! ???", "x") == "!!! ???"


def test_whitespace_is_shown_as_single_spaces_inside_and_around_matches():
    text = "\n  Retention of\trecords:\n\n  the partners   agree & keep\u00a0them.  \n"
    assert (
        snippet(text, "partners") == "Retention of records: the <mark>partners</mark> agree &amp; keep them."
    )
    assert snippet(" \n ", "x") == "" and snippet("\n!!!\n\n???\t", "x") == "!!! ???"
