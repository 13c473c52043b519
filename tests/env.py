"""Loaded as a pytest plugin (`-p tests.env`) before Django starts: development defaults for tests."""

import os

os.environ.setdefault("DEBUG", "true")
