// Go's sort.Sort (pattern-defeating quicksort, Go 1.19 and later), step for step: it is not
// stable, so where elements compare equal the order Go leaves them in is part of the result
// (go-sockaddr's `sort` and its GetPrivateIP choice depend on it). Deterministic: its pattern
// breaker uses a xorshift seeded with the length.

type Less = (i: number, j: number) => boolean;

interface Data {
  less: Less;
  swap(i: number, j: number): void;
}

const MASK64 = (1n << 64n) - 1n;
/** bits.Len */
function bitLength(n: number): number {
  let bits = 0;
  for (let v = n; v > 0; v = Math.floor(v / 2)) bits++;
  return bits;
}

/** Sorts items in place exactly as Go's sort.Sort would with this Less. */
export function goSort<T>(items: T[], less: (a: T, b: T) => boolean): void {
  const n = items.length;
  if (n <= 1) return;
  const data: Data = {
    less: (i, j) => less(items[i]!, items[j]!),
    swap: (i, j) => { const t = items[i]!; items[i] = items[j]!; items[j] = t; },
  };
  pdqsort(data, 0, n, bitLength(n));
}

function insertionSort(data: Data, a: number, b: number): void {
  for (let i = a + 1; i < b; i++) for (let j = i; j > a && data.less(j, j - 1); j--) data.swap(j, j - 1);
}

function siftDown(data: Data, lo: number, hi: number, first: number): void {
  let root = lo;
  for (;;) {
    let child = 2 * root + 1;
    if (child >= hi) return;
    if (child + 1 < hi && data.less(first + child, first + child + 1)) child++;
    if (!data.less(first + root, first + child)) return;
    data.swap(first + root, first + child);
    root = child;
  }
}

function heapSort(data: Data, a: number, b: number): void {
  const first = a, hi = b - a;
  for (let i = Math.floor((hi - 1) / 2); i >= 0; i--) siftDown(data, i, hi, first);
  for (let i = hi - 1; i >= 0; i--) {
    data.swap(first, first + i);
    siftDown(data, 0, i, first);
  }
}

const UNKNOWN = 0, INCREASING = 1, DECREASING = 2;

function pdqsort(data: Data, a: number, b: number, limit: number): void {
  let wasBalanced = true, wasPartitioned = true;
  for (;;) {
    const length = b - a;
    if (length <= 12) {
      insertionSort(data, a, b);
      return;
    }
    if (limit === 0) {
      heapSort(data, a, b);
      return;
    }
    if (!wasBalanced) {
      breakPatterns(data, a, b);
      limit--;
    }
    let [pivot, hint] = choosePivot(data, a, b);
    if (hint === DECREASING) {
      reverseRange(data, a, b);
      pivot = (b - 1) - (pivot - a);
      hint = INCREASING;
    }
    if (wasBalanced && wasPartitioned && hint === INCREASING && partialInsertionSort(data, a, b)) return;
    if (a > 0 && !data.less(a - 1, pivot)) {
      a = partitionEqual(data, a, b, pivot);
      continue;
    }
    const [mid, alreadyPartitioned] = partition(data, a, b, pivot);
    wasPartitioned = alreadyPartitioned;
    const leftLen = mid - a, rightLen = b - mid;
    const balanceThreshold = Math.floor(length / 8);
    if (leftLen < rightLen) {
      wasBalanced = leftLen >= balanceThreshold;
      pdqsort(data, a, mid, limit);
      a = mid + 1;
    } else {
      wasBalanced = rightLen >= balanceThreshold;
      pdqsort(data, mid + 1, b, limit);
      b = mid;
    }
  }
}

function partition(data: Data, a: number, b: number, pivot: number): [number, boolean] {
  data.swap(a, pivot);
  let i = a + 1, j = b - 1;
  while (i <= j && data.less(i, a)) i++;
  while (i <= j && !data.less(j, a)) j--;
  if (i > j) {
    data.swap(j, a);
    return [j, true];
  }
  data.swap(i, j);
  i++;
  j--;
  for (;;) {
    while (i <= j && data.less(i, a)) i++;
    while (i <= j && !data.less(j, a)) j--;
    if (i > j) break;
    data.swap(i, j);
    i++;
    j--;
  }
  data.swap(j, a);
  return [j, false];
}

function partitionEqual(data: Data, a: number, b: number, pivot: number): number {
  data.swap(a, pivot);
  let i = a + 1, j = b - 1;
  for (;;) {
    while (i <= j && !data.less(a, i)) i++;
    while (i <= j && data.less(a, j)) j--;
    if (i > j) break;
    data.swap(i, j);
    i++;
    j--;
  }
  return i;
}

function partialInsertionSort(data: Data, a: number, b: number): boolean {
  const maxSteps = 5, shortestShifting = 50;
  let i = a + 1;
  for (let step = 0; step < maxSteps; step++) {
    while (i < b && !data.less(i, i - 1)) i++;
    if (i === b) return true;
    if (b - a < shortestShifting) return false;
    data.swap(i, i - 1);
    if (i - a >= 2) {
      for (let j = i - 1; j >= 1; j--) {
        if (!data.less(j, j - 1)) break;
        data.swap(j, j - 1);
      }
    }
    if (b - i >= 2) {
      for (let j = i + 1; j < b; j++) {
        if (!data.less(j, j - 1)) break;
        data.swap(j, j - 1);
      }
    }
  }
  return false;
}

function breakPatterns(data: Data, a: number, b: number): void {
  const length = b - a;
  if (length < 8) return;
  let random = BigInt(length);
  const next = (): bigint => {
    random ^= (random << 13n) & MASK64;
    random ^= random >> 7n;
    random ^= (random << 17n) & MASK64;
    return random;
  };
  const modulus = 2 ** bitLength(length);
  const middle = a + Math.floor(length / 4) * 2;
  for (let idx = middle - 1; idx <= middle + 1; idx++) {
    let other = Number(next() & BigInt(modulus - 1));
    if (other >= length) other -= length;
    data.swap(idx, a + other);
  }
}

function choosePivot(data: Data, a: number, b: number): [number, number] {
  const shortestNinther = 50, maxSwaps = 4 * 3;
  const l = b - a;
  const swaps = { count: 0 };
  const quarter = Math.floor(l / 4);
  let i = a + quarter, j = a + quarter * 2, k = a + quarter * 3;
  if (l >= 8) {
    if (l >= shortestNinther) {
      i = medianAdjacent(data, i, swaps);
      j = medianAdjacent(data, j, swaps);
      k = medianAdjacent(data, k, swaps);
    }
    j = median(data, i, j, k, swaps);
  }
  return [j, swaps.count === 0 ? INCREASING : swaps.count === maxSwaps ? DECREASING : UNKNOWN];
}

function order2(data: Data, a: number, b: number, swaps: { count: number }): [number, number] {
  if (data.less(b, a)) {
    swaps.count++;
    return [b, a];
  }
  return [a, b];
}

function median(data: Data, a: number, b: number, c: number, swaps: { count: number }): number {
  [a, b] = order2(data, a, b, swaps);
  [b, c] = order2(data, b, c, swaps);
  [a, b] = order2(data, a, b, swaps);
  return b;
}

const medianAdjacent = (data: Data, a: number, swaps: { count: number }): number => median(data, a - 1, a, a + 1, swaps);

function reverseRange(data: Data, a: number, b: number): void {
  for (let i = a, j = b - 1; i < j; i++, j--) data.swap(i, j);
}
