"""Production serves its own CSS and scripts: collected, hashed, cached, behind a WSGI server.

These tests run the platform as production runs it (``U4SSC_DEBUG=0``, ``collectstatic``,
gunicorn) in a child process with a data folder of its own, and fetch over HTTP.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

BIN = Path(sys.executable).parent


def _production_env(data_dir: Path) -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("U4SSC_")}
    clean.pop("DATABASE_URL", None)  # SQLite in the test's own folder, never a shared database
    return {
        **clean,
        "U4SSC_DEBUG": "0",
        "U4SSC_SECRET_KEY": "test-only-not-a-secret-" + "0123456789" * 3,
        "U4SSC_ALLOWED_HOSTS": "127.0.0.1",
        "U4SSC_DATA_DIR": str(data_dir),
    }


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str, **headers: str) -> Any:
    request = urllib.request.Request(url, headers=headers)
    try:
        return urllib.request.urlopen(request, timeout=10)
    except urllib.error.HTTPError as exc:
        return exc


@pytest.fixture(scope="module")
def production_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    data_dir = tmp_path_factory.mktemp("production")
    env = _production_env(data_dir)
    collected = subprocess.run(
        [str(BIN / "u4ssc"), "manage", "collectstatic", "--noinput", "-v", "0"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert collected.returncode == 0, collected.stderr
    port = _free_port()
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "u4ssc.web.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(base + "/healthz", timeout=2)
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    server.kill()
                    output = server.stdout.read() if server.stdout else ""
                    pytest.fail(f"gunicorn did not start:\n{output}")
                time.sleep(0.2)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("path", "content_type", "starts"),
    [
        ("/static/u4ssc/site.css", "text/css", b""),
        ("/static/vendor/htmx/htmx.min.js", "text/javascript", b""),
        ("/static/u4ssc/favicon.svg", "image/svg+xml", b"<svg"),
    ],
)
def test_production_serves_css_htmx_and_favicon(production_server, path, content_type, starts):
    # when the page's assets are fetched by their plain names
    response = _get(production_server + path)
    # then they are served, with their type and a short cache life (the name does not change)
    assert response.status == 200
    assert response.headers["Content-Type"].startswith(content_type)
    assert "max-age=" in response.headers["Cache-Control"]
    assert response.read().startswith(starts)


@pytest.mark.slow
def test_pages_name_hashed_assets_that_are_cached_for_good(production_server):
    # given the home page in production
    home = _get(production_server + "/")
    assert home.status == 200
    html = home.read().decode()
    # then it names its CSS, htmx and icon by content-hashed names
    css = re.search(r'href="(/static/u4ssc/site\.[0-9a-f]{12}\.css)"', html)
    htmx = re.search(r'src="(/static/vendor/htmx/htmx\.min\.[0-9a-f]{12}\.js)"', html)
    icon = re.search(r'href="(/static/u4ssc/favicon\.[0-9a-f]{12}\.svg)"', html)
    assert css and htmx and icon, html[:2000]
    # which are served compressed and may be kept by browsers for good
    for url, content_type in [(css[1], "text/css"), (htmx[1], "text/javascript")]:
        response = _get(production_server + url, **{"Accept-Encoding": "gzip"})
        assert response.status == 200
        assert response.headers["Content-Type"].startswith(content_type)
        assert "immutable" in response.headers["Cache-Control"]
        assert response.headers["Content-Encoding"] == "gzip"


@pytest.mark.slow
def test_the_admin_and_api_docs_get_their_static_files(production_server):
    admin_css = _get(production_server + "/static/admin/css/base.css")
    assert admin_css.status == 200 and admin_css.headers["Content-Type"].startswith("text/css")
    docs = _get(production_server + "/api/docs").read().decode()
    script = re.search(r'<script src="([^"]+\.js)"', docs)
    assert script and script[1] == "/assets/redoc.js"
    bundle = _get(production_server + script[1])
    assert bundle.status == 200
    text = bundle.read().decode()
    assert "Redoc" in text and "cdn.redoc.ly" not in text
    assert "sourceMappingURL=redoc.standalone.js.map" not in text
    icon = re.search(r'<link rel="icon" href="(/static/[^"]+)"', docs)
    assert icon and _get(production_server + icon[1]).status == 200


def test_production_refuses_to_serve_before_collectstatic(tmp_path):
    # given a production configuration whose static files were never collected
    result = subprocess.run(
        [sys.executable, "-c", "import u4ssc.web.wsgi"],
        env=_production_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=60,
    )
    # then the WSGI application refuses to load, and says what to run
    assert result.returncode != 0
    assert "collectstatic" in result.stderr


def test_embedded_mode_serves_static_files_from_the_packages(client):
    # given the embedded mode (the tests' settings): no collectstatic has run
    response = client.get("/static/u4ssc/site.css")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/css")
    assert client.get("/static/vendor/htmx/htmx.min.js").status_code == 200
    assert client.get("/static/u4ssc/no-such-file.css").status_code == 404
