"""The public participant service, end to end: docs/nginx/within.conf in front of two
``within serve --public`` processes on one PostgreSQL, driven over HTTPS in Chromium.

What it shows: TLS with a (here self-signed) certificate, pages and their kernels'
WebSockets through the proxy, each visitor kept on one process by the routing cookie while
visitors spread over both, kernels counted in the shared database, an access log with no
addresses, and a foreign name refused through the proxy too. Needs Debian's nginx
(scripts/test installs it) and ``WITHIN_TEST_POSTGRES_URL``.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import socket
import ssl
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import POSTGRES_URL_ENV
from support.network import is_static, record
from support.pages import start_served
from support.processes import (
    APP_RENDER_TIMEOUT_MS,
    CELL_ERROR_JS,
    RENDERED_JS,
    ROOT,
    server_env,
    stop,
)

pytestmark = [pytest.mark.browser, pytest.mark.timeout(900)]  # ten visitors on a busy machine

NAME = "within.test"
CONFIG = ROOT / "docs" / "nginx" / "within.conf"
VISITORS = 10  # each its own browser: all on one of two processes by chance is 1 in 512
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
_IPV4 = re.compile(r"\b\d{1,3}(?:\.\d{1,3}){3}\b")


@pytest.fixture(scope="module")
def postgres_url() -> Iterator[str]:
    """A fresh PostgreSQL database shared by both Within processes."""
    server = os.environ.get(POSTGRES_URL_ENV)
    if not server:
        reason = f"{POSTGRES_URL_ENV} is not set: scripts/test starts a throwaway PostgreSQL"
        if os.environ.get("CI"):
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)
    import psycopg
    from sqlalchemy import make_url

    name = f"t_public_proxy_{os.getpid()}"
    admin = make_url(server).set(drivername="postgresql")
    with psycopg.connect(admin.render_as_string(hide_password=False), autocommit=True) as db:
        db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        db.execute(f'CREATE DATABASE "{name}"')
    try:
        yield admin.set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(admin.render_as_string(hide_password=False), autocommit=True) as db:
            db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def backends(postgres_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[list]:
    """Two ``within serve --public`` processes on the same database."""
    with contextlib.ExitStack() as stack:
        apps = []
        for n in range(2):
            folder = tmp_path_factory.mktemp(f"public-{n}")
            env = server_env(folder)
            env["WITHIN_DATABASE_URL"] = postgres_url
            start = contextlib.contextmanager(start_served)
            args = ("--public", "--allowed-host", NAME)
            apps.append(stack.enter_context(start(folder, folder / "data", env, *args)))
        yield apps


def _nginx_config(folder: Path, https_port: int, http_port: int, backends: list) -> Path:
    """docs/nginx/within.conf with this test's ports, name, certificate and log, in a
    private nginx (no root paths, not a daemon)."""
    site = CONFIG.read_text(encoding="utf-8")
    ports = [b.base_url.rsplit(":", 1)[1] for b in backends]
    for old, new in [
        ("within.example.org", NAME),
        ("listen 443 ssl http2;", f"listen 127.0.0.1:{https_port} ssl http2;"),
        ("listen 80;", f"listen 127.0.0.1:{http_port};"),
        ("127.0.0.1:8866", f"127.0.0.1:{ports[0]}"),
        ("127.0.0.1:8867", f"127.0.0.1:{ports[1]}"),
        ("/etc/ssl/within/", f"{folder}/"),
        ("/var/log/nginx/", f"{folder}/"),
    ]:
        assert old in site, f"docs/nginx/within.conf no longer has {old!r}"
        site = site.replace(old, new)
    (folder / "within.conf").write_text(site, encoding="utf-8")
    main = folder / "nginx.conf"
    main.write_text(
        f"daemon off;\nworker_processes 1;\npid {folder}/nginx.pid;\n"
        f"error_log {folder}/nginx-error.log warn;\n"
        "events { worker_connections 256; }\n"
        "http {\n  include /etc/nginx/mime.types;\n"
        + "".join(f"  {kind}_temp_path {folder}/{kind};\n" for kind in ("client_body", "proxy"))
        + "".join(f"  {kind}_temp_path {folder}/{kind};\n" for kind in ("fastcgi", "uwsgi", "scgi"))
        + f"  include {folder}/within.conf;\n}}\n",
        encoding="utf-8",
    )
    return main


@pytest.fixture(scope="module")
def proxy(backends: list, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    """nginx with docs/nginx/within.conf and a self-signed certificate for within.test."""
    assert Path(NGINX).exists(), "nginx is missing: scripts/test installs Debian's nginx-light"
    folder = tmp_path_factory.mktemp("nginx")
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
         "-subj", f"/CN={NAME}", "-addext", f"subjectAltName=DNS:{NAME}",
         "-keyout", str(folder / "privkey.pem"), "-out", str(folder / "fullchain.pem")],
        check=True, capture_output=True,
    )  # fmt: skip
    https_port, http_port = _ephemeral_port(), _ephemeral_port()
    config = _nginx_config(folder, https_port, http_port, backends)
    process = subprocess.Popen(
        [NGINX, "-e", str(folder / "nginx-start.log"), "-p", str(folder), "-c", str(config)],
        stdout=subprocess.DEVNULL,
        stderr=(folder / "nginx-stderr.log").open("wb"),
        start_new_session=True,
    )
    try:
        _wait_for_port(https_port, process, folder)
        yield {
            "url": f"https://{NAME}:{https_port}",
            "port": https_port,
            "log": folder / "within-access.log",
        }
    finally:
        stop(process)


def _ephemeral_port() -> int:
    """A port the system says is free now (two calls give two ports)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for_port(port: int, process: subprocess.Popen, folder: Path, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            logs = "\n".join(p.read_text(errors="replace") for p in folder.glob("nginx-*.log"))
            pytest.fail(f"nginx exited ({process.returncode}):\n{logs}", pytrace=False)
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    pytest.fail(f"nginx did not listen on {port} within {timeout} s", pytrace=False)


@pytest.fixture(scope="module")
def proxied_browser(browser, proxy):
    """Chromium resolving within.test to this machine, as public DNS would."""
    chromium = browser.browser_type.launch(
        executable_path=os.environ.get("WITHIN_CHROMIUM") or "/usr/bin/chromium",
        headless=True,
        args=[f"--host-resolver-rules=MAP {NAME} 127.0.0.1", "--no-proxy-server"],
    )
    yield chromium
    chromium.close()


def _open(context, url: str) -> tuple[object, float]:
    """Open ``url`` and wait until its widgets are live; (page, seconds to interactive)."""
    page = context.new_page()
    started = time.monotonic()
    response = page.goto(url, wait_until="commit", timeout=APP_RENDER_TIMEOUT_MS)
    assert response is not None and response.status == 200, f"{url}: {response}"
    page.wait_for_function(RENDERED_JS, timeout=APP_RENDER_TIMEOUT_MS, polling=100)
    elapsed = time.monotonic() - started
    assert not page.evaluate(CELL_ERROR_JS), f"{url}: a cell failed"
    return page, elapsed


def _kernel_processes(postgres_url: str) -> dict[str, int]:
    from sqlalchemy import create_engine, text

    engine = create_engine(postgres_url.replace("postgresql://", "postgresql+psycopg://", 1))
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                text("SELECT process, count(*) FROM kernel_slots GROUP BY process")
            )
            return {process: count for process, count in rows}
    finally:
        engine.dispose()


def test_visitors_get_live_pages_over_https_spread_over_two_processes(
    proxied_browser, proxy, backends, postgres_url
) -> None:
    home = "/voila/render/home.ipynb?lang=en"
    contexts, proxied, routes = [], [], set()
    try:
        for _ in range(VISITORS):
            context = proxied_browser.new_context(ignore_https_errors=True)
            contexts.append(context)
            _page, seconds = _open(context, proxy["url"] + home)  # the WebSocket went through
            proxied.append(seconds)
            cookie = {c["name"]: c for c in context.cookies()}["within_route"]
            assert cookie["secure"] and cookie["httpOnly"]
            routes.add(cookie["value"])
            if len(contexts) == 1:  # a second page: its request and WebSocket meet too
                _open(context, proxy["url"] + "/voila/render/welcome.ipynb?lang=en")
        assert len(routes) == VISITORS
        counted = _kernel_processes(postgres_url)
        assert len(counted) == 2, f"all visitors reached one process: {counted}"
        assert sum(counted.values()) >= VISITORS + 1  # every open page's kernel is counted

        direct_context = proxied_browser.new_context()
        contexts.append(direct_context)
        direct = [_open(direct_context, backends[0].base_url + home)[1] for _ in range(3)]
    finally:
        for context in contexts:
            context.close()

    log = proxy["log"].read_text(encoding="utf-8")
    lines = log.splitlines()
    assert any("/voila/render/home.ipynb" in line and " 200 " in line for line in lines)
    assert any("/channels" in line and " 101 " in line for line in lines)  # WebSockets
    assert not _IPV4.search(log) and "::1" not in log and "lang=" not in log, log[:2000]
    pages = sum("/voila/render/" in line and " 200 " in line for line in lines)
    print(
        f"[figures] {pages} pages served through the proxy over 2 processes; time to "
        f"interactive through it median {sorted(proxied)[len(proxied) // 2]:.2f} s "
        f"(direct, same page: {sorted(direct)[1]:.2f} s)"
    )


def test_files_come_compressed_and_cached_forever_through_the_proxy(proxied_browser, proxy) -> None:
    """Issue 20 through nginx: HTTP/2, Within's gzip and immutable Cache-Control passed on,
    no routing cookie on the files, and a reload that asks for no file at all."""
    from widgets.server.assets import CACHE_FOREVER

    context = proxied_browser.new_context(ignore_https_errors=True)
    try:
        page = context.new_page()
        first = record(page)
        _open_page(page, proxy["url"] + "/voila/render/home.ipynb?lang=en")
        first.wait_until_answered(page)
        files = [rid for rid in first.network() if is_static(first.urls[rid])]
        assert files and all("/voila/assets/" in first.urls[rid] for rid in files)
        for rid in files:
            headers, url = first.headers[rid], first.urls[rid]
            assert headers.get("cache-control") == CACHE_FOREVER, url
            assert "within_route" not in headers.get("set-cookie", ""), url
            if url.split("?")[0].endswith((".js", ".css")):
                assert headers.get("content-encoding") == "gzip", url
        assert {first.protocols[rid] for rid in files} == {"h2"}

        again = record(page)
        page.reload(wait_until="commit", timeout=APP_RENDER_TIMEOUT_MS)
        page.wait_for_function(RENDERED_JS, timeout=APP_RENDER_TIMEOUT_MS, polling=100)
        again.wait_until_answered(page)
        asked = [again.urls[rid] for rid in again.network()]
        assert not [url for url in asked if is_static(url)], asked
        assert len(asked) <= 5, asked
        print(
            f"[figures] through the proxy: first visit {len(first.network())} requests, "
            f"{first.total_bytes()} bytes; reload {len(asked)} requests"
        )
    finally:
        context.close()


def _open_page(page, url: str) -> None:
    response = page.goto(url, wait_until="commit", timeout=APP_RENDER_TIMEOUT_MS)
    assert response is not None and response.status == 200, f"{url}: {response}"
    page.wait_for_function(RENDERED_JS, timeout=APP_RENDER_TIMEOUT_MS, polling=100)


def test_a_foreign_name_is_refused_through_the_proxy(proxy) -> None:
    insecure = ssl.create_default_context()
    insecure.check_hostname, insecure.verify_mode = False, ssl.CERT_NONE
    request = urllib.request.Request(
        f"https://127.0.0.1:{proxy['port']}/voila/render/home.ipynb",
        headers={"Host": "evil.example"},
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, context=insecure, timeout=10)
    assert refused.value.code == 403
