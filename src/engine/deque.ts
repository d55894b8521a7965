/**
 * A double-ended queue on a growable ring buffer: push and shift at either end in O(1)
 * (amortized), where an array's `shift`/`unshift` cost O(n) once it holds many items. The
 * capacity is always a power of two, so an index wraps with a mask rather than a division.
 */
export class Deque<T> {
  private items: (T | undefined)[] = new Array(16);
  private head = 0;
  length = 0;

  /** Adds `item` at the back. */
  push(item: T): void {
    if (this.length === this.items.length) this.grow();
    this.items[(this.head + this.length) & (this.items.length - 1)] = item;
    this.length++;
  }

  /** Adds `item` at the front. */
  unshift(item: T): void {
    if (this.length === this.items.length) this.grow();
    this.head = (this.head - 1) & (this.items.length - 1);
    this.items[this.head] = item;
    this.length++;
  }

  /** Removes and returns the front item (undefined when empty). */
  shift(): T | undefined {
    if (this.length === 0) return undefined;
    const item = this.items[this.head];
    this.items[this.head] = undefined;
    this.head = (this.head + 1) & (this.items.length - 1);
    this.length--;
    return item;
  }

  /** The front item without removing it (undefined when empty). */
  peek(): T | undefined {
    return this.length === 0 ? undefined : this.items[this.head];
  }

  /** Removes every item, front to back, and returns them. */
  drain(): T[] {
    const out: T[] = [];
    for (let item = this.shift(); item !== undefined; item = this.shift()) out.push(item);
    return out;
  }

  private grow(): void {
    const bigger: (T | undefined)[] = new Array(this.items.length * 2);
    const mask = this.items.length - 1;
    for (let i = 0; i < this.length; i++) bigger[i] = this.items[(this.head + i) & mask];
    this.items = bigger;
    this.head = 0;
  }
}
