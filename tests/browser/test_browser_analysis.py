"""The analysis app in a real browser: the labelled example cohort's funnel, accessibly."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from widgets.core.content import text

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("lang", ["en", "th"])
def test_analysis_shows_the_example_funnel(
    staff_app, phone_page, open_app, assert_accessible, lang
) -> None:
    page = open_app(phone_page, staff_app, "analysis.ipynb", lang=lang)
    expect(page.get_by_role("heading", name=text(lang, "apps.analysis.title"))).to_be_visible()
    banner = page.locator(".within-analysis__banner")
    expect(banner).to_contain_text(text(lang, "analysis.synthetic_banner").split(":")[0])
    funnel = page.locator(".within-analysis table").first
    for stage, n in (("screened", 96), ("flagged", 32), ("referral", 5)):
        label = text(lang, f"analysis.stages.{stage}")
        expect(funnel.get_by_role("row", name=f"{label} {n}", exact=True)).to_be_visible()
    image = page.locator(".within-analysis-figure img").first
    assert "96" in (image.get_attribute("alt") or "")
    expect(page.locator(".within-analysis__brief")).to_contain_text("[c]")
    assert_accessible(page)
