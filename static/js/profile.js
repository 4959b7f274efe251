/* Editing one's own profile: display name and bio (checked here as the server will), and the
   avatar, uploaded as soon as a picture is chosen, or removed. */
import * as api from './api.js';
import { LIMITS } from './limits.js';
import { length } from './posts.js';

const ko = window.ko;
const MEGABYTES = Math.floor(LIMITS.avatar_max_bytes / (1024 * 1024));
// What the server refuses in a display name or bio (line breaks are allowed in a bio only).
const NOT_TEXT = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufff9-\ufffb\ufeff]/u;

/* "12 characters left" for a text observable, against `most`. */
function left(text, most) {
  const remaining = ko.pureComputed(() => most - length(text()));
  return {
    over: ko.pureComputed(() => remaining() < 0),
    label: ko.pureComputed(() => (remaining() < 0
      ? `${-remaining()} characters too many` : `${remaining()} characters left`)),
  };
}

function problemOf(text, most, lines) {
  if (length(text) > most) return `At most ${most} characters.`;
  if (NOT_TEXT.test(lines > 1 ? text.replace(/\n/g, '') : text)) {
    return lines > 1 ? 'No control characters.' : 'One line, without control characters.';
  }
  if (text.trim().split('\n').length > lines) return `At most ${lines} lines.`;
  return null;
}

export class ProfileEditor {
  /* `shown(user)` is called with the profile as the server has it after each change. */
  constructor(path, shown) {
    this.path = path;
    this.shown = shown;
    this.displayName = ko.observable('');
    this.bio = ko.observable('');
    this.nameLeft = left(this.displayName, LIMITS.display_name_max);
    this.bioLeft = left(this.bio, LIMITS.bio_max);
    this.errors = ko.observable({});
    this.busy = ko.observable(false);
    this.status = ko.observable('');
    this.hasPicture = ko.observable(false);
    this.pictureBusy = ko.observable(false);
    this.pictureStatus = ko.observable('');
    this.pictureError = ko.observable('');
    this.pictureHint = `JPEG, PNG, WebP or GIF, up to ${MEGABYTES} MB; cropped to a square.`;
    this.accept = LIMITS.avatar_types.join(',');
    this.save = () => this.saveText();
    this.pick = (data, event) => this.upload(event.target);
    this.removePicture = () => this.remove();
    this.displayName.subscribe(() => this.status(''));
    this.bio.subscribe(() => this.status(''));
  }

  /* The form filled from the user as the server has it. */
  fill(user) {
    this.displayName(user.display_name || '');
    this.bio(user.bio || '');
    this.hasPicture(!user.avatar.endsWith('/default.svg'));
    this.status('');
  }

  async saveText() {
    const errors = {};
    const name = problemOf(this.displayName(), LIMITS.display_name_max, 1);
    const bio = problemOf(this.bio(), LIMITS.bio_max, LIMITS.bio_lines_max);
    if (name) errors.display_name = name;
    if (bio) errors.bio = bio;
    this.errors(errors);
    this.status('');
    if (name || bio) return;
    this.busy(true);
    try {
      const user = await api.patch(this.path, { display_name: this.displayName(), bio: this.bio() });
      this.fill(user);
      this.status('Profile saved.');
      this.shown(user);
    } catch (error) {
      this.errors(error.byField('display_name'));
    } finally {
      this.busy(false);
    }
  }

  async upload(input) {
    const file = input.files && input.files[0];
    this.pictureError('');
    this.pictureStatus('');
    if (!file) return;
    if (file.size > LIMITS.avatar_max_bytes) {
      this.pictureError(`That picture is larger than ${MEGABYTES} MB.`);
    } else if (!LIMITS.avatar_types.includes(file.type)) {
      this.pictureError('Choose a JPEG, PNG, WebP or GIF picture.');
    } else {
      await this.send(file);
    }
    input.value = ''; // the same file may be chosen again
  }

  async send(file) {
    this.pictureBusy(true);
    this.pictureStatus('Uploading…');
    try {
      const user = await api.put(`${this.path}/avatar`, file);
      this.hasPicture(true);
      this.pictureStatus('Picture saved.');
      this.shown(user);
    } catch (error) {
      this.pictureStatus('');
      this.pictureError(error.byField('avatar').avatar || error.message);
    } finally {
      this.pictureBusy(false);
    }
  }

  async remove() {
    this.pictureBusy(true);
    this.pictureError('');
    try {
      await api.remove(`${this.path}/avatar`);
      this.shown(await api.get(this.path));
      this.hasPicture(false);
      this.pictureStatus('Picture removed.');
    } catch (error) {
      this.pictureError(error.message);
    } finally {
      this.pictureBusy(false);
    }
  }
}
