"""Journey through the knowledge section: filter the index by a workstream with the plain GET
form (a full page load, no script involved), open a solution, follow its workstream tag to the
hub. Every page gets an axe audit (axe needs JavaScript, so the browser has it; the pages do
not use it)."""

import io
import re

import pytest


@pytest.fixture
def knowledge(site):
    from knowledge.demo import load_demo_knowledge

    load_demo_knowledge(stdout=io.StringIO())


def results(page):
    return page.locator(".knowledge-result__title").all_inner_texts()


def test_filter_by_workstream_open_a_solution_and_its_hub(page, knowledge, axe_check):
    page.goto("/knowledge/")
    axe_check(page)
    assert len(results(page)) >= 12

    workstreams = page.locator("fieldset").filter(has=page.locator("legend", has_text="Workstream"))
    workstreams.locator("summary").click()  # more than eight options: they start folded away
    workstreams.get_by_label(re.compile(r"^Restorative justice")).check()
    with page.expect_navigation():  # a real GET submission, not an in-page update
        page.get_by_role("button", name="Apply filters").click()
    assert re.search(r"/knowledge/\?workstream=restorative-justice&sort=newest$", page.url)
    axe_check(page)
    found = results(page)
    assert "Restorative justice referrals shared in days, not weeks" in found
    assert "Fly-tipping hotspots: shared evidence for prosecutions" not in found
    assert page.inner_text("#knowledge-count").startswith(f"{len(found)} solution")

    page.get_by_role("link", name="Restorative justice referrals shared in days, not weeks").click()
    page.wait_for_url(re.compile(r"/knowledge/restorative-justice-faster-information-sharing/$"))
    axe_check(page)
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Restorative justice referrals shared in days, not weeks"
    )
    assert "Evaluated locally" in page.inner_text("main")

    page.locator("main .knowledge-tags").get_by_role("link", name="Restorative justice").click()
    page.wait_for_url(re.compile(r"/workstreams/restorative-justice/$"))
    axe_check(page)
    assert page.get_by_role("heading", level=1).inner_text() == "Restorative justice"
    main = page.inner_text("main")
    assert "Restorative justice referrals shared in days, not weeks" in main
    assert "Thames Valley" in main  # a scheme running it, with its status

    page.goto("/workstreams/")
    axe_check(page)
