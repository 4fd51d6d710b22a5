"""Tests that need real commits (several connections at once). They empty the database
afterwards, so scripts/test.sh runs this folder last, alone, after every other test."""
