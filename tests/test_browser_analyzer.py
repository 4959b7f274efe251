"""The Analyzer's screens in Chromium: upload with progress, charts and tables, refusals, edits."""
import json
from urllib.request import urlopen

from bench.citizens import make_import
from tests.browser import PHONE, texts


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
