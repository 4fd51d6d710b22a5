"""Parsing a site-search query (search.query): stop words, questions, compound spellings and
the editors' abbreviations and synonyms, bounded whatever the input or the vocabulary."""

import time

import pytest
from django.core.exceptions import ValidationError
from modelsearch.query import And, Or, Phrase, PlainText

from search.models import SearchTerm
from search.query import MAX_ALTERNATIVES, MAX_CONCEPTS, Vocabulary, load_vocabulary, parse

ENTRIES = [
    ("ASB", "anti-social behaviour", True, False),
    ("MoU", "memorandum of understanding", True, False),
    ("IOM", "integrated offender management", True, False),
    ("fly-tipping", "illegal dumping", True, False),
    ("CAN", "community action network", True, True),
]
VOCABULARY = Vocabulary.build(ENTRIES, ["Fly-tipping", "Anti-social behaviour"])


def concepts(text, vocabulary=VOCABULARY):
    return [(c.text, c.alternatives) for c in parse(text, vocabulary).concepts]


def test_abbreviations_expand_and_say_so():
    parsed = parse("ASB", VOCABULARY)
    assert concepts("ASB") == [("ASB", ("asb", "anti social behaviour", "antisocial behaviour"))]
    assert parsed.expansions == (("ASB", "anti-social behaviour"),)
    # Any case but the ordinary words' entries.
    assert parse("mou", VOCABULARY).expansions == (("mou", "memorandum of understanding"),)


def test_two_way_entries_find_the_abbreviation_from_the_words():
    assert ("anti-social behaviour", ("anti social behaviour", "antisocial behaviour", "asb")) in concepts(
        "anti-social behaviour"
    )
    assert concepts("antisocial behaviour")[0][1][-1] == "asb"


def test_stop_words_and_question_words_are_not_required():
    parsed = parse("how do we share information with the council")
    assert [c.text for c in parsed.concepts] == ["share", "information", "council"]
    assert "how" in parsed.dropped
    # ...but kept in quotes, and searched for when they are all there is.
    parsed = parse('"terms of reference" for the group')
    assert parsed.concepts[0].phrase and parsed.concepts[0].text == "terms of reference"
    assert [c.text for c in parse("who we are").concepts] == ["who", "we", "are"]
    assert [c.text for c in parse("what's a community trigger").concepts] == ["community", "trigger"]
    assert [c.text for c in parse("how long are records kept").concepts] == ["records", "kept"]
    assert [c.text for c in parse("partners' MoU", VOCABULARY).concepts] == ["partners", "MoU"]


def test_all_but_one_word_is_bounded():
    three = parse("share information council")
    assert three.widens
    most = three.expression("most")
    assert isinstance(most, Or) and len(most.subqueries) == 3  # each word left out once
    assert all(isinstance(q, And) and len(q.subqueries) == 2 for q in most.subqueries)
    assert not parse("share information").widens  # "some words" already covers two
    seven = parse("one two three four five six seven")
    assert not seven.widens and repr(seven.expression("most")) == repr(seven.expression("and"))


@pytest.mark.parametrize("typed", ["fly-tipping", "fly tipping", "flytipping", "Fly-Tipping"])
def test_compound_spellings_are_the_same_concept(typed):
    (concept,) = parse(typed, VOCABULARY).concepts
    assert {"fly tipping", "flytipping", "illegal dumping"} <= set(concept.alternatives)


@pytest.mark.parametrize("typed", ["anti-social", "antisocial", "anti social"])
def test_prefixed_compounds_without_a_vocabulary(typed):
    (concept,) = parse(typed).concepts
    assert set(concept.alternatives) == {"anti social", "antisocial"}


def test_expression_is_plain_modelsearch_queries():
    expression = parse("ASB council", VOCABULARY).expression("and")
    assert isinstance(expression, And)
    first, second = expression.subqueries
    assert isinstance(first, Or) and all(isinstance(q, PlainText) for q in first.subqueries)
    assert isinstance(second, PlainText) and second.query_string == "council"
    assert isinstance(parse("ASB council", VOCABULARY).expression("or"), Or)
    assert isinstance(parse('"pan sussex"').expression(), Phrase)


# Bad vocabulary and bad input: bounded, no error -----------------------------------------------


def test_entries_that_loop_expand_one_step_only():
    looping = Vocabulary.build([("alpha", "beta", True, False), ("beta", "alpha", True, False)])
    (concept,) = parse("alpha", looping).concepts
    assert concept.alternatives == ("alpha", "beta")


def test_an_entry_with_hundreds_of_meanings_is_bounded():
    huge = Vocabulary.build([("ASB", "\n".join(f"meaning{i}" for i in range(500)), True, False)])
    (concept,) = parse("ASB", huge).concepts
    assert len(concept.alternatives) <= MAX_ALTERNATIVES
    many = Vocabulary.build([(f"T{i}", f"word{i}", True, False) for i in range(5_000)])
    started = time.perf_counter()
    parsed = parse(" ".join(f"T{i}" for i in range(200)), many)
    assert time.perf_counter() - started < 0.5
    assert len(parsed.concepts) <= MAX_CONCEPTS


def test_query_syntax_in_the_vocabulary_never_reaches_a_backend():
    nasty = Vocabulary.build([("ASB", 'title:"x" OR (y*)\nNOT z', True, False)])
    (concept,) = parse("ASB", nasty).concepts
    for alternative in concept.alternatives:
        assert all(ch.isalnum() or ch == " " for ch in alternative), alternative


def test_an_ordinary_word_expands_only_in_capitals():
    assert parse("CAN", VOCABULARY).expansions == (("CAN", "community action network"),)
    # "can" is a stop word here, not the abbreviation.
    assert parse("how can I share", VOCABULARY).expansions == ()
    assert [c.text for c in parse("how can I share", VOCABULARY).concepts] == ["share"]


def test_bad_input_is_harmless():
    for text in ['"', '""', "- - -", "'", "AND OR NOT", "x" * 500, "a-" * 100, "*:?", "title:x"]:
        parsed = parse(text, VOCABULARY)
        if parsed:
            parsed.expression("and")
        for concept in parsed.concepts:
            assert all(all(ch.isalnum() or ch == " " for ch in a) for a in concept.alternatives)


# The stored vocabulary --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_seeded_vocabulary_holds_the_fields_abbreviations():
    vocabulary = load_vocabulary()
    for term in "MoU ISA ISP ToR DPIA ASB IOM RJ CSP PCC CJB RSL SPOC MASH MARAC PPN CCTV".split():
        assert parse(term, vocabulary).expansions, term
    assert parse("rough sleeping", vocabulary).expansions == (("rough sleeping", "street homelessness"),)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fields", "error_field"),
    [
        ({"term": "ASB", "meanings": 'anti "social"'}, "meanings"),
        ({"term": "A(SB", "meanings": "anti-social behaviour"}, "term"),
        ({"term": "can", "meanings": "community action network"}, "match_case"),
        ({"term": "ASB", "meanings": "\n".join(f"m{i}" for i in range(20))}, "meanings"),
        ({"term": "ASB", "meanings": "asb"}, "meanings"),
        ({"term": "ASB", "meanings": ""}, "meanings"),
    ],
)
def test_editors_get_a_clear_message_for_bad_entries(fields, error_field):
    with pytest.raises(ValidationError) as raised:
        SearchTerm(**fields).full_clean()
    assert error_field in raised.value.message_dict


@pytest.mark.django_db
def test_a_good_entry_is_tidied():
    entry = SearchTerm(term=" LEAP ", meanings="local enterprise, area plan", match_case=True)
    entry.full_clean()
    assert entry.term == "LEAP" and entry.meanings == "local enterprise\narea plan"


@pytest.mark.django_db
def test_editors_keep_the_vocabulary_in_the_admin(client, make_user):
    from django.urls import reverse

    client.force_login(make_user("admin@sussex.police.uk", is_superuser=True, is_staff=True))
    listing = client.get(reverse("wagtailsnippets_search_searchterm:list"))
    assert listing.status_code == 200 and "MARAC" in listing.content.decode()
    add = reverse("wagtailsnippets_search_searchterm:add")
    response = client.post(add, {"term": "CAN", "meanings": "community action network"})
    assert response.status_code == 200 and "only when typed in capitals" in response.content.decode()
    assert not SearchTerm.objects.filter(term="CAN").exists()
    response = client.post(add, {"term": "CAN", "meanings": "community action network", "match_case": "on"})
    assert response.status_code == 302
    assert SearchTerm.objects.get(term="CAN").match_case
