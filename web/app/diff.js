// A line diff (Myers, "An O(ND) Difference Algorithm and Its
// Variations", 1986): the shortest edit script between two texts, as a
// list of lines each kept, removed or added.

// Give up on an edit script longer than this and show the texts as all
// removed, then all added (still correct, only less precise).
const MAX_EDITS = 4000;

// The lines of `text` ("" has none).
export function lines(text) {
  return text === '' ? [] : text.split(/\r\n|\r|\n/);
}

// The diff of the line arrays `a` and `b`: [{op: "same" | "del" | "add",
// text}] in reading order.
export function diffLines(a, b) {
  const n = a.length;
  const m = b.length;
  const max = n + m;
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace = [];
  let found = false;
  for (let d = 0; d <= Math.min(max, MAX_EDITS) && !found; d++) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[offset + k - 1] < v[offset + k + 1]) ? v[offset + k + 1] : v[offset + k - 1] + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) {
        found = true;
        break;
      }
    }
  }
  if (!found) {
    return [...a.map((text) => ({ op: 'del', text })), ...b.map((text) => ({ op: 'add', text }))];
  }
  // Walk the trace back from (n, m).
  const out = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d >= 0; d--) {
    const vd = trace[d];
    const k = x - y;
    const prevK = k === -d || (k !== d && vd[offset + k - 1] < vd[offset + k + 1]) ? k + 1 : k - 1;
    const prevX = d === 0 ? 0 : vd[offset + prevK];
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      out.push({ op: 'same', text: a[x - 1] });
      x--;
      y--;
    }
    if (d > 0) {
      if (x === prevX) out.push({ op: 'add', text: b[y - 1] });
      else out.push({ op: 'del', text: a[x - 1] });
    }
    x = prevX;
    y = prevY;
  }
  return out.reverse();
}
