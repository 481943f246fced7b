// The part of mnemonist's LRUCache that @aws-sdk/endpoint-cache uses (DynamoDB's endpoint discovery cache),
// on a Map: 0.5 KB instead of 7 KB. test/unit/runtime/lruMap.test.ts compares it with mnemonist itself.
class LRUCache {
  constructor(capacity) {
    this.capacity = capacity;
    this.items = new Map();
  }
  get size() {
    return this.items.size;
  }
  has(key) {
    return this.items.has(key);
  }
  /** The value, without making it the most recently used. */
  peek(key) {
    return this.items.get(key);
  }
  get(key) {
    if (!this.items.has(key)) return undefined;
    const value = this.items.get(key);
    this.items.delete(key);
    this.items.set(key, value);
    return value;
  }
  set(key, value) {
    if (this.items.has(key)) this.items.delete(key);
    else if (this.items.size >= this.capacity) this.items.delete(this.items.keys().next().value);
    this.items.set(key, value);
    return this;
  }
  clear() {
    this.items.clear();
  }
}
module.exports = LRUCache;
module.exports.default = LRUCache;
