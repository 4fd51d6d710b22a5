"""Entries kept per process and in the shared cache (``serving.version``)."""

from django.core.cache import cache

from serving.version import SharedWhenAskedAgain, VersionedMemo


def test_an_entry_built_once_stays_in_the_process_and_is_shared_when_asked_for_again():
    made = []

    def build():
        made.append(1)
        return ("results", len(made))

    first = SharedWhenAskedAgain(size=8)
    assert first.get_or_set("search:1:a", build, 60) == ("results", 1)
    assert cache.get("search:1:a") is None  # asked for once: not written to the shared cache
    assert first.get_or_set("search:1:a", build, 60) == ("results", 1)  # from this process
    assert cache.get("search:1:a") == ("results", 1)  # asked again: shared from now on
    other = SharedWhenAskedAgain(size=8)  # another app server
    assert other.get_or_set("search:1:a", build, 60) == ("results", 1)
    assert len(made) == 1
    # Another process builds an entry nobody shared yet once more, as its own.
    assert other.get_or_set("search:1:b", build, 60) == ("results", 2)
    assert first.get_or_set("search:1:b", build, 60) == ("results", 3)
    assert cache.get("search:1:b") is None


def test_an_entry_not_built_is_neither_kept_nor_shared():
    memo = SharedWhenAskedAgain(size=8)
    assert memo.get_or_set("search:1:c", lambda: None, 60) is None
    assert memo.get_or_set("search:1:c", lambda: None, 60) is None
    assert "search:1:c" not in memo.entries and cache.get("search:1:c") is None


def test_a_full_memo_starts_afresh_and_forgets_what_it_had_not_shared():
    memo = SharedWhenAskedAgain(size=2)
    for key in ("k1", "k2", "k3"):  # the third clears the first two
        memo.get_or_set(key, lambda: "value", 60)
    assert set(memo.entries) == {"k3"} and memo.unshared == {"k3"}
    memo.get_or_set("k3", lambda: "other", 60)
    assert cache.get("k3") == "value" and not memo.unshared


def test_the_plain_memo_shares_every_entry_it_builds():
    memo = VersionedMemo(size=8)
    memo.get_or_set("page:1:x", lambda: "page", 60)
    assert cache.get("page:1:x") == "page"
