// assert.js — the few checks the JavaScript tests need (they run in Chromium, no Node).
// Every helper throws an Error whose message says what differed.

/** Format a value for a failure message (NaN, -0, typed arrays readable). */
export function show(value) {
  if (typeof value === "number") return Object.is(value, -0) ? "-0" : String(value);
  if (ArrayBuffer.isView(value)) return `${value.constructor.name}[${Array.from(value).map(show).join(", ")}]`;
  if (Array.isArray(value)) return `[${value.map(show).join(", ")}]`;
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}

function fail(message, note) {
  throw new Error(note ? `${note}: ${message}` : message);
}

/** Same value (Object.is, so NaN equals NaN). */
export function equal(actual, expected, note) {
  if (!Object.is(actual, expected)) fail(`expected ${show(expected)}, got ${show(actual)}`, note);
}

/** Truthy. */
export function ok(value, note) {
  if (!value) fail(`expected a true value, got ${show(value)}`, note);
}

/** Numbers within `tolerance` (absolute); NaN matches NaN; arrays compared item by item. */
export function close(actual, expected, tolerance = 1e-9, note) {
  if (typeof expected === "number") {
    const same = Number.isNaN(expected) ? Number.isNaN(actual) : Math.abs(actual - expected) <= tolerance ||
      actual === expected;
    if (!same) fail(`expected ${show(expected)} ± ${tolerance}, got ${show(actual)}`, note);
    return;
  }
  if (actual == null || actual.length !== expected.length) {
    fail(`expected ${expected.length} values ${show(expected)}, got ${show(actual)}`, note);
  }
  for (let i = 0; i < expected.length; i++) {
    close(actual[i], expected[i], tolerance, `${note || "value"} [${i}]`);
  }
}

/** Structural equality of plain data (arrays, typed arrays, objects, NaN-aware numbers). */
export function deepEqual(actual, expected, note) {
  const same = (a, b) => {
    if (typeof a === "number" && typeof b === "number") return Object.is(a, b) || a === b;
    if (ArrayBuffer.isView(a) || ArrayBuffer.isView(b)) a = Array.from(a), b = Array.from(b);
    if (Array.isArray(a) || Array.isArray(b)) {
      return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((v, i) => same(v, b[i]));
    }
    if (a && b && typeof a === "object" && typeof b === "object") {
      const keys = Object.keys(a);
      return keys.length === Object.keys(b).length && keys.every((k) => same(a[k], b[k]));
    }
    return Object.is(a, b);
  };
  if (!same(actual, expected)) fail(`expected ${show(expected)}, got ${show(actual)}`, note);
}

/** `fn()` throws (and, when given, an error whose message matches `pattern`). */
export function throws(fn, pattern, note) {
  try {
    fn();
  } catch (error) {
    if (pattern && !pattern.test(String(error && error.message))) {
      fail(`threw "${error.message}", not matching ${pattern}`, note);
    }
    return error;
  }
  fail("expected an exception, none was thrown", note);
}
