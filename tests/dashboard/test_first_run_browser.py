"""The administrator lands on the first-run checklist: each step still to do or ticked, each link pressed leads
to where that step shows; the other roles' landing pages have no checklist."""

from __future__ import annotations

import shutil
from urllib.parse import urlparse

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from dashboard import create_app
from pantau.i18n import translate
from pantau.settings import Settings

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not (shutil.which("chromium") and shutil.which("chromedriver")),
                       reason="browser tests need Debian's chromium and chromium-driver"),
]

LINKS = {"monitors": "/server", "bills": "/sumber", "inbox": "/sumber", "channels": "/peringatan",
         "users": "/pengguna"}


def _log_in(dash_duo, username: str, password: str) -> None:
    dash_duo.driver.get(f"{dash_duo.server.url}/login")
    dash_duo.find_element("#username").send_keys(username)
    dash_duo.find_element("#password").send_keys(password)
    dash_duo.find_element("#login-submit").click()
    dash_duo.wait_for_element("#shell-user", timeout=20)


def test_frunb001_admin_sees_the_checklist_and_each_link_leads_to_its_page(dash_duo, web, tmp_path):
    settings = Settings(data_dir=tmp_path, database_url=str(web.engine.url), institution="Politeknik Uji")
    dash_duo.start_server(create_app(settings, web.engine), navigate=False)
    dash_duo.driver.set_window_size(1366, 900)
    _log_in(dash_duo, "user.admin", web.password)
    dash_duo.wait_for_element("#overview-first-run", timeout=20)
    items = dash_duo.driver.find_elements(By.CSS_SELECTOR, "#overview-first-run li")
    ticks = {item.get_attribute("id").removeprefix("overview-first-run-"): item.get_attribute("data-done")
             for item in items}
    assert ticks == {"monitors": "false", "bills": "false", "inbox": "false", "channels": "false",
                     "users": "false", "campus": "true"}
    assert dash_duo.find_element("#overview-first-run-count").text == translate("{done} of {total} done", "id",
                                                                                 done=1, total=6)
    campus = dash_duo.find_element("#overview-first-run-campus").text
    assert "Politeknik Uji" in campus and "institution di pantau.toml" in campus
    for key, path in LINKS.items():
        dash_duo.driver.get(f"{dash_duo.server.url}/ringkasan")
        link = dash_duo.wait_for_element(f"#overview-first-run-{key}-link", timeout=20)
        assert link.text == "Buka halaman"
        dash_duo.driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", link)
        link.click()
        # the overview's own title is on the page until the link's page replaces it: wait for the address first
        WebDriverWait(dash_duo.driver, 20).until(lambda driver, path=path: urlparse(driver.current_url).path == path,
                                                 f"the {key} link did not open {path}")
        dash_duo.wait_for_element("#_pages_content .page-title", timeout=20)
        assert not dash_duo.driver.find_elements(By.ID, "shell-not-authorised")
    assert not dash_duo.driver.find_elements(By.ID, "overview-first-run-campus-link")


@pytest.mark.parametrize("role", ["direktur", "kepala_it", "bendahara"])
def test_frunb002_other_roles_overview_has_no_checklist(dash_duo, web, role):
    dash_duo.start_server(web.app, navigate=False)
    _log_in(dash_duo, f"user.{role}", web.password)
    dash_duo.driver.get(f"{dash_duo.server.url}/ringkasan")
    dash_duo.wait_for_element("#overview-stamp", timeout=20)
    dash_duo.wait_for_element("#_pages_content .page-title", timeout=20)
    assert not dash_duo.driver.find_elements(By.ID, "overview-first-run")
    assert translate("First-run checklist", "id") not in dash_duo.driver.page_source
