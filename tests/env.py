"""Loaded as a pytest plugin (`-p tests.env`) before Django starts: development defaults for tests."""

import os

os.environ.setdefault("DEBUG", "true")
# The live server answers in short-lived threads; persistent connections would outlive them and
# keep PostgreSQL from dropping the test database at the end.
os.environ.setdefault("CONN_MAX_AGE", "0")
