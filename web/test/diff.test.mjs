// The line diff of the version comparison screen (app/diff.js): applying
// it gives back both texts, and it is a shortest edit script (checked
// against the longest common subsequence computed the slow way).
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { diffLines, lines } from '../app/diff.js';

function sides(d) {
  return [d.filter((e) => e.op !== 'add').map((e) => e.text), d.filter((e) => e.op !== 'del').map((e) => e.text)];
}

function lcs(a, b) {
  const t = Array.from({ length: a.length + 1 }, () => new Array(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      t[i][j] = a[i] === b[j] ? t[i + 1][j + 1] + 1 : Math.max(t[i + 1][j], t[i][j + 1]);
    }
  }
  return t[0][0];
}

// A deterministic pseudo-random sequence (xorshift), so a failure repeats.
function rng(seed) {
  let x = seed;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

test('a diff gives back both texts and keeps as many lines as possible', () => {
  const r = rng(12345);
  for (let t = 0; t < 500; t++) {
    const gen = () => Array.from({ length: Math.floor(r() * 15) }, () => 'abcde'[Math.floor(r() * 5)]);
    const a = gen();
    const b = gen();
    const d = diffLines(a, b);
    assert.deepEqual(sides(d), [a, b]);
    assert.equal(d.filter((e) => e.op === 'same').length, lcs(a, b));
  }
});

test('a changed line is one removal and one addition between kept lines', () => {
  assert.deepEqual(diffLines(lines('a\nb\nc'), lines('a\nx\nc')), [
    { op: 'same', text: 'a' },
    { op: 'del', text: 'b' },
    { op: 'add', text: 'x' },
    { op: 'same', text: 'c' },
  ]);
});

test('empty texts and line breaks of every kind', () => {
  assert.deepEqual(lines(''), []);
  assert.deepEqual(lines('a\r\nb\rc\nd'), ['a', 'b', 'c', 'd']);
  assert.deepEqual(diffLines([], []), []);
  assert.deepEqual(diffLines([], ['x']), [{ op: 'add', text: 'x' }]);
  assert.deepEqual(diffLines(['x'], []), [{ op: 'del', text: 'x' }]);
});
