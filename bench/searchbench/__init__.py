"""A one-model Django app for ``bench/search.py``: synthetic items to search."""
