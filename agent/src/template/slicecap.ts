// The capacity Go's append leaves a slice with, for what spew prints as `cap=N`.
//
// encoding/json builds every array it decodes by appending one element at a time (into
// []interface{}, and through reflect.Value.Grow into a []string field), so the capacity of a decoded
// slice follows the runtime's growth rule (runtime.nextslicecap) rounded up to a malloc size class
// (runtime.roundupsize), not its length.

/** Go's small-object size classes (internal/runtime/gc/sizeclasses.go), in bytes. */
const SIZE_CLASSES = [
  0, 8, 16, 24, 32, 48, 64, 80, 96, 112, 128, 144, 160, 176, 192, 208, 224, 240, 256, 288, 320, 352, 384, 416, 448, 480, 512, 576, 640,
  704, 768, 896, 1024, 1152, 1280, 1408, 1536, 1792, 2048, 2304, 2688, 3072, 3200, 3456, 4096, 4864, 5376, 6144, 6528, 6784, 6912, 8192,
  9472, 9728, 10240, 10880, 12288, 13568, 14336, 16384, 18432, 19072, 20480, 21760, 24576, 27264, 28672, 32768,
];
const MAX_SMALL_SIZE = 32768;
const MALLOC_HEADER_SIZE = 8;
/** Objects with pointers above this size carry an 8-byte malloc header. */
const MIN_SIZE_FOR_MALLOC_HEADER = 512;
const PAGE_SIZE = 8192;

function nextSliceCap(newLen: number, oldCap: number): number {
  const doubled = oldCap * 2;
  if (newLen > doubled) return newLen;
  if (oldCap < 256) return doubled;
  let newCap = oldCap;
  while (newCap < newLen) newCap += Math.floor((newCap + 3 * 256) / 4);
  return newCap;
}

/** runtime.roundupsize */
function roundUpSize(size: number, hasPointers: boolean): number {
  if (size <= MAX_SMALL_SIZE - MALLOC_HEADER_SIZE) {
    const request = hasPointers && size > MIN_SIZE_FOR_MALLOC_HEADER ? size + MALLOC_HEADER_SIZE : size;
    const sizeClass = SIZE_CLASSES.find((classSize) => classSize >= request) ?? MAX_SMALL_SIZE;
    return sizeClass - (request - size);
  }
  return Math.ceil(size / PAGE_SIZE) * PAGE_SIZE;
}

/** The capacity append gives when `newLen` elements no longer fit in `oldCap` (runtime.growslice):
 *  by default 16-byte elements holding pointers (interface{}, string); []int is (8, false). */
export function grownCapacity(oldCap: number, newLen: number, elementSize = 16, hasPointers = true): number {
  if (newLen <= oldCap) return oldCap;
  return Math.floor(roundUpSize(nextSliceCap(newLen, oldCap) * elementSize, hasPointers) / elementSize);
}

/** The capacity of a slice of `length` elements built by appending one at a time, from empty (or
 *  from `initialCapacity`, as make([]T, 0, n) leaves it). */
export function appendedCapacity(length: number, elementSize = 16, hasPointers = true, initialCapacity = 0): number {
  let capacity = initialCapacity;
  for (let len = capacity + 1; len <= length; len++) capacity = grownCapacity(capacity, len, elementSize, hasPointers);
  return capacity;
}
