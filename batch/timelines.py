"""Home feeds: fan a post out, back-fill a follow, clean up after an unfollow, and sweep up
the work left undone. Thin: the behaviour is `controllers/feeds.py`'s."""
from __future__ import annotations

from celery import shared_task

from controllers.feeds import FeedController
from models.timelines import FeedsUnavailable

RETRY = {'autoretry_for': (FeedsUnavailable,), 'retry_backoff': True, 'max_retries': 8}


@shared_task(name='timelines.fan_out', **RETRY)
def fan_out(post_id: int) -> int:
    """Add a post to its author's and followers' feeds; how many feeds took it."""
    return FeedController().fan_out(post_id)


@shared_task(name='timelines.feed_follow', **RETRY)
def feed_follow(follow_id: int) -> None:
    """Put the newest posts of a user just followed into the follower's feed."""
    FeedController().feed_follow(follow_id)


@shared_task(name='timelines.forget', **RETRY)
def forget(user_id: int, author_id: int) -> None:
    """Drop the posts of an author just unfollowed from the user's feed."""
    FeedController().forget(user_id, author_id)


@shared_task(name='timelines.sweep')
def sweep() -> int:
    """Hand on the feed work whose lease ran out; how many."""
    return FeedController().sweep()
