"""Time-ordered ids: strictly increasing, unique across processes, decoding to time and shard."""
from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import threading

import pytest

from controllers import boot
from lib import config
from models import ids
from tests.harness.servers import PYTHON

MAKE_IDS = """
import json, sys
from pathlib import Path
from models import ids
ids.configure(int(sys.argv[1]), Path(sys.argv[2]))
made = [ids.next_id() for _ in range(20000)]
print(json.dumps(made), flush=True)
sys.stdin.read()  # the slot stays held until the test has heard from every process
"""


def test_ids_grow_strictly_within_a_process(tmp_path):
    ids.configure(3, tmp_path)
    made = [ids.next_id() for _ in range(50000)]
    assert made == sorted(set(made))
    assert all(2**53 < id_ < 2**63 for id_ in (made[0], made[-1]))


def test_ids_grow_on_when_the_process_is_configured_again(tmp_path):
    ids.configure(0, tmp_path)
    made = [ids.next_id() for _ in range(1000)]
    for _ in range(3):  # the same shard and slot, within the same milliseconds
        ids.configure(0, tmp_path)
        made.extend(ids.next_id() for _ in range(1000))
    assert made == sorted(set(made))


def test_ids_from_threads_never_repeat(tmp_path):
    ids.configure(0, tmp_path)
    made: list[int] = []

    def make() -> None:
        made.extend(ids.next_id() for _ in range(5000))

    threads = [threading.Thread(target=make) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(made)) == 20000


def test_an_id_decodes_to_its_time_shard_slot_and_sequence():
    clock = int(dt.datetime(2026, 12, 1, 1, 2, 3, 456000, tzinfo=dt.UTC)
                .timestamp() * 1000)
    generator = ids.IdGenerator(shard=17, slot=5, clock=lambda: clock)
    first, second = generator.next_id(), generator.next_id()
    assert ids.decode(first) == ids.Layout(
        dt.datetime(2026, 12, 1, 1, 2, 3, 456000, tzinfo=dt.UTC), 17, 5, 0)
    assert ids.decode(second).sequence == 1


def test_a_clock_stepping_back_borrows_the_last_millisecond_and_the_next():
    times = iter([10_000] + [9_000] * ids.SEQUENCES + [10_002])
    generator = ids.IdGenerator(shard=1, slot=0, clock=lambda: ids.EPOCH_MS + next(times))
    made = [generator.next_id() for _ in range(ids.SEQUENCES + 2)]
    assert made == sorted(set(made))
    layouts = [ids.decode(id_) for id_ in made]
    assert {layout.made for layout in layouts[:ids.SEQUENCES]} == {
        ids.EPOCH + dt.timedelta(milliseconds=10_000)}
    assert layouts[ids.SEQUENCES] == ids.Layout(
        ids.EPOCH + dt.timedelta(milliseconds=10_001), 1, 0, 0)  # borrowed ahead
    assert layouts[-1].made == ids.EPOCH + dt.timedelta(milliseconds=10_002)


def made_by_processes(shards: list[int], directory) -> list[list[int]]:
    """The ids made by one process per shard, slots claimed in `directory`, all of them running
    (holding their slots) until each has made its ids."""
    processes = [subprocess.Popen([PYTHON, '-c', MAKE_IDS, str(shard), str(directory)],
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  cwd=config.ROOT, env={'PYTHONPATH': 'lib:lib/vendor:.'})
                 for shard in shards]
    made = [json.loads(process.stdout.readline()) for process in processes]
    for process in processes:
        process.communicate(timeout=60)
    return made


def test_processes_of_two_shards_never_make_the_same_id(tmp_path):
    first, second = made_by_processes([1, 2], tmp_path)
    assert not set(first) & set(second)
    assert {ids.decode(id_).shard for id_ in first} == {1}
    assert {ids.decode(id_).shard for id_ in second} == {2}


def test_processes_of_one_host_and_shard_claim_different_slots(tmp_path):
    first, second = made_by_processes([4, 4], tmp_path)
    assert not set(first) & set(second)
    assert {ids.decode(id_).slot for id_ in first} != {ids.decode(id_).slot for id_ in second}


def test_a_child_forked_after_its_parent_made_ids_claims_a_slot_of_its_own(tmp_path):
    """As gunicorn and Celery fork their workers from a configured parent."""
    ids.configure(6, tmp_path)
    parent = ids.next_id()
    reading, writing = os.pipe()
    child = os.fork()
    if child == 0:
        os.write(writing, json.dumps([ids.next_id() for _ in range(1000)]).encode())
        os._exit(0)
    os.close(writing)
    with os.fdopen(reading) as pipe:
        made = json.loads(pipe.read())
    os.waitpid(child, 0)
    assert {ids.decode(id_).slot for id_ in made} == {1} != {ids.decode(parent).slot}
    assert not set(made) & {parent, *(ids.next_id() for _ in range(1000))}


def test_a_host_with_every_slot_held_says_so(tmp_path):
    held = [ids.claim_slot(tmp_path) for _ in range(ids.SLOTS)]
    assert [slot.number for slot in held] == list(range(ids.SLOTS))
    with pytest.raises(ids.NoFreeSlot, match='all 32 id slots'):
        ids.claim_slot(tmp_path)
    held.pop().release()
    assert ids.claim_slot(tmp_path).number == ids.SLOTS - 1


def made_in_a_slot(directory, clock: list[int], count: int) -> list[int]:
    """`count` ids of a holder of the first free slot, its clock at `clock[0]`, the slot released
    after them (as when the process ends)."""
    slot = ids.claim_slot(directory)
    generator = ids.slot_generator(4, slot, clock=lambda: ids.EPOCH_MS + clock[0])
    made = [generator.next_id() for _ in range(count)]
    slot.release()
    assert {ids.decode(id_).slot for id_ in made} == {0}
    return made


def test_the_next_holder_of_a_slot_starts_past_the_millisecond_its_last_holder_ended_in(
        tmp_path):
    clock = [50_000]
    first = made_in_a_slot(tmp_path, clock, 10)
    second = made_in_a_slot(tmp_path, clock, 10)  # claimed within the same millisecond
    assert first + second == sorted(set(first + second))


def test_the_next_holder_of_a_slot_starts_past_what_its_last_holder_used_ahead_of_the_clock(
        tmp_path):
    clock = [50_000]
    first = made_in_a_slot(tmp_path, clock, 3 * ids.SEQUENCES)  # runs 3 ms ahead
    assert ids.decode(first[-1]).made == ids.EPOCH + dt.timedelta(milliseconds=50_003)
    clock[0] = 49_000  # and then the clock steps back a second
    second = made_in_a_slot(tmp_path, clock, 10)
    assert first + second == sorted(set(first + second))


@pytest.mark.parametrize('shard', [-1, ids.SHARDS])
def test_a_shard_out_of_range_stops_the_start(tmp_path, shard):
    settings = config.load({'WARBLE_ROLE': 'test', 'WARBLE_IDS_SHARD': str(shard),
                            'WARBLE_PATHS_VAR': str(tmp_path)})
    with pytest.raises(boot.StartupError, match=r'ids.shard must be 0..31'):
        boot.configure(settings, check_database=False)
