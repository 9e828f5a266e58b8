"""True privacy words: WITHIN_DEPLOYMENT (device, centre, public, demo) chooses the words that
say where answers are kept, in every string that says it, in English and Thai."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from widgets.core import settings
from widgets.core.content import ContentLibrary
from widgets.core.paths import content_dir

#: Every string that says where answers are kept (the issue counted about 15).
WHERE_KEYS = (
    "common.code.consent",
    "defusion.choose.intro",
    "defusion.done.saved",
    "home.privacy",
    "my_data.delete_intro",
    "my_data.deleted",
    "reflection.saved",
    "scale.referral_self",
    "sealed.choose.intro",
)
EXPECTED = {
    "en": {
        "device": "this device",
        "centre": "centre's computer",
        "public": "server that runs this site",
        "demo": "public demo",
    },
    "th": {"device": "ในเครื่องนี้", "centre": "คอมพิวเตอร์ของศูนย์", "public": "เซิร์ฟเวอร์", "demo": "สาธิต"},
}


def _library() -> ContentLibrary:
    return ContentLibrary()  # a fresh one: nothing cached across deployments


@pytest.mark.parametrize("deployment", settings.DEPLOYMENTS)
@pytest.mark.parametrize("lang", ["en", "th"])
def test_each_deployment_has_its_own_true_words(
    monkeypatch: pytest.MonkeyPatch, deployment: str, lang: str
) -> None:
    monkeypatch.setenv(settings.DEPLOYMENT_ENV, deployment)
    library = _library()
    for key in WHERE_KEYS:
        words = library.text(lang, key)
        assert "{where" not in words, key
        if deployment != "device" and key != "sealed.choose.intro":
            assert "this device" not in words and "ในเครื่องนี้" not in words, (deployment, key, words)
    assert EXPECTED[lang][deployment] in library.text(lang, "home.privacy") + library.text(
        lang, "sealed.choose.intro"
    )
    summary = library.text(lang, "my_data.summary_intro", ending="ABCD")
    assert "ABCD" in summary and "{" not in summary
    welcome = next(s for s in library.flow(lang, "welcome").steps if s.id == "private")
    assert "{where" not in welcome.body and EXPECTED[lang][deployment].split()[-1] in welcome.body


def test_no_string_claims_this_device_except_what_the_browser_itself_keeps() -> None:
    """'This device' is left only where it is true everywhere: the browser remembering a code,
    a screen staff hold, a quick exit."""
    allowed = {
        "common.yaml": {"remember", "forget", "forgotten"},
        "screening.yaml": {"how_self"},
        "privacy.yaml": {"device"},  # the words for WITHIN_DEPLOYMENT=device themselves
    }
    for path in sorted((content_dir() / "en").rglob("*.yaml")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if re.search(r"\b(on|stays on|in) this device\b", line):
                key = line.strip().split(":")[0]
                assert key in allowed.get(path.name, set()), f"{path.name}:{number}: {line.strip()}"


def test_the_default_follows_how_within_is_served(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (settings.DEPLOYMENT_ENV, settings.PUBLIC_DEMO_ENV, *settings.BINDER_ENVS):
        monkeypatch.delenv(name, raising=False)
    assert settings.deployment() == "device"
    monkeypatch.setenv("BINDER_LAUNCH_HOST", "https://mybinder.org/")
    assert settings.deployment() == "demo"
    monkeypatch.setenv(settings.DEPLOYMENT_ENV, "Centre ")
    assert settings.deployment() == "centre"
    monkeypatch.setenv(settings.DEPLOYMENT_ENV, "cloud")  # unknown: the safe default, not a crash
    assert settings.deployment() == "demo"


def test_within_serve_sets_it_and_the_hub_config_too(monkeypatch: pytest.MonkeyPatch) -> None:
    from widgets.server import app as server

    seen: list[str | None] = []

    class Stub:
        def start(self) -> None:
            import os

            seen.append(os.environ.get(settings.DEPLOYMENT_ENV))

    monkeypatch.setattr(server, "make_app", lambda **_kw: Stub())
    monkeypatch.delenv(settings.DEPLOYMENT_ENV, raising=False)
    server.serve(open_browser=False)
    monkeypatch.delenv(settings.DEPLOYMENT_ENV, raising=False)
    monkeypatch.setattr("widgets.server.room_listener.listen", lambda *a, **k: None)
    monkeypatch.setattr("widgets.server.room_listener.exposure_message", lambda *a, **k: "")
    monkeypatch.setattr("widgets.server.room_listener.forget_listener", lambda: None)
    server.serve(open_browser=False, rooms_lan="192.168.1.5")
    monkeypatch.setenv(settings.DEPLOYMENT_ENV, "public")  # set beforehand: it wins
    server.serve(open_browser=False)
    assert seen == ["device", "centre", "public"]
    hub = (Path(__file__).parents[3] / "docs" / "jupyterhub" / "jupyterhub_config.py").read_text(
        encoding="utf-8"
    )
    assert 'within.setdefault("WITHIN_DEPLOYMENT", "public")' in hub
