"""The single-machine file cache (config.cache.FileCache): Django's, checking the folder's size
once every ``CULL_EVERY`` writes of a process instead of on every write."""

from config.cache import FileCache


def make(tmp_path, max_entries):
    cache = FileCache(str(tmp_path), {"OPTIONS": {"MAX_ENTRIES": max_entries, "CULL_FREQUENCY": 2}})
    cache.CULL_EVERY = 10
    return cache


def files(tmp_path):
    return len(list(tmp_path.glob("*.djcache")))


def test_values_are_kept_and_read_back(tmp_path):
    cache = make(tmp_path, 1000)
    cache.set("a", {"b": 1})
    assert cache.get("a") == {"b": 1}
    assert cache.add("a", 2) is False
    assert cache.get("a") == {"b": 1}


def test_the_folder_is_listed_once_every_so_many_writes_and_stays_bounded(tmp_path, monkeypatch):
    cache = make(tmp_path, 20)
    listings = []
    original = FileCache._list_cache_files
    monkeypatch.setattr(FileCache, "_list_cache_files", lambda self: listings.append(1) or original(self))
    for i in range(100):
        cache.set(f"key-{i}", i)
        # Never more than MAX_ENTRIES plus the writes between two checks.
        assert files(tmp_path) <= 20 + cache.CULL_EVERY
    assert len(listings) <= 100 // cache.CULL_EVERY + 10  # Django lists it again to cull
    assert cache.get("key-99") == 99
