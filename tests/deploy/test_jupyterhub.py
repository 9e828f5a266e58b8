"""A shared server for many centres: a real JupyterHub serving Within through Voilà.

JupyterHub from PyPI, configurable-http-proxy from npm (``tests/js``) and the ``simple``
local-process spawner run on 127.0.0.1, with ``docs/jupyterhub/jupyterhub_config.py``
unchanged; only what differs on a test machine comes from the command line (ports, proxy,
spawner, a shared password, two allowed accounts). Each account's home folder gets
``binder/jupyter_server_config.py`` as ``~/.jupyter/jupyter_server_config.py``, as
binder/postBuild does. The one central database is the ``database_url`` fixture's
(SQLite, then PostgreSQL when ``WITHIN_TEST_POSTGRES_URL`` is set).

Two centres log in through the hub's form in Chromium and land on Within's home page (its
template, title and Content-Security-Policy through the proxy); each answers the self-check,
and both questionnaires are in the one database; leaving and closing the pages ends their
kernels, as each server's API (through the hub) shows. The hub, the proxy, the single-user servers
and their kernels are stopped at the end; on failure the hub's and the proxy's logs are shown.

Slow (two single-user servers start, about a minute): marked ``slow``.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect
from support.pages import kernel_id
from support.processes import CELL_ERROR_JS, RENDERED_JS, ROOT, descendants, stop, tail

from widgets.core.content import text
from widgets.core.instrument import instrument
from widgets.server import voila_config
from widgets.store import Store

pytestmark = [pytest.mark.slow, pytest.mark.timeout(600)]

HUB_CONFIG = ROOT / "docs" / "jupyterhub" / "jupyterhub_config.py"
SERVER_CONFIG = ROOT / "binder" / "jupyter_server_config.py"
PROXY = ROOT / "tests" / "js" / "node_modules" / ".bin" / "configurable-http-proxy"
JUPYTERHUB = Path(sys.executable).with_name("jupyterhub")

CENTRES = ("centre-north", "centre-south")
HUB_START_TIMEOUT_S = 60
SPAWN_TIMEOUT_MS = 120_000  # log in, start a single-user server, render the home page
RENDER_TIMEOUT_MS = 60_000
KERNEL_END_TIMEOUT_S = 20

SCALE = instrument("thai-internalised-stigma")
LANG = "en"


def t(key: str, **fields: Any) -> str:
    return text(LANG, key, **fields)


# --- the hub ---------------------------------------------------------------------------------


@dataclass
class Hub:
    """A running JupyterHub: ``url`` is the proxy's public address, without a trailing slash."""

    url: str
    process: subprocess.Popen[bytes]
    log_path: Path
    proxy_log_path: Path
    groups: set[int] = field(default_factory=set)

    def remember(self) -> None:
        """Note the process groups of the hub's children (the proxy, servers, kernels)."""
        for pid in descendants(self.process.pid):
            try:
                self.groups.add(os.getpgid(pid))
            except ProcessLookupError:
                pass

    def logs(self) -> str:
        return (
            f"JupyterHub log ({self.log_path}, with the single-user servers):\n"
            f"{tail(self.log_path)}\n"
            f"configurable-http-proxy log ({self.proxy_log_path}):\n{tail(self.proxy_log_path, 30)}"
        )

    def stop(self) -> None:
        """SIGTERM the hub (it stops its servers and proxy), then kill every group it started."""
        self.remember()
        stop(self.process)
        own = os.getpgid(0)
        for group in self.groups - {own}:
            try:
                os.killpg(group, signal.SIGKILL)
            except ProcessLookupError:
                pass


def _free_ports(count: int) -> list[int]:
    """``count`` different free ports on 127.0.0.1 (held open together while choosing)."""
    probes = []
    try:
        for _ in range(count):
            probe = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            probe.bind(("127.0.0.1", 0))
            probes.append(probe)
        return [probe.getsockname()[1] for probe in probes]
    finally:
        for probe in probes:
            probe.close()


def _hub_env(database_url: str | None) -> dict[str, str]:
    """The hub's environment: this venv first on PATH, the checkout importable, no stray
    Jupyter or Within settings of the developer's."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("WITHIN_", "JUPYTER", "JPY_", "IPYTHON", "CONFIGPROXY"))
    }
    env.update(
        BROWSER="true",
        PATH=os.pathsep.join([str(JUPYTERHUB.parent), env.get("PATH", "")]),
        PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
        PYTHONUNBUFFERED="1",
    )
    if database_url:
        env["WITHIN_DATABASE_URL"] = database_url
    return env


def _hub_command(folder: Path, password: str) -> tuple[list[str], str]:
    """``jupyterhub -f docs/jupyterhub/jupyterhub_config.py`` with this machine's settings."""
    port, hub_port, api_port = _free_ports(3)
    # The proxy writes to a log of its own: a wrapper keeps its pid (exec) for the hub.
    proxy = folder / "proxy.sh"
    proxy.write_text(f'#!/bin/sh\nexec "{PROXY}" "$@" >>"{folder / "proxy.log"}" 2>&1\n')
    proxy.chmod(0o755)
    command = [
        str(JUPYTERHUB),
        "-f", str(HUB_CONFIG),
        f"--JupyterHub.bind_url=http://127.0.0.1:{port}",
        f"--JupyterHub.hub_bind_url=http://127.0.0.1:{hub_port}",
        f"--ConfigurableHTTPProxy.api_url=http://127.0.0.1:{api_port}",
        f"--ConfigurableHTTPProxy.command={proxy}",
        "--JupyterHub.spawner_class=simple",
        "--LocalProcessSpawner.interrupt_timeout=2",  # jupyter server ignores SIGINT without a tty
        f"--SimpleLocalProcessSpawner.home_dir_template={folder / 'home'}/{{username}}",
        "--JupyterHub.authenticator_class=shared-password",  # the dummy's successor (5.3)
        f"--SharedPasswordAuthenticator.user_password={password}",
        *(f"--Authenticator.allowed_users={name}" for name in CENTRES),
    ]  # fmt: skip
    if os.geteuid() == 0:  # a CI container: jupyter server refuses root without this
        command.append("--Spawner.args=--allow-root")
    return command, f"http://127.0.0.1:{port}"


@pytest.fixture
def hub_password() -> str:
    return secrets.token_urlsafe(12)


@pytest.fixture
def hub(
    database_url: str, hub_password: str, tmp_path: Path, request: pytest.FixtureRequest
) -> Iterator[Hub]:
    """A JupyterHub on free ports, its database and cookie secret in a temporary folder.

    Stopped with everything it started at the end; when the test failed, the tails of the
    hub's and the proxy's logs are printed (shown under "Captured stdout teardown").
    """
    if not PROXY.exists():
        pytest.fail(f"{PROXY} is missing: run `npm ci --prefix tests/js`", pytrace=False)
    folder = tmp_path / "hub"
    for name in CENTRES:  # what binder/postBuild does, in each account's home
        config_dir = folder / "home" / name / ".jupyter"
        config_dir.mkdir(parents=True)
        shutil.copy(SERVER_CONFIG, config_dir / "jupyter_server_config.py")
    command, url = _hub_command(folder, hub_password)
    env = _hub_env(database_url)
    if database_url.startswith("postgresql"):  # each centre connects as its own role
        command.append(f"--JupyterHub.load_groups={json.dumps(GROUPS)}")
        env["WITHIN_CENTRE_DATABASE_URL"] = _centre_roles(database_url)
    log_path = folder / "jupyterhub.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            command, cwd=folder, env=env, stdin=subprocess.DEVNULL,
            stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    running = Hub(url, process, log_path, folder / "proxy.log")
    try:
        problem = _wait_for_hub(running)
        if problem:
            pytest.fail(f"JupyterHub {problem}.\n{running.logs()}", pytrace=False)
        yield running
    finally:
        running.stop()
        report = getattr(request.node, "rep_call", None)
        if report is not None and report.failed:
            print(running.logs())


#: Each account in its centre's hub group (PostgreSQL: the group picks the database role).
GROUPS = {name: {"users": [name]} for name in CENTRES}


def _role_suffix(database: str) -> str:
    """A short tag of this test's database for its roles' names (roles are server-wide)."""
    return hashlib.sha256(database.encode()).hexdigest()[:10]


def _centre_roles(database_url: str) -> str:
    """Migrate the database, make a login role per centre (not a superuser, no BYPASSRLS) as
    docs/deploy.md says, and return the hub's WITHIN_CENTRE_DATABASE_URL template."""
    import psycopg
    from sqlalchemy import make_url

    Store(database_url).migrate()
    url = make_url(database_url)
    suffix = _role_suffix(url.database)
    with psycopg.connect(
        url.set(drivername="postgresql").render_as_string(hide_password=False), autocommit=True
    ) as db:
        for name in CENTRES:
            role = f"{name.removeprefix('centre-')}_{suffix}"
            db.execute(f'DROP ROLE IF EXISTS "{role}"')
            db.execute(f'CREATE ROLE "{role}" LOGIN NOSUPERUSER NOBYPASSRLS')
            db.execute(
                f'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO "{role}"'
            )
            db.execute(f'GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO "{role}"')
    template = url.set(drivername="postgresql", username=f"{{centre}}_{suffix}", password=None)
    return template.render_as_string(hide_password=False).replace("%7B", "{").replace("%7D", "}")


def _wait_for_hub(hub: Hub) -> str | None:
    """None once the hub's API answers through the proxy, else what went wrong."""
    deadline = time.monotonic() + HUB_START_TIMEOUT_S
    last = "no answer yet"
    while time.monotonic() < deadline:
        if hub.process.poll() is not None:
            return f"exited with code {hub.process.returncode}"
        try:
            with urllib.request.urlopen(f"{hub.url}/hub/api/", timeout=5) as response:
                if "version" in json.loads(response.read()):
                    hub.remember()
                    return None
        except urllib.error.HTTPError as error:
            last = f"HTTP {error.code}"
        except (urllib.error.URLError, OSError, ValueError) as error:
            last = str(getattr(error, "reason", error))
        time.sleep(0.3)
    return f"did not answer at {hub.url}/hub/api/ within {HUB_START_TIMEOUT_S} s (last: {last})"


# --- a centre in the browser ---------------------------------------------------------------


def _wait_rendered(page: Any, hub: Hub) -> None:
    """Wait until Voilà has rendered the page, widgets included, with no cell failing."""
    try:
        page.wait_for_function(RENDERED_JS, timeout=RENDER_TIMEOUT_MS, polling=100)
    except PlaywrightError as error:
        raise AssertionError(f"{page.url} did not finish rendering ({error})") from None
    errors = page.evaluate(CELL_ERROR_JS)
    assert not errors, f"{page.url}: a cell failed:\n" + "\n".join(errors)
    hub.remember()


def _log_in(page: Any, hub: Hub, name: str, password: str) -> Any:
    """Log in through the hub's form; return the response of the home page it lands on."""
    home = re.compile(rf"/user/{name}/voila/render/home\.ipynb")
    page.goto(f"{hub.url}/hub/login", wait_until="domcontentloaded")
    page.locator("#username_input").fill(name)
    page.locator("#password_input").fill(password)
    # The spawn page waits for the server; then OAuth with the hub (302s), then the page.
    with page.expect_response(
        lambda r: bool(home.search(r.url)) and r.status != 302, timeout=SPAWN_TIMEOUT_MS
    ) as info:
        page.locator("#login_submit").click()
    response = info.value
    assert response.status == 200, f"{response.url} answered {response.status}"
    page.wait_for_url(home, wait_until="commit", timeout=RENDER_TIMEOUT_MS)
    _wait_rendered(page, hub)
    return response


def _answer_self_check(page: Any, hub: Hub, answers: list[int]) -> str:
    """Open the self-check from the home page, answer every item; return the person's code."""
    page.get_by_role("link", name=t("apps.self-check.title")).click()
    page.wait_for_url(re.compile(r"/voila/render/self-check\.ipynb"), wait_until="commit")
    _wait_rendered(page, hub)
    page.get_by_role("button", name=t("common.code.new"), exact=True).click()
    page.get_by_role("button", name=t("common.code.noted"), exact=True).click()
    words = SCALE.words(LANG)
    for item_id, value in zip(SCALE.item_ids, answers, strict=True):
        group = page.get_by_role("radiogroup", name=re.compile(re.escape(words.items[item_id])))
        label = words.options[SCALE.spec.options[value].id]
        group.get_by_role("radio", name=label, exact=True).check()
        last = item_id == SCALE.item_ids[-1]
        page.get_by_role(
            "button", name=t("scale.submit" if last else "scale.next"), exact=True
        ).click()
    expect(page.locator(".within-result")).to_contain_text(f"Total: {sum(answers)} out of 24")
    code = page.evaluate("() => sessionStorage.getItem('within.code')")
    assert code, "the self-check kept no participant code"
    return code


def _user_token(page: Any, hub: Hub, name: str) -> str:
    """A token of the logged-in user, made through the hub's REST API (as /hub/token does)."""
    xsrf = next(
        (c["value"] for c in page.context.cookies(hub.url + "/hub/") if c["name"] == "_xsrf"), ""
    )
    response = page.context.request.post(
        f"{hub.url}/hub/api/users/{name}/tokens",
        headers={"X-XSRFToken": xsrf, "Referer": f"{hub.url}/hub/token"},
        data={"note": "within-tests", "expires_in": 900},
    )
    assert response.status == 201, f"no token for {name}: {response.status} {response.text()}"
    return response.json()["token"]


def _kernels(hub: Hub, name: str, token: str) -> list[str]:
    """Ids of the kernels the user's server runs (``GET /user/<name>/api/kernels``)."""
    request = urllib.request.Request(
        f"{hub.url}/user/{name}/api/kernels", headers={"Authorization": f"token {token}"}
    )
    with urllib.request.urlopen(request, timeout=15) as response:
        return [kernel["id"] for kernel in json.loads(response.read())]


def _status(hub: Hub, name: str, path: str, token: str, method: str = "GET") -> int:
    """The HTTP status of ``path`` on the user's server, with the user's own token."""
    request = urllib.request.Request(
        f"{hub.url}/user/{name}{path}",
        method=method,
        data=b'{"type": "notebook", "content": null}' if method == "PUT" else None,
        headers={"Authorization": f"token {token}", "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=15) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


#: From the page: run code in its kernel (it would leave a file in the account's home).
_EXECUTE_JS = """([url, code]) => new Promise(done => {
    const socket = new WebSocket(url);
    const send = (type, content) => socket.send(JSON.stringify({
        header: {msg_id: type + Math.random(), msg_type: type, username: "", session: "x",
                 date: new Date().toISOString(), version: "5.3"},
        parent_header: {}, metadata: {}, content: content, channel: "shell", buffers: []}));
    socket.onopen = () => {
        send("execute_request", {code: code, silent: false, store_history: false,
                                 user_expressions: {}, allow_stdin: false, stop_on_error: true});
        send("kernel_info_request", {});  // answered after the execute_request, if it ran
    };
    socket.onmessage = event => {
        const type = JSON.parse(event.data).header.msg_type;
        if (type === "kernel_info_reply") { socket.close(); done("answered"); }
    };
    socket.onerror = () => done("refused");
})"""


def _assert_locked_down(page: Any, hub: Hub, name: str, token: str, kernel: str) -> None:
    """A centre's account: no JupyterLab, no terminals, no writing, no code from the browser."""
    for path in ("/lab", "/tree", "/api/terminals", "/terminals/1"):
        assert _status(hub, name, path, token) == 404, path
    assert _status(hub, name, "/api/contents/planted.ipynb", token, "PUT") == 403
    assert _status(hub, name, "/api/contents/home.ipynb", token) == 200  # reading still works
    marker = hub.log_path.parent / "home" / name / "ran-code-from-the-browser"
    ws = f"{hub.url.replace('http', 'ws', 1)}/user/{name}/api/kernels/{kernel}/channels"
    code = f"open({str(marker)!r}, 'w').write('x')"
    assert page.evaluate(_EXECUTE_JS, [ws, code]) == "answered"
    assert not marker.exists(), "the kernel ran code sent by the browser"


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def _wait_for_kernels(hub: Hub, name: str, token: str, expected: set[str]) -> set[str]:
    """Wait until the user's server runs exactly ``expected``; return what it runs."""
    deadline = time.monotonic() + KERNEL_END_TIMEOUT_S
    running = set(_kernels(hub, name, token))
    while running != expected and time.monotonic() < deadline:
        time.sleep(0.5)
        running = set(_kernels(hub, name, token))
    return running


# --- the tests --------------------------------------------------------------------------------


def test_the_hub_refuses_to_start_without_the_central_database(tmp_path: Path) -> None:
    """Without WITHIN_DATABASE_URL each account would keep its own file: the config says no."""
    command, _url = _hub_command(tmp_path, "unused")
    result = subprocess.run(
        command, cwd=tmp_path, env=_hub_env(None), stdin=subprocess.DEVNULL,
        capture_output=True, text=True, timeout=60, start_new_session=True, check=False,
    )  # fmt: skip
    assert result.returncode != 0
    assert "WITHIN_DATABASE_URL is not set" in result.stdout + result.stderr


@pytest.mark.browser
def test_centres_share_one_hub_and_one_database(
    hub: Hub, hub_password: str, database_url: str, make_page: Callable[..., Any]
) -> None:
    answers = {CENTRES[0]: [0, 1, 2, 3, 0, 1, 2, 3], CENTRES[1]: [3, 3, 3, 3, 2, 0, 3, 3]}
    codes = {}
    for name in CENTRES:
        page = make_page(name)
        response = _log_in(page, hub, name, hub_password)

        # Within's home page, served by the account's own server through the proxy.
        assert page.title() == t("shell.site_title")
        expect(page.locator("#within-get-help")).to_be_visible()
        expect(page.locator("#within-quick-exit")).to_be_visible()
        expect(page.get_by_role("link", name=t("apps.self-check.title"))).to_be_visible()
        csp = response.headers.get("content-security-policy")
        assert csp == voila_config.content_security_policy(), f"CSP through the hub: {csp}"
        home_kernel = kernel_id(page)
        token = _user_token(page, hub, name)
        assert home_kernel in _kernels(hub, name, token)
        _assert_locked_down(page, hub, name, token, home_kernel)

        # An app writes into the central database; leaving the home page ended its kernel.
        codes[name] = _answer_self_check(page, hub, answers[name])
        app_kernel = kernel_id(page)
        running = _wait_for_kernels(hub, name, token, {app_kernel})
        assert running == {app_kernel}, f"after leaving the home page {name} runs {running}"

        # Closing the tab ends the app's kernel too (Voilà's beacon, with the _xsrf cookie).
        page.close(run_before_unload=True)
        running = _wait_for_kernels(hub, name, token, set())
        assert not running, f"{name}'s server still runs {running} after its page closed"

    store = Store(database_url)
    try:
        rows = store.submissions(instrument_id=SCALE.spec.id)
    finally:
        store.close()
    if database_url.startswith("postgresql"):  # each centre's page wrote as its own role
        import psycopg
        from sqlalchemy import make_url

        owner = make_url(database_url).set(drivername="postgresql")
        with psycopg.connect(owner.render_as_string(hide_password=False)) as db:
            centres = dict(db.execute("SELECT code, centre FROM participants").fetchall())
        for name in CENTRES:
            role = f"{name.removeprefix('centre-')}_{_role_suffix(owner.database)}"
            assert centres[codes[name]] == role
    assert {row.code: row.total for row in rows} == {
        codes[name]: sum(answers[name]) for name in CENTRES
    }, "both centres' answers must be in the one central database"
    kernels = [pid for pid in descendants(hub.process.pid) if b"ipykernel" in _cmdline(pid)]
    assert not kernels, f"kernel processes outlived their pages: {kernels}"
    refused = [
        line
        for line in hub.log_path.read_text().splitlines()
        if "shutdown" in line and " 403 " in line
    ]
    assert not refused, "a shutdown beacon was refused:\n" + "\n".join(refused)
