"""The JSON feed over HTTP, fetched from a local server started in the test (nothing else is contacted)."""

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import translation

from digisnap.learning.importers import FeedError, fetch_feed
from digisnap.learning.models import CatalogueImport, Training
from digisnap.learning.services import (
    catalogue_import_create,
    catalogue_import_feed_request,
    catalogue_import_retry,
    catalogue_import_run,
)
from tests.catalogue_helpers import course, json_file, jsonld_file, training

pytestmark = pytest.mark.usefixtures("framework")


class FeedServer:
    """Answers every GET with what the test set: a status, a body, a delay, extra headers."""

    def __init__(self):
        self.status, self.body, self.delay, self.headers = 200, b"", 0.0, {}
        self.send_length = True
        self.trickle_from: int | None = None  # the byte from which on the answer trickles
        self.requests: list[dict[str, str]] = []
        feed = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                feed.requests.append(dict(self.headers))
                if feed.trickle_from is not None:
                    self.trickle()
                    return
                time.sleep(feed.delay)
                self.send_response(feed.status)
                self.send_header("Content-Type", "application/json")
                if feed.send_length:
                    self.send_header("Content-Length", str(len(feed.body)))
                for name, value in feed.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(feed.body)

            def trickle(self):
                """One byte every 0.2 s: each single wait is short, the whole takes minutes."""
                head = f"HTTP/1.0 200 OK\r\nContent-Length: {len(feed.body)}\r\n\r\n"
                answer = head.encode() + feed.body
                self.wfile.write(answer[: feed.trickle_from])
                try:
                    for byte in answer[feed.trickle_from :]:
                        self.wfile.write(bytes([byte]))
                        self.wfile.flush()
                        time.sleep(0.2)
                except OSError:  # the importer gave up and closed the connection
                    pass

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/feed.json"
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def serve(self, body: bytes, status: int = 200, delay: float = 0.0, **headers):
        self.body, self.status, self.delay, self.headers = body, status, delay, headers


@pytest.fixture
def feed(settings):
    server = FeedServer()
    server.thread.start()
    settings.TRAINING_FEED_URL = server.url
    settings.TRAINING_FEED_SOURCE = "KlasCement"
    settings.TRAINING_FEED_TIMEOUT_SECONDS = 5
    yield server
    server.server.shutdown()
    server.server.server_close()


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def run_feed() -> CatalogueImport:
    """Fetch the configured feed synchronously, as `import_catalogue --feed` does."""
    catalogue_import = catalogue_import_create(
        kind="feed", origin=settings.TRAINING_FEED_URL, source=settings.TRAINING_FEED_SOURCE
    )
    return catalogue_import_run(catalogue_import=catalogue_import)


def test_the_feed_is_fetched_and_imported_under_the_configured_source(feed):
    feed.serve(json_file([training(1), training(2)], source=None))
    done = run_feed()
    assert (done.status, done.added, done.kind, done.source) == ("done", 2, "feed", "KlasCement")
    assert feed.requests[0]["User-Agent"] == "Digisnap catalogue import"
    assert Training.objects.filter(source="KlasCement").count() == 2


def test_a_feed_in_jsonld_is_recognised(feed):
    feed.serve(jsonld_file([course(1), course(2)]))
    done = run_feed()
    assert (done.status, done.added, done.kind) == ("done", 2, "feed"), done.errors


def test_fetching_an_unchanged_feed_again_changes_nothing_and_a_dropped_row_is_deactivated(feed):
    feed.serve(json_file([training(1), training(2)], source="KlasCement"))
    run_feed()
    assert (run_feed().unchanged, Training.objects.filter(state="active").count()) == (2, 2)
    feed.serve(json_file([training(1)], source="KlasCement"))
    assert run_feed().deactivated == 1


def test_the_command_fetches_the_feed(feed, capsys):
    feed.serve(json_file([training(1)], source=None))
    call_command("import_catalogue", "--feed")
    assert capsys.readouterr().out.strip() == (
        "added=1 updated=0 unchanged=0 deactivated=0 refused=0"
    )


def test_a_server_error_marks_the_import_failed_with_the_reason(feed):
    feed.serve(b"oops", status=500)
    failed = run_feed()
    assert (failed.status, failed.added) == ("failed", 0)
    assert "HTTP 500" in failed.error
    assert not Training.objects.exists()


def test_a_feed_that_does_not_answer_in_time_fails_with_the_reason(feed, settings):
    settings.TRAINING_FEED_TIMEOUT_SECONDS = 0.3
    feed.serve(json_file([training()]), delay=1.0)
    failed = run_feed()
    assert failed.status == "failed"
    assert "within the time limit of 0.3 s" in failed.error


@pytest.mark.parametrize("trickle_from", [0, 40], ids=["headers", "body"])
def test_a_feed_that_trickles_in_fails_at_the_limit_for_the_whole_transfer(
    feed, settings, trickle_from
):
    settings.TRAINING_FEED_TIMEOUT_SECONDS = 1
    feed.serve(json_file([training()]))  # about 400 bytes: 80 seconds at this pace
    feed.trickle_from = trickle_from
    started = time.monotonic()
    failed = run_feed()
    assert time.monotonic() - started < 15  # a guard; the limit itself is 1 s
    assert failed.status == "failed"
    assert failed.error == (
        "The feed did not arrive within the time limit of 1 s (TRAINING_FEED_TIMEOUT_SECONDS)."
    )
    assert not Training.objects.exists()


def test_a_feed_larger_than_the_limit_fails_with_the_reason(feed, settings):
    settings.TRAINING_FEED_MAX_BYTES = 1024
    feed.serve(json_file([training(n) for n in range(50)]))
    failed = run_feed()
    assert failed.status == "failed"
    assert "larger than 1024 bytes" in failed.error


def test_the_size_limit_holds_when_the_server_hides_the_length(feed):
    feed.serve(b"[" + b" " * 5000 + b"]")
    feed.send_length = False
    with pytest.raises(FeedError, match="larger than 1000 bytes"):
        fetch_feed(feed.url, timeout=5, max_bytes=1000)


def test_an_unreachable_feed_fails_with_the_reason(settings):
    import socket

    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    settings.TRAINING_FEED_URL = f"http://127.0.0.1:{port}/feed.json"
    failed = run_feed()
    assert failed.status == "failed"
    assert "cannot be reached" in failed.error


def test_only_web_addresses_are_fetched_even_after_a_redirect(feed):
    with pytest.raises(FeedError, match="http:// or https://"):
        fetch_feed("file:///etc/passwd", timeout=1, max_bytes=1000)
    feed.serve(b"", status=302, Location="file:///etc/passwd")
    with pytest.raises(FeedError):
        fetch_feed(feed.url, timeout=1, max_bytes=1000)


def test_a_refused_feed_changes_nothing_and_lists_the_rows(feed):
    feed.serve(json_file([training(1), training(2, url="ftp://x")], source=None))
    refused = run_feed()
    assert (refused.status, refused.refused) == ("refused", 1)
    assert [(error["row"], error["field"]) for error in refused.errors] == [(2, "url")]
    assert not Training.objects.exists()


def test_a_failed_fetch_can_be_tried_again_once_the_feed_is_back(
    feed, django_capture_on_commit_callbacks
):
    feed.serve(b"", status=503)
    with django_capture_on_commit_callbacks(execute=True):
        first = catalogue_import_feed_request(started_by=None)
    first.refresh_from_db()
    assert first.status == "failed"
    feed.serve(json_file([training(1)], source=None))
    with django_capture_on_commit_callbacks(execute=True):
        second = catalogue_import_retry(catalogue_import=first)
    second.refresh_from_db()
    assert (second.pk, second.status, second.added, second.attempts) == (first.pk, "done", 1, 2)


def test_a_tls_handshake_that_trickles_in_is_cut_at_the_limit_too():
    """A server that answers the TLS hello with a record announced as 16 KiB, one byte at a time."""
    import socket

    listener = socket.create_server(("127.0.0.1", 0))

    def trickle():
        connection, _address = listener.accept()
        with connection:
            connection.recv(4096)  # the client's hello
            try:
                for byte in b"\x16\x03\x03\x40\x00" + b"\x00" * 16384:
                    connection.sendall(bytes([byte]))
                    time.sleep(0.2)
            except OSError:  # the importer gave up and closed the connection
                pass

    server = threading.Thread(target=trickle, daemon=True)
    server.start()
    started = time.monotonic()
    with pytest.raises(FeedError, match="time limit of 1 s"):
        fetch_feed(
            f"https://127.0.0.1:{listener.getsockname()[1]}/feed.json", timeout=1, max_bytes=1000
        )
    assert time.monotonic() - started < 15  # a guard; the limit itself is 1 s
    server.join(timeout=5)
    listener.close()
