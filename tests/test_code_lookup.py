"""A typed code is found through the functional Lower(code) index, in any case."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from digisnap.schools.selectors import digisnap_by_code
from digisnap.schools.services import digisnap_create

CODE = "Digisnap_K3m7Pq"


@pytest.fixture
def known(institution):
    return digisnap_create(institution=institution, name="Bekende code", code=CODE)


@pytest.mark.parametrize("typed", [CODE, CODE.lower(), CODE.upper(), "k3M7pQ"])
def test_a_code_is_found_whatever_its_case(known, typed):
    assert digisnap_by_code(typed) == known


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the plan of a functional index is PostgreSQL's; SQLite does not report it the same way",
)
def test_the_lookup_uses_the_lower_code_index(known):
    with CaptureQueriesContext(connection) as captured:
        assert digisnap_by_code(CODE.upper()) == known
    (query,) = captured.captured_queries
    with connection.cursor() as cursor:
        # With a handful of rows a sequential scan is cheaper; forbid it to see whether the
        # index can serve the query at all (an UPPER(code) comparison cannot use it).
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {query['sql']}")
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "digisnap_code_unique_any_case" in plan, plan
