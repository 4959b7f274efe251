"""The Analyzer's screens in Chromium: upload with progress, charts and tables, refusals, edits."""
import json
from urllib.parse import quote
from urllib.request import urlopen

import pytest

from tests.harness.browser import PASSWORD, PHONE, texts
from tests.harness.citizens import make_import
from tests.harness.servers import start_gunicorn, stop


def presents_per_month(citizens: list[dict]) -> list[int]:
    """Presents bought for relatives' birthdays in each month, counted here from the file."""
    month_of = {citizen['citizen_id']: int(citizen['birth_date'][3:5]) for citizen in citizens}
    totals = [0] * 12
    for citizen in citizens:
        for relative in citizen['relatives']:
            totals[month_of[relative] - 1] += 1
    return totals


def upload(screens, path) -> str:
    page = screens.page
    page.set_input_files('#upload-file', str(path))
    page.get_by_role('button', name='Upload').click()
    page.wait_for_selector('.refusal:visible, .notice.success:visible')
    return page.locator('#upload-progress').get_attribute('value')


def chart_data(page, canvas: str) -> list[list[float]]:
    return page.evaluate(
        'id => Chart.getChart(document.getElementById(id)).data.datasets.map(set => set.data)',
        canvas)


def test_upload_shows_progress_then_the_import_with_its_charts(screens, web_server, tmp_path):
    body = make_import(citizens=3000, relations=600, seed=6)
    path = tmp_path / 'citizens.json'
    path.write_text(json.dumps(body, ensure_ascii=False))
    screens.visit('/analyzer', 'imports')
    screens.shot('upload')

    assert upload(screens, path) == '100'
    link = screens.page.locator('.notice.success a')
    import_id = link.inner_text().split()[-1]
    assert f'Import {import_id}' in texts(screens.page.locator('#imports-title ~ div tbody th'))
    screens.shot('uploaded')

    link.click()
    screens.wait_for('import')
    page = screens.page
    assert chart_data(page, 'months-chart') == [presents_per_month(body['citizens'])]
    with urlopen(f'{web_server.url}/imports/{import_id}/towns/stat/percentile/age') as answer:
        towns = json.load(answer)['data']
    rows = [texts(row.locator('th, td')) for row in page.locator('#ages-table tbody tr').all()]
    assert rows == [[town['town'], *(f'{town[key]:.2f}' for key in ('p50', 'p75', 'p99'))]
                    for town in towns]
    assert chart_data(page, 'ages-chart') == [[town[key] for town in towns]
                                              for key in ('p50', 'p75', 'p99')]
    assert page.locator('#citizens-table tbody tr').count() == 25
    screens.shot('import')


@pytest.mark.parametrize('size', ['desktop', 'phone'])
def test_refused_upload_lists_every_problem_at_once_by_citizen_and_field(screens, tmp_path,
                                                                          size):
    if size == 'phone':
        screens.page.set_viewport_size(PHONE)
    citizens = make_import(citizens=5, relations=0, seed=1)['citizens']
    citizens[0]['gender'] = 'other'
    citizens[1]['birth_date'] = '01.01.2999'
    citizens[3]['relatives'] = [1]
    citizens[4]['citizen_id'] = 'five'
    path = tmp_path / 'broken.json'
    path.write_text(json.dumps({'citizens': citizens}))
    screens.visit('/analyzer', 'imports')
    screens.expect_refusal(400, r'/imports$')

    upload(screens, path)
    page = screens.page
    assert page.locator('.refusal .field-error').inner_text() == (
        'The file was not stored. Fix these 4 problems and upload it again:')
    rows = [texts(row.locator('th, td')) for row in page.locator('.problems tbody tr').all()]
    if size == 'phone':  # cards: each value after its label
        rows = [[row[0], *(cell.split('\n', 1)[-1].strip() for cell in row[1:])]
                for row in rows]
    assert rows == [
        ['Citizen 1', 'gender', 'Must be "male" or "female", not \'other\''],
        ['Citizen 2', 'birth_date', '01.01.2999 is not in the past'],
        ['Citizen 4', 'relatives', '1 is a relative of 4 but 4 is not among the relatives of 1'],
        ['The 5th citizen in the list', 'citizen_id',
         "Must be a whole number from 0 to 2147483647, not 'five'"]]
    width = page.evaluate('document.documentElement.scrollWidth')
    assert width <= page.viewport_size['width']
    screens.shot('refused')

    fixed = tmp_path / 'fixed.json'
    fixed.write_text(json.dumps(make_import(citizens=5, relations=0, seed=1)))
    page.set_input_files('#upload-file', str(fixed))  # another file: the old answer goes
    assert not page.locator('.refusal').is_visible()


def test_a_file_that_is_not_json_is_refused_in_plain_words(screens, tmp_path):
    path = tmp_path / 'broken.json'
    path.write_text('{"citizens": [\n  {"citizen_id": 1,}\n]}')
    screens.visit('/analyzer', 'imports')
    screens.expect_refusal(400, r'/imports$')
    upload(screens, path)
    shown = screens.page.locator('.refusal').inner_text()
    assert 'The file is not valid JSON (near line 2, column 20)' in shown
    assert shown.strip().endswith('Nothing was stored.')
    assert 'Expecting' not in shown and 'char' not in shown
    screens.shot('not-json')


def store_import(web_server, tmp_path, citizens: list[dict]) -> str:
    path = tmp_path / 'import.json'
    path.write_text(json.dumps({'citizens': citizens}))
    return web_server.manage('import-citizens', str(path)).strip()


def test_edit_a_citizen_and_see_the_import_change(screens, web_server, tmp_path):
    citizens = make_import(citizens=4, relations=0, seed=2)['citizens']
    import_id = store_import(web_server, tmp_path, citizens)
    screens.visit(f'/analyzer/imports/{import_id}', 'import')
    page = screens.page
    page.get_by_role('link', name=f'Edit {citizens[0]["name"]}').click()
    screens.wait_for('citizen')
    assert page.get_by_label('Name').input_value() == citizens[0]['name']

    page.get_by_label('Name').fill('Иванова Мария')
    page.get_by_label('Relatives').fill('3, 2')
    page.get_by_role('button', name='Save changes').click()
    page.wait_for_selector('.status:text("Saved.")')
    assert page.get_by_label('Relatives').input_value() == '2, 3'
    assert page.locator('h1').inner_text() == 'Иванова Мария'
    screens.shot('saved')

    screens.expect_refusal(400, rf'/imports/{import_id}/citizens/1$')
    page.get_by_label('Birth date').fill('31.02.2000')
    page.get_by_label('Relatives').fill('1')
    page.get_by_role('button', name='Save changes').click()
    errors = page.locator('.field-error:visible')
    errors.first.wait_for()
    assert texts(errors) == ['31.02.2000 is not a real date',
                             'Citizen 1 cannot be their own relative']
    screens.shot('refused')

    page.go_back()
    screens.wait_for('import')
    rows = page.locator('#citizens-table tbody tr')
    assert texts(rows.nth(0).locator('td, th'))[:5] == [
        '1', 'Иванова Мария', citizens[0]['town'], citizens[0]['birth_date'], '2, 3']
    assert texts(rows.nth(1).locator('td'))[3] == '1'
    screens.shot('after-edit')


def test_import_screen_survives_a_reload_and_fits_a_phone(screens, web_server, tmp_path):
    import_id = store_import(web_server, tmp_path, make_import(citizens=50, relations=20,
                                                               seed=3)['citizens'])
    screens.page.set_viewport_size(PHONE)
    screens.visit('/analyzer', 'imports')
    screens.page.get_by_role('link', name=f'Import {import_id}').click()
    screens.wait_for('import')
    screens.page.reload()
    screens.wait_for('import')
    assert screens.page.locator('h1').inner_text() == f'Import {import_id}'
    width = screens.page.evaluate('document.documentElement.scrollWidth')
    assert width <= PHONE['width']
    first = screens.page.locator('#citizens-table tbody tr').first
    box = first.bounding_box()
    assert box['width'] <= PHONE['width'] - 32, 'each citizen is a card within the page'
    assert texts(first.locator('td[data-label]')) and first.locator(
        'th').bounding_box()['y'] <= first.locator('td').first.bounding_box()['y'], \
        'the name heads its card'
    table = screens.page.locator('#ages-table').locator('xpath=..')
    assert table.evaluate('wrap => wrap.scrollWidth <= wrap.clientWidth + 1'), \
        'the ages fit the phone'
    screens.shot('phone')


@pytest.fixture
def protected_url(web_server, tmp_path):
    """A second gunicorn on the same database with `analyzer.protected` on, as the web role."""
    process, url = start_gunicorn(dict(web_server.environ, WARBLE_ANALYZER_PROTECTED='true'),
                                  tmp_path / 'protected.log')
    yield url
    stop(process)


def test_a_protected_analyzer_says_who_may_use_it_and_how_to_become_one(people, web_server,
                                                                          protected_url):
    web_server.user('ivy_a')
    ivy = people('ivy')
    ivy.base_url = protected_url
    ivy.expect_refusal(401, r'/imports$')
    ivy.visit('/analyzer', 'analyzer-closed')
    page = ivy.page
    assert page.get_by_role('heading', level=1).inner_text() == 'The Analyzer is open to analysts'
    assert 'Log in with an account that has the analyst role' in page.locator('main').inner_text()
    ivy.shot('anonymous')

    page.locator('main').get_by_role('link', name='Log in', exact=True).click()
    ivy.wait_for('login')
    assert quote('/analyzer', safe='') in page.url
    page.get_by_label('Username').fill('ivy_a')
    page.get_by_label('Password').fill(PASSWORD)
    ivy.expect_refusal(403, r'/imports$')
    page.get_by_role('button', name='Log in').click()
    ivy.wait_for('analyzer-closed')
    shown = page.locator('main').inner_text()
    assert 'Your account, ivy_a, does not have the analyst role yet.' in shown
    assert page.locator('main code').inner_text() == 'python3 manage.py grant ivy_a analyst'
    ivy.shot('without-the-role')

    web_server.manage('grant', 'ivy_a', 'analyst')
    ivy.visit('/analyzer', 'imports')
    ivy.shot('analyst')
