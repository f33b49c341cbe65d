import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
  MAX_SIZE,
  consistencyProof,
  emptyRoot,
  inclusionProof,
  leafHash,
  nodeHash,
  rootOf,
  splitProof,
  verifyConsistency,
  verifyInclusion,
} from '../app/merkle.js';
import { hex, toHex, vectors } from '../testlib/vectors.mjs';

const v = vectors('merkle');
const hashes = v.leaves.map((l) => leafHash(hex(l)));
const roots = v.roots.map(hex);
const path = (c) => c.path.map(hex);

// The proof with byte `at` of hash `i` flipped.
function flipped(proof, i, at = 0) {
  const out = proof.map((p) => p.slice());
  out[i][at] ^= 1;
  return out;
}

test('every merkle.json leaf hashes to its level-0 node', () => {
  assert.equal(v.leaves.length, 8);
  assert.deepEqual(hashes.map(toHex), v.nodes[0]);
});

test('every merkle.json node is the root of its aligned block of leaves', () => {
  let count = 0;
  v.nodes.forEach((level, k) => {
    level.forEach((h, i) => {
      const w = 2 ** k;
      assert.equal(toHex(rootOf(hashes, i * w, (i + 1) * w)), h);
      if (k > 0) {
        const left = hex(v.nodes[k - 1][2 * i]);
        const right = hex(v.nodes[k - 1][2 * i + 1]);
        assert.equal(toHex(nodeHash(left, right)), h);
      }
      count++;
    });
  });
  assert.equal(count, 15);
});

test('every merkle.json root is the tree hash of the first n leaves, the empty one included', () => {
  assert.equal(roots.length, 9);
  assert.equal(toHex(emptyRoot()), v.roots[0]);
  roots.forEach((r, n) => assert.equal(toHex(rootOf(hashes, 0, n)), toHex(r)));
});

test('every merkle.json inclusion proof is reproduced and verifies', () => {
  assert.equal(v.inclusion.length, 7);
  for (const c of v.inclusion) {
    assert.deepEqual(inclusionProof(hashes, c.index, c.size).map(toHex), c.path, `${c.index} of ${c.size}`);
    assert.ok(verifyInclusion(hashes[c.index], c.index, c.size, path(c), roots[c.size]));
    // BigInt sizes and a concatenated proof are the same thing.
    const flat = hex(c.path.join(''));
    assert.ok(verifyInclusion(hashes[c.index], BigInt(c.index), BigInt(c.size), flat, roots[c.size]));
  }
});

test('every merkle.json inclusion proof is refused once any of its hashes changes', () => {
  for (const c of v.inclusion) {
    const p = path(c);
    for (let i = 0; i < p.length; i++) {
      for (const at of [0, 31]) {
        assert.equal(verifyInclusion(hashes[c.index], c.index, c.size, flipped(p, i, at), roots[c.size]), false);
      }
    }
  }
});

test('every merkle.json inclusion proof is refused for another leaf, index, size or root', () => {
  for (const c of v.inclusion) {
    const p = path(c);
    const r = roots[c.size];
    const other = hashes[(c.index + 1) % 8];
    assert.equal(verifyInclusion(other, c.index, c.size, p, r), false, 'another leaf');
    const bad = hashes[c.index].slice();
    bad[7] ^= 0x80;
    assert.equal(verifyInclusion(bad, c.index, c.size, p, r), false, 'a changed leaf hash');
    if (c.size > 1) {
      assert.equal(verifyInclusion(hashes[c.index], (c.index + 1) % c.size, c.size, p, r), false, 'another index');
    }
    assert.equal(verifyInclusion(hashes[c.index], c.index, c.size, p, roots[(c.size % 8) + 1]), false, 'another root');
    assert.equal(verifyInclusion(hashes[c.index], c.index, c.size + 1, p, roots[c.size + 1] ?? r), false, 'another size');
    assert.equal(verifyInclusion(hashes[c.index], c.size, c.size, p, r), false, 'index = size');
    assert.equal(verifyInclusion(hashes[c.index], c.index, c.size, [...p, r], r), false, 'lengthened');
    if (p.length > 0) {
      assert.equal(verifyInclusion(hashes[c.index], c.index, c.size, p.slice(1), r), false, 'shortened');
      assert.equal(verifyInclusion(hashes[c.index], c.index, c.size, p.slice(0, -1), r), false, 'cut');
    }
    if (p.length > 1) {
      assert.equal(verifyInclusion(hashes[c.index], c.index, c.size, [...p].reverse(), r), false, 'reordered');
    }
  }
});

test('inclusion proofs refuse sizes beyond 2^63, more than 64 hashes and malformed hashes', () => {
  const c = v.inclusion[5];
  assert.equal(verifyInclusion(hashes[0], 0n, MAX_SIZE + 1n, path(c), roots[8]), false);
  assert.equal(verifyInclusion(hashes[0], 0, 8, new Array(65).fill(hashes[0]), roots[8]), false);
  assert.equal(verifyInclusion(hashes[0], 0, 8, [hashes[1], hashes[2], hashes[3].subarray(1)], roots[8]), false);
  assert.equal(verifyInclusion(hashes[0], -1, 8, path(c), roots[8]), false);
  assert.equal(verifyInclusion(hashes[0], 0.5, 8, path(c), roots[8]), false);
  assert.throws(() => splitProof(new Uint8Array(33)), RangeError);
  assert.throws(() => splitProof(new Uint8Array(65 * 32)), RangeError);
});

test('a proof of leaf 0 in a tree of 5 is checked by the same hashes as in a tree of 6', () => {
  // The root does not commit to the size (docs/PROTOCOL.md, "What a proof
  // binds"): the genuine root of 6 refuses the proof of 5.
  const six = [...hashes.slice(0, 6)];
  const p5 = inclusionProof(six, 0, 5);
  assert.ok(verifyInclusion(six[0], 0, 5, p5, rootOf(six, 0, 5)));
  assert.equal(verifyInclusion(six[0], 0, 6, p5, rootOf(six, 0, 6)), false);
});

test('every merkle.json consistency proof is reproduced and verifies', () => {
  assert.equal(v.consistency.length, 5);
  for (const c of v.consistency) {
    assert.deepEqual(consistencyProof(hashes, c.size1, c.size2).map(toHex), c.path, `${c.size1} to ${c.size2}`);
    assert.ok(verifyConsistency(c.size1, c.size2, roots[c.size1], roots[c.size2], path(c)));
    assert.ok(verifyConsistency(BigInt(c.size1), BigInt(c.size2), roots[c.size1], roots[c.size2], hex(c.path.join(''))));
  }
});

test('every merkle.json consistency proof is refused once any of its hashes changes', () => {
  for (const c of v.consistency) {
    const p = path(c);
    for (let i = 0; i < p.length; i++) {
      for (const at of [0, 31]) {
        assert.equal(verifyConsistency(c.size1, c.size2, roots[c.size1], roots[c.size2], flipped(p, i, at)), false);
      }
    }
  }
});

test('every merkle.json consistency proof is refused for other roots or sizes, and shortened or lengthened', () => {
  for (const c of v.consistency) {
    const p = path(c);
    const r1 = roots[c.size1];
    const r2 = roots[c.size2];
    const other1 = roots[(c.size1 % 8) + 1];
    const other2 = roots[(c.size2 % 8) + 1];
    assert.equal(verifyConsistency(c.size1, c.size2, other1, r2, p), false, 'another old root');
    assert.equal(verifyConsistency(c.size1, c.size2, r1, other2, p), false, 'another new root');
    assert.equal(verifyConsistency(c.size1, c.size2, r1, r2, [...p, r2]), false, 'lengthened');
    if (p.length > 0) {
      assert.equal(verifyConsistency(c.size1, c.size2, r1, r2, p.slice(1)), false, 'shortened');
      assert.equal(verifyConsistency(c.size1, c.size2, r1, r2, p.slice(0, -1)), false, 'cut');
    }
    if (p.length > 1) assert.equal(verifyConsistency(c.size1, c.size2, r1, r2, [...p].reverse()), false, 'reordered');
    if (c.size2 < 8) {
      assert.equal(verifyConsistency(c.size1, c.size2 + 1, r1, roots[c.size2 + 1], p), false, 'another new size');
    }
    if (c.size1 > 1) assert.equal(verifyConsistency(c.size1 - 1, c.size2, roots[c.size1 - 1], r2, p), false, 'another old size');
  }
});

test('consistency from the empty tree, backwards, or beyond 2^63 is refused', () => {
  assert.equal(verifyConsistency(0, 8, roots[0], roots[8], []), false);
  assert.equal(verifyConsistency(0, 0, roots[0], roots[0], []), false);
  assert.equal(verifyConsistency(8, 6, roots[8], roots[6], path(v.consistency[2])), false);
  assert.equal(verifyConsistency(1n, MAX_SIZE + 1n, roots[1], roots[8], path(v.consistency[1])), false);
  assert.throws(() => consistencyProof(hashes, 0, 8), RangeError);
  assert.throws(() => consistencyProof(hashes, 3, 2), RangeError);
});

test('equal sizes need an empty proof and equal roots', () => {
  assert.ok(verifyConsistency(5, 5, roots[5], roots[5], []));
  assert.equal(verifyConsistency(5, 5, roots[5], roots[4], []), false);
  assert.equal(verifyConsistency(5, 5, roots[5], roots[5], [roots[5]]), false);
});

test('every consistency proof between two sizes of the vector leaves is reproduced and verifies', () => {
  for (let m = 1; m <= 8; m++) {
    for (let n = m; n <= 8; n++) {
      const p = consistencyProof(hashes, m, n);
      assert.ok(verifyConsistency(m, n, roots[m], roots[n], p), `${m} to ${n}`);
      for (let i = 0; i < m; i++) {
        assert.ok(verifyInclusion(hashes[i], i, n, inclusionProof(hashes, i, n), roots[n]));
      }
    }
  }
});
