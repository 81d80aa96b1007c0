"""RenderWorker: frames on request, a thread only while needed, nothing kept alive after close."""

from __future__ import annotations

import gc
import threading
import time
import weakref

import pytest
from support.render_threads import render_threads

from nbcallbacks.render.render_worker import RenderWorker


class Owner:
    """Stands in for the dashboard: its bound method is the draw callable."""

    def __init__(self, **options):
        self.frames = 0
        self.worker = RenderWorker(self.draw, **options)

    def draw(self):
        self.frames += 1


def wait_for(condition, timeout: float = 5.0) -> bool:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True


def test_no_thread_before_the_first_request():
    baseline = threading.active_count()
    worker = RenderWorker(lambda: None, name="render-test-lazy")
    assert threading.active_count() == baseline and not render_threads("render-test-lazy")
    worker.request()
    assert len(render_threads("render-test-lazy")) == 1
    worker.close()


def test_thread_count_returns_to_the_baseline_after_close():
    baseline = threading.active_count()
    worker = RenderWorker(lambda: None, name="render-test-close")
    assert worker.flush(timeout=5)
    worker.close()
    assert threading.active_count() == baseline and not render_threads("render-test-close")
    assert not worker.alive


def test_close_draws_a_pending_request_first():
    owner = Owner(min_interval=60.0)
    assert owner.worker.flush(timeout=5) and owner.frames == 1
    owner.worker.request()  # deferred by min_interval ...
    owner.worker.close()    # ... but close draws it rather than dropping it
    assert owner.frames == 2


def test_close_is_idempotent_and_works_without_any_request():
    worker = RenderWorker(lambda: None)
    worker.close()
    worker.close()
    worker.request()
    assert worker.flush(timeout=5)
    worker.close()
    worker.close()
    assert not worker.alive


def test_a_closed_worker_does_not_keep_its_owner_alive():
    owner = Owner(name="render-test-owner")
    owner.worker.request()
    assert owner.worker.flush(timeout=5)
    owner.worker.close()
    gone = weakref.ref(owner)
    del owner
    gc.collect()
    assert gone() is None
    assert not render_threads("render-test-owner")


def test_an_owner_dropped_without_close_is_freed_and_its_thread_ends():
    # A fit that died by an exception skips on_train_end: the thread must not pin the dashboard.
    owner = Owner(name="render-test-unclosed")
    assert owner.worker.flush(timeout=5)
    gone = weakref.ref(owner)
    del owner
    gc.collect()
    assert gone() is None
    assert wait_for(lambda: not render_threads("render-test-unclosed"))


def test_a_request_after_close_starts_a_new_thread_and_draws():
    owner = Owner(name="render-test-reuse")
    assert owner.worker.flush(timeout=5)
    owner.worker.close()
    assert not render_threads("render-test-reuse")
    owner.worker.request()
    assert wait_for(lambda: owner.frames == 2)
    assert owner.worker.flush(timeout=5) and owner.frames == 3
    assert len(render_threads("render-test-reuse")) == 1
    owner.worker.close()
    assert not render_threads("render-test-reuse")


def test_drawing_errors_are_kept_for_the_caller_and_later_requests_still_draw():
    calls = []

    def draw():
        calls.append(len(calls))
        if len(calls) == 1:
            raise RuntimeError("first frame fails")

    worker = RenderWorker(draw)
    assert worker.flush(timeout=5)
    assert worker.has_error
    error = worker.take_error()
    assert isinstance(error, RuntimeError) and str(error) == "first frame fails"
    assert not worker.has_error and worker.take_error() is None
    assert worker.flush(timeout=5) and len(calls) == 2 and not worker.has_error
    worker.close()


def test_an_error_in_the_last_frame_is_still_reported_after_close():
    def draw():
        raise ValueError("broken")

    worker = RenderWorker(draw)
    worker.request()
    worker.close()
    assert isinstance(worker.take_error(), ValueError)


@pytest.mark.timing
def test_requests_wait_out_min_interval_but_an_urgent_one_does_not():
    owner = Owner(min_interval=30.0)
    assert owner.worker.flush(timeout=5) and owner.frames == 1
    owner.worker.request()
    time.sleep(0.3)
    assert owner.frames == 1  # deferred: never more often than min_interval
    # A person changed the view (or paused): draw as soon as the thread is free.
    owner.worker.request(urgent=True)
    assert wait_for(lambda: owner.frames == 2, timeout=10)  # deferred: 30 s
    owner.worker.close()


@pytest.mark.timing
def test_lowering_min_interval_lets_a_deferred_request_draw_sooner():
    owner = Owner(min_interval=30.0)
    assert owner.worker.flush(timeout=5)
    owner.worker.request()
    owner.worker.min_interval = 0.0
    assert wait_for(lambda: owner.frames == 2, timeout=10)  # deferred: 30 s
    owner.worker.close()


@pytest.mark.parametrize("closing", [False, True])
def test_flush_waits_for_a_frame_with_everything_recorded_before_it(closing):
    seen = []
    recorded = []
    worker = RenderWorker(lambda: seen.append(list(recorded)), min_interval=30.0)
    worker.request()
    recorded.append("batch")
    if closing:
        worker.close()
    assert worker.flush(timeout=5)
    assert seen[-1] == ["batch"]
    worker.close()


@pytest.mark.timing
def test_a_posted_job_runs_at_once_while_a_frame_waits_out_min_interval():
    owner = Owner(min_interval=30.0)
    assert owner.worker.flush(timeout=5) and owner.frames == 1
    owner.worker.request()   # deferred: 30 s
    ran = threading.Event()
    owner.worker.post(ran.set)
    assert ran.wait(timeout=10)   # not held back by the waiting frame
    assert owner.frames == 1      # ... which still waits
    owner.worker.close()          # and is drawn at close
    assert owner.frames == 2


def test_only_the_latest_posted_job_runs_and_a_waiting_one_runs_before_close_returns():
    busy, release = threading.Event(), threading.Event()
    seen = []
    worker = RenderWorker(lambda: None)
    worker.post(lambda: (busy.set(), release.wait()))
    assert busy.wait(timeout=5)   # the thread is busy while two more are posted
    worker.post(lambda: seen.append("older"))
    worker.post(lambda: seen.append("latest"))
    release.set()
    worker.close()
    assert seen == ["latest"]


def test_a_failing_job_is_kept_for_the_caller_like_a_drawing_error():
    worker = RenderWorker(lambda: None)
    worker.post(lambda: 1 / 0)
    worker.close()
    assert isinstance(worker.take_error(), ZeroDivisionError)
