// Row heights of a virtual list in a Fenwick tree: the offset of any row, the
// row at any scroll offset and the total height each cost O(log n), so a
// 100,000-row thread stays smooth as rows are measured one by one.

export class HeightIndex {
  #n = 0;
  #heights = new Float64Array(0);
  #tree = new Float64Array(1);
  readonly estimate: number;

  constructor(count: number, estimate: number) {
    this.estimate = estimate;
    this.resize(count);
  }

  get size(): number {
    return this.#n;
  }

  /** Grows or shrinks to `count` rows; new rows take the estimate. O(n). */
  resize(count: number): void {
    const heights = new Float64Array(count);
    heights.set(this.#heights.subarray(0, Math.min(count, this.#n)));
    heights.fill(this.estimate, Math.min(count, this.#n));
    this.#n = count;
    this.#heights = heights;
    // Linear-time build: each node passes its sum to its parent.
    const tree = new Float64Array(count + 1);
    for (let i = 1; i <= count; i++) {
      tree[i] += heights[i - 1];
      const parent = i + (i & -i);
      if (parent <= count) tree[parent] += tree[i];
    }
    this.#tree = tree;
  }

  /** Height of row `i`. */
  height(i: number): number {
    return this.#heights[i] ?? this.estimate;
  }

  /** Sets row `i`'s height; returns the change. */
  set(i: number, height: number): number {
    if (i < 0 || i >= this.#n) return 0;
    const delta = height - this.#heights[i];
    if (delta === 0) return 0;
    this.#heights[i] = height;
    for (let k = i + 1; k <= this.#n; k += k & -k) this.#tree[k] += delta;
    return delta;
  }

  /** Sum of the heights of rows before `i`. */
  offsetOf(i: number): number {
    let sum = 0;
    for (let k = Math.min(i, this.#n); k > 0; k -= k & -k) sum += this.#tree[k];
    return sum;
  }

  /** Total height of all rows. */
  total(): number {
    return this.offsetOf(this.#n);
  }

  /** The row that covers `offset` (clamped to the first and last rows). */
  indexAt(offset: number): number {
    if (this.#n === 0) return 0;
    let pos = 0;
    let rest = offset;
    let step = 1;
    while (step * 2 <= this.#n) step *= 2;
    for (; step > 0; step >>= 1) {
      const next = pos + step;
      if (next <= this.#n && this.#tree[next] <= rest) {
        pos = next;
        rest -= this.#tree[next];
      }
    }
    return Math.min(pos, this.#n - 1);
  }
}
