"""The rules of new credentials: a password that is not among the first guesses of anyone
trying, and a username nobody can take for an existing one."""
from __future__ import annotations

from zxcvbn import zxcvbn

from controllers.micropost_rules import PASSWORD_MAX, PASSWORD_MIN
from lib.utils.confusables import username_key

__all__ = ['password_problem', 'username_key']

# zxcvbn scores 0 to 4; below 2, a password falls within about a million guesses (common
# passwords, words, names, keyboard walks, repeats, dates, and the user's own name or e-mail).
SCORE_MIN = 2
ESTIMATED = 72  # zxcvbn reads at most this many characters; more only makes a password harder


def password_problem(password: str, *personal: str) -> str | None:
    """Why `password` may not be used, in words for its owner; None when it may. `personal`:
    what an attacker knows of its owner (username, e-mail), which does not count as secret."""
    if len(password) < PASSWORD_MIN:
        return f'at least {PASSWORD_MIN} characters'
    if len(password) > PASSWORD_MAX:
        return f'at most {PASSWORD_MAX} characters'
    estimate = zxcvbn(password[:ESTIMATED], user_inputs=[part for part in personal if part])
    if estimate['score'] >= SCORE_MIN:
        return None
    feedback = estimate['feedback']
    reason = feedback['warning'] or 'This is easy to guess.'
    advice = ' '.join(feedback['suggestions'][:1])
    return f'too easy to guess: {reason} {advice}'.strip()
