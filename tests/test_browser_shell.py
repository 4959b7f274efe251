"""The shell in Chromium: real URLs with back and forward, keyboard use, unknown pages, /docs."""
from tests.harness.browser import texts


def test_links_change_the_url_and_back_and_forward_follow(screens):
    screens.visit('/analyzer', 'imports')
    page = screens.page
    marker = page.evaluate('window.marker = 1')
    page.get_by_role('navigation', name='Main').get_by_role('link', name='Search').click()
    screens.wait_for('search')
    assert page.url.endswith('/search')
    assert page.title() == 'Search · Warble'
    page.go_back()
    screens.wait_for('imports')
    assert page.url.endswith('/analyzer')
    page.go_forward()
    screens.wait_for('search')
    assert page.evaluate('window.marker') == marker, 'links must not reload the page'
    current = page.get_by_role('navigation', name='Main').locator('[aria-current="page"]')
    assert texts(current) == ['Search']


def test_every_control_is_reachable_by_keyboard_from_the_skip_link(screens):
    screens.visit('/analyzer', 'imports')
    page = screens.page
    page.keyboard.press('Tab')
    assert page.evaluate('document.activeElement.textContent') == 'Skip to content'
    page.keyboard.press('Enter')
    reached = []
    for _ in range(12):
        page.keyboard.press('Tab')
        reached.append(page.evaluate(
            '(e => e.id || e.textContent.trim() || e.type)(document.activeElement)'))
    assert 'upload-file' in reached and 'Upload' in reached


def test_a_screen_of_something_missing_says_not_found(screens):
    screens.expect_refusal(404, r'/imports/999999/')
    screens.visit('/analyzer/imports/999999', 'missing')
    assert screens.page.locator('h1').inner_text() == 'Not found'
    assert screens.page.locator('.notice').inner_text() == 'No import 999999.'
    screens.shot('missing')


def test_api_documentation_runs_under_the_content_security_policy(screens):
    screens.page.goto(screens.base_url + '/docs')
    screens.page.wait_for_selector('.swagger-ui .opblock')
    assert screens.page.locator('.opblock-summary-path').count() > 3
    screens.shot('docs')


def test_the_screens_run_with_eval_and_inline_scripts_refused(screens):
    screens.visit('/analyzer', 'imports')
    page = screens.page
    page.evaluate('''() => setTimeout(() => {
        try { new Function('return 1'); window.evaluated = 'run'; }
        catch (error) { window.evaluated = error.name; }
        const script = document.createElement('script');
        script.textContent = 'window.injected = true';
        document.body.appendChild(script);
    })''')
    page.wait_for_function('() => window.evaluated !== undefined')
    assert page.evaluate('[window.evaluated, window.injected]') == ['EvalError', None]
    refusals, screens.problems = screens.problems, []
    assert any('Content Security Policy' in problem for problem in refusals), refusals
    assert page.locator('h1').inner_text() == 'Analyzer'
