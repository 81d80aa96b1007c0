"""minmax_decimate: bounded output that keeps extremes, spikes and gaps."""

import numpy as np
import pytest

from nbcallbacks.records.decimation import minmax_decimate

N = 1_000_000


@pytest.fixture(scope="module")
def noisy():
    rng = np.random.default_rng(1)
    x = np.arange(N, dtype=np.float64)
    y = np.cumsum(rng.normal(size=N)).astype(np.float32)
    return x, y


def _finite_part(ys):
    return ys[np.isfinite(ys)]


@pytest.mark.parametrize("max_points", [2, 3, 100, 2000, 5001])
def test_output_size_is_bounded_for_a_million_points(noisy, max_points):
    x, y = noisy
    xs, ys = minmax_decimate(x, y, max_points)
    assert len(xs) == len(ys)
    assert len(ys) <= max_points  # no non-finite input, so no gap markers
    assert len(ys) >= max_points // 2  # and not degenerate either
    assert not np.isnan(ys).any()


def test_global_min_and_max_appear_in_output(noisy):
    x, y = noisy
    xs, ys = minmax_decimate(x, y, 2000)
    assert ys.min() == float(y.min())
    assert ys.max() == float(y.max())
    # ...at the x where they occurred.
    assert xs[np.argmin(ys)] == x[np.argmin(y)]
    assert xs[np.argmax(ys)] == x[np.argmax(y)]


def test_every_bin_keeps_its_min_and_max():
    rng = np.random.default_rng(2)
    n, max_points = 100_000, 200
    x = np.arange(n, dtype=np.float64)
    y = rng.normal(size=n)
    xs, ys = minmax_decimate(x, y, max_points)
    size = -(-n // (max_points // 2))
    for start in range(0, n, size):
        chunk = y[start:start + size]
        inside = (xs >= start) & (xs < start + size)
        assert ys[inside].min() == chunk.min()
        assert ys[inside].max() == chunk.max()
        assert inside.sum() <= 2


def test_single_spike_in_a_million_points_stays_visible():
    x = np.arange(N, dtype=np.float64)
    y = np.zeros(N)
    spike_at = 654_321
    y[spike_at] = 50.0
    y[123_457] = -3.0  # and a dip
    xs, ys = minmax_decimate(x, y, 2000)
    assert 50.0 in ys.tolist() and -3.0 in ys.tolist()
    assert xs[ys.tolist().index(50.0)] == spike_at
    assert xs[ys.tolist().index(-3.0)] == 123_457


def test_nan_and_inf_become_gaps_never_inf(noisy):
    x, y = noisy
    y = y.astype(np.float64).copy()
    y[10_000] = np.nan
    y[500_000] = np.inf
    y[900_000] = -np.inf
    xs, ys = minmax_decimate(x, y, 2000)
    assert not np.isinf(ys).any()
    gap_x = xs[np.isnan(ys)]
    bin_size = -(-N // 1000)
    # one NaN marker per affected bin, placed at (the end of) that bin
    assert len(gap_x) == 3
    for bad in (10_000, 500_000, 900_000):
        assert ((gap_x >= bad) & (gap_x < bad + bin_size)).sum() == 1
    # The finite extremes are still those of the finite values.
    finite = y[np.isfinite(y)]
    assert _finite_part(ys).min() == finite.min()
    assert _finite_part(ys).max() == finite.max()
    assert len(_finite_part(ys)) <= 2000


def test_bins_that_are_entirely_non_finite_give_nan_only():
    x = np.arange(10_000, dtype=np.float64)
    y = np.ones(10_000)
    y[:5_000] = np.nan
    y[5_000:6_000] = np.inf
    xs, ys = minmax_decimate(x, y, 100)
    assert not np.isinf(ys).any()
    assert np.isnan(ys[xs < 6_000]).all()
    assert (ys[xs >= 6_100] == 1.0).all()


def test_all_nan_series_returns_only_gaps():
    xs, ys = minmax_decimate(np.arange(5_000.0), np.full(5_000, np.nan), 100)
    assert len(ys) > 0 and np.isnan(ys).all()


def test_short_series_returned_unchanged():
    x = np.array([0.0, 1.0, 2.5, 4.0])
    y = np.array([3.0, -1.0, 2.0, 7.0])
    xs, ys = minmax_decimate(x, y, max_points=4)
    np.testing.assert_array_equal(xs, x)
    np.testing.assert_array_equal(ys, y)


def test_short_series_turns_inf_into_nan_and_keeps_nan():
    x = np.arange(4.0)
    y = np.array([1.0, np.inf, np.nan, -np.inf])
    xs, ys = minmax_decimate(x, y, max_points=10)
    np.testing.assert_array_equal(xs, x)
    assert ys[0] == 1.0 and np.isnan(ys[1:]).all()
    assert y[1] == np.inf  # the input is not modified


def test_empty_series():
    xs, ys = minmax_decimate(np.empty(0), np.empty(0), 10)
    assert len(xs) == 0 and len(ys) == 0


@pytest.mark.parametrize("n", [2_001, 2_002, 4_001, 99_999, 1_000_001])
def test_x_stays_non_decreasing_with_gaps_and_partial_last_bin(n):
    rng = np.random.default_rng(n)
    x = np.cumsum(rng.uniform(0.1, 2.0, size=n))  # uneven spacing
    y = rng.normal(size=n)
    y[rng.integers(0, n, size=20)] = np.nan
    y[rng.integers(0, n, size=5)] = np.inf
    xs, ys = minmax_decimate(x, y, 2000)
    assert (np.diff(xs) >= 0).all()
    assert xs[0] >= x[0] and xs[-1] <= x[-1]
    assert not np.isinf(ys).any()
    assert len(_finite_part(ys)) <= 2000
    assert len(ys) <= 3000  # + at most one gap marker per bin
    finite = y[np.isfinite(y)]
    assert _finite_part(ys).min() == finite.min()
    assert _finite_part(ys).max() == finite.max()


def test_decimated_points_are_actual_samples(noisy):
    """Every output point is a real (x, y) pair of the input, not an average."""
    x, y = noisy
    xs, ys = minmax_decimate(x, y, 500)
    index = xs.astype(np.int64)
    np.testing.assert_array_equal(ys, y[index].astype(np.float64))
