"""JSON answers carry text as UTF-8, not `\\uXXXX` escapes; JSONP still escapes the two
characters JavaScript reads as line ends."""
from tests.harness.apiclient import post

TEXT = 'Москва\u2028Kraków'


def test_json_answers_keep_non_ascii_text_as_utf8(client, alice):
    created = post(client, 'alice', alice, TEXT)
    answer = client.get(created['href'])
    assert TEXT.encode() in answer.body
    assert b'\\u' not in answer.body
    assert answer.json['text'] == TEXT


def test_jsonp_escapes_the_line_separators_javascript_would_break_on(client, alice):
    created = post(client, 'alice', alice, TEXT)
    answer = client.get(created['href'], {'callback': 'show'})
    assert answer.content_type == 'application/javascript'
    assert '\u2028'.encode() not in answer.body
    assert 'Москва\\u2028Kraków'.encode() in answer.body
