"""Avatars: uploaded as the picture itself, stored as squares re-encoded without metadata,
served under URLs that never change, removed, forgotten; refusals leave nothing behind."""
import io
import struct
import zlib
from xml.etree import ElementTree

import pytest
from PIL import ExifTags, Image, ImageCms

from controllers import avatars
from controllers.profile_rules import AVATAR_MAX_BYTES
from models import avatars as files
from models.users import User

UPLOAD = '/api/v1/users/alice/avatar'


def picture(kind='JPEG', size=(60, 30), mode='RGB', **save) -> bytes:
    """A picture: its left half red, its right half blue."""
    image = Image.new('RGB', size, 'red')
    image.paste('blue', (size[0] // 2, 0, size[0], size[1]))
    image = image.convert(mode)
    out = io.BytesIO()
    image.save(out, kind, **save)
    return out.getvalue()


def photo_with_position() -> bytes:
    """A JPEG as a phone writes it: camera, GPS position, and turned a quarter (orientation 6:
    shown upright, its left half is on top)."""
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = 'SecretCam'
    exif[ExifTags.Base.Orientation] = 6
    exif[ExifTags.IFD.GPSInfo] = {1: 'N', 2: (52.0, 31.0, 12.0), 3: 'E', 4: (13.0, 24.0, 0.0)}
    return picture('JPEG', exif=exif, quality=95)


def chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack('>I', len(data)) + kind + data + struct.pack('>I', zlib.crc32(kind + data))


def blank_png(width: int, height: int) -> bytes:
    """A valid black PNG of any size, made without holding its pixels: 10,000 × 10,000 is
    300 MB decoded and some 300 KB compressed."""
    packer = zlib.compressobj()
    row = bytes(1 + 3 * width)
    data = b''.join([packer.compress(row) for _ in range(height)] + [packer.flush()])
    header = struct.pack('>IIBBBBB', width, height, 8, 2, 0, 0, 0)
    return (b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', header) + chunk(b'IDAT', data)
            + chunk(b'IEND', b''))


def upload(client, headers, data, content_type='image/jpeg', status=200, path=UPLOAD):
    return client.put(path, data, headers=headers, content_type=content_type, status=status)


def stored(username='alice') -> list[str]:
    """The files of the user's avatar folder."""
    folder = files.folder(User.by_username(username).id)
    return sorted(path.name for path in folder.iterdir()) if folder.exists() else []


def fetch(client, url, status=200, **headers):
    return client.get(url.removeprefix('http://localhost'), headers=headers, status=status)


def test_an_uploaded_photo_is_stored_square_upright_and_without_its_metadata(client, alice):
    original = photo_with_position()
    assert b'SecretCam' in original
    user = upload(client, alice, original).json
    version = User.by_username('alice').avatar
    assert user['avatar'].endswith(f'/api/v1/users/alice/avatar/{version}-256.webp')
    assert user['avatar_small'].endswith(f'/{version}-64.webp')
    assert stored() == [f'{version}-256.webp', f'{version}-64.webp']
    answer = fetch(client, user['avatar'])
    assert answer.content_type == 'image/webp'
    assert answer.headers['Cache-Control'] == 'public, max-age=31536000, immutable'
    image = Image.open(io.BytesIO(answer.body))
    assert (image.format, image.size) == ('WEBP', (256, 256))
    assert not image.getexif() and 'exif' not in image.info and 'icc_profile' not in image.info
    assert b'SecretCam' not in answer.body and b'Exif' not in answer.body
    rgb = image.convert('RGB')
    top, bottom = rgb.getpixel((200, 30)), rgb.getpixel((50, 220))
    assert top[0] > 200 and top[2] < 60, 'turned upright: the left half is on top'
    assert bottom[2] > 200 and bottom[0] < 60
    small = Image.open(io.BytesIO(fetch(client, user['avatar_small']).body))
    assert small.size == (64, 64)
    assert client.get('/api/v1/users/alice').json['avatar'] == user['avatar']


@pytest.mark.parametrize('kind, content_type, extra', [
    ('PNG', 'image/png', {'mode': 'RGBA', 'size': (300, 500)}),
    ('WEBP', 'image/webp', {'size': (100, 100)}),
    ('GIF', 'image/gif', {'size': (40, 40), 'save_all': True,
                          'append_images': [Image.new('RGB', (40, 40), 'green')]}),
    ('PNG', 'image/jpeg', {}),  # the media type a browser guessed from a file's name
    ('JPEG', 'image/jpeg', {'mode': 'CMYK', 'size': (50, 80)}),  # as printers' tools write
    ('PNG', 'image/png', {'mode': 'P', 'size': (64, 64), 'transparency': 0}),
])
def test_png_webp_and_gif_are_taken(client, alice, kind, content_type, extra):
    user = upload(client, alice, picture(kind, **extra), content_type).json
    image = Image.open(io.BytesIO(fetch(client, user['avatar']).body))
    assert image.size == (256, 256)
    if kind == 'GIF':  # the first frame: red and blue, not the green second one
        assert image.convert('RGB').getpixel((20, 128))[0] > 200


def test_a_colour_profile_is_applied_and_not_kept(client, alice):
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile('sRGB')).tobytes()
    user = upload(client, alice, picture('JPEG', icc_profile=srgb)).json
    image = Image.open(io.BytesIO(fetch(client, user['avatar']).body))
    assert 'icc_profile' not in image.info
    assert image.convert('RGB').getpixel((20, 128))[0] > 200  # still red on the left


def test_the_etag_answers_304(client, alice):
    user = upload(client, alice, picture()).json
    first = fetch(client, user['avatar'])
    again = fetch(client, user['avatar'], status=304, **{'If-None-Match': first.headers['ETag']})
    assert again.body == b''


def test_a_new_avatar_replaces_the_old_files_and_removing_it_brings_back_the_default(
        client, alice):
    old = upload(client, alice, picture()).json['avatar']
    new = upload(client, alice, picture('PNG', size=(90, 90))).json['avatar']
    assert new != old
    fetch(client, old, status=404)
    assert len(stored()) == 2 and all(name in new for name in stored()[:1])
    client.delete(UPLOAD, headers=alice, status=204)
    assert stored() == [] and User.by_username('alice').avatar is None
    shown = client.get('/api/v1/users/alice').json
    assert shown['avatar'].endswith('/api/v1/users/alice/avatar/default.svg')
    fetch(client, new, status=404)
    client.delete(UPLOAD, headers=alice, status=204)  # none left to remove: still done


def test_the_same_picture_again_keeps_its_files(client, alice):
    first = upload(client, alice, picture()).json['avatar']
    assert upload(client, alice, picture()).json['avatar'] == first
    fetch(client, first)


def test_the_default_is_the_initial_on_a_colour_of_the_name(client, alice, bob):
    answer = fetch(client, client.get('/api/v1/users/alice').json['avatar'])
    assert answer.content_type == 'image/svg+xml'
    assert '>A</text>' in answer.text and answer.headers['Cache-Control'].startswith('public')
    bob_svg = fetch(client, '/api/v1/users/BOB/avatar/default.svg').text
    assert '>B</text>' in bob_svg and bob_svg.split('fill=')[1] != answer.text.split('fill=')[1]
    assert ElementTree.fromstring(answer.body).tag == '{http://www.w3.org/2000/svg}svg'


@pytest.mark.parametrize('path', ['/api/v1/users/nobody/avatar/default.svg',
                                  '/api/v1/users/alice/avatar/0123456789abcdef-256.webp',
                                  '/api/v1/users/alice/avatar/passwd',
                                  '/api/v1/users/alice/avatar/..%2f..%2fwarble.db'])
def test_other_avatar_files_are_404(client, alice, path):
    assert client.get(path, status=404).json['error']['code'] == 'not_found'


@pytest.mark.parametrize('data, content_type, status', [
    (b'GIF89a but not really a picture', 'image/gif', 400),
    (b'<svg xmlns="http://www.w3.org/2000/svg"/>', 'image/png', 400),
    (picture('BMP'), 'image/png', 400),  # a picture, but not of a kind accepted
    (picture()[:200], 'image/jpeg', 400),  # cut short
    (b'', 'image/png', 400),
    (picture(), 'application/octet-stream', 415),
    (picture(), 'image/svg+xml', 415),
    (picture(), 'application/json', 415),
])
def test_what_is_not_an_accepted_picture_is_refused_and_nothing_is_kept(
        client, alice, data, content_type, status):
    before = upload(client, alice, picture()).json['avatar']
    kept = stored()
    answer = upload(client, alice, data, content_type, status=status)
    assert answer.json['error']['code'] == {400: 'invalid', 415: 'unsupported_media_type'}[status]
    if status == 400:
        assert 'avatar' in answer.json['error']['fields']
    assert stored() == kept and client.get('/api/v1/users/alice').json['avatar'] == before


def test_a_body_over_the_limit_is_413_unread(client, alice):
    data = picture() + bytes(AVATAR_MAX_BYTES)
    answer = upload(client, alice, data, status=413)
    assert answer.json['error']['code'] == 'payload_too_large'
    assert str(AVATAR_MAX_BYTES) in answer.json['error']['message']
    assert stored() == [] and User.by_username('alice').avatar is None


def test_ten_thousand_pixels_square_is_refused_from_its_header(client, alice):
    bomb = blank_png(10_000, 10_000)
    assert len(bomb) < AVATAR_MAX_BYTES
    answer = upload(client, alice, bomb, 'image/png', status=400)
    assert '10000 × 10000' in answer.json['error']['message']
    assert 'pixels' in answer.json['error']['fields']['avatar']
    assert stored() == [] and User.by_username('alice').avatar is None


def test_a_strip_too_long_on_one_side_is_refused(client, alice):
    upload(client, alice, blank_png(20_000, 1), 'image/png', status=400)


def test_only_the_owner_uploads_or_removes(client, alice, bob):
    upload(client, alice, picture())
    refused = upload(client, bob, picture('PNG'), 'image/png', status=403)
    assert refused.json['error']['code'] == 'forbidden'
    client.put(UPLOAD, picture(), content_type='image/jpeg', status=401)
    client.delete(UPLOAD, headers=bob, status=403)
    client.delete(UPLOAD, status=401)
    assert len(stored()) == 2 and User.by_username('alice').avatar


def test_avatars_show_beside_posts_and_in_lists_of_people(client, alice, bob):
    client.post_json('/api/v1/users/alice/following', {'username': 'bob'}, headers=alice)
    client.post_json('/api/v1/users/bob/collection', {'text': 'hi'}, headers=bob, status=201)
    assert client.get('/api/v1/microposts').json['result'][0]['avatar'].endswith('default.svg')
    small = upload(client, bob, picture(), path='/api/v1/users/bob/avatar').json['avatar_small']
    assert client.get('/api/v1/microposts').json['result'][0]['avatar'] == small
    assert client.get('/api/v1/users/alice/following').json['result'][0]['avatar_small'] == small
    assert client.get('/api/v1/users?name=bob').json['result'][0]['avatar_small'] == small


def test_forget_deletes_every_file_of_the_user(client, alice):
    upload(client, alice, picture())
    user_id = User.by_username('alice').id
    assert files.folder(user_id).exists()
    avatars.forget(user_id)
    assert not files.folder(user_id).exists()
    avatars.forget(user_id)  # nothing left: fine
