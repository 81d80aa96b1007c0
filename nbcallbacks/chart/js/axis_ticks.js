// axis_ticks.js — where the ticks of a log axis go, at any span.
//
// Mirrors nbcallbacks/render/log_ticks.py::log_tick_values. A learning rate that never
// changes, or a loss between 0.6 and 0.8, leaves a log axis well under a decade tall;
// decade ticks alone would then label nothing. So: 1-2-5 x 10^k when that gives a
// readable count, else powers of ten (thinned over many decades), else round values
// evenly spaced as on a linear axis.

const MIN_LOG_TICKS = 3;
const MAX_LOG_TICKS = 6;
const TWO_TICK_SPREAD = 0.4; // two 1-2-5 ticks suffice when this far apart (share of the axis)

/** 2 * 10 ** -3 is 0.0020000000000000005: the number it stands for. */
function roundNice(value) {
  return Number(value.toPrecision(12));
}

function ticksInRange(low, high, subs) {
  const ticks = [];
  const first = Math.floor(Math.log10(low));
  const last = Math.ceil(Math.log10(high));
  for (let exponent = first; exponent <= last; exponent++) {
    for (const sub of subs) {
      const tick = roundNice(sub * 10 ** exponent);
      // A hair of tolerance: limits are often exactly a tick.
      if (tick >= low * (1 - 1e-9) && tick <= high * (1 + 1e-9)) ticks.push(tick);
    }
  }
  return ticks;
}

/**
 * Round values from `low` to `high` spaced 1, 2 or 5 x 10^k, at most `maxTicks`.
 * @param {number} low
 * @param {number} high
 * @param {number} [maxTicks=6]
 * @returns {number[]}
 */
export function linearTicks(low, high, maxTicks = MAX_LOG_TICKS) {
  if (!(high > low)) return Number.isFinite(low) ? [low] : [];
  const rough = (high - low) / Math.max(1, maxTicks - 1);
  const power = 10 ** Math.floor(Math.log10(rough));
  let step = power * 10;
  for (const factor of [1, 2, 5, 10]) {
    if (power * factor >= rough) {
      step = power * factor;
      break;
    }
  }
  const ticks = [];
  for (let tick = Math.ceil(low / step - 1e-9) * step; tick <= high + step * 1e-9; tick += step) {
    ticks.push(roundNice(tick));
  }
  return ticks;
}

/**
 * Major tick positions for a log axis from `low` to `high`.
 *
 * logTickValues(1e-5, 1) -> [1e-5, 1e-4, 1e-3, 0.01, 0.1, 1];
 * logTickValues(0.0015, 0.012) -> [0.002, 0.005, 0.01]
 *
 * @param {number} low
 * @param {number} high
 * @param {number} [maxTicks=6]
 * @returns {number[]}
 */
export function logTickValues(low, high, maxTicks = MAX_LOG_TICKS) {
  [low, high] = [Math.min(low, high), Math.max(low, high)];
  if (!Number.isFinite(low) || !Number.isFinite(high) || high <= 0) return [];
  if (low <= 0) low = high / 1000;
  const decades = ticksInRange(low, high, [1]);
  const oneTwoFive = ticksInRange(low, high, [1, 2, 5]);
  if (oneTwoFive.length >= MIN_LOG_TICKS && oneTwoFive.length <= maxTicks) return oneTwoFive;
  for (const ticks of [decades, oneTwoFive]) {
    if (ticks.length >= MIN_LOG_TICKS) {
      const every = Math.ceil(ticks.length / maxTicks);
      return ticks.filter((_, i) => i % every === 0);
    }
  }
  if (oneTwoFive.length === 2 &&
      Math.log10(oneTwoFive[1] / oneTwoFive[0]) >= TWO_TICK_SPREAD * Math.log10(high / low)) {
    return oneTwoFive;
  }
  // Under about half a decade: round values evenly spaced, as on a linear axis.
  return linearTicks(low, high, maxTicks).filter((t) => t >= low && t <= high && t > 0);
}
