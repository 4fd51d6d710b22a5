"""Serving infrastructure: who is asking (the viewer), page caches, routing and site lookup.

Beside ``search/``: any content app may use it; it imports from no content app.
"""
