package assess

import (
	"sync"
	"time"
)

// ttlCache remembers look-ups (credentials, sessions) for a short time so
// that an authenticated request costs no store read. A revoke or logout
// through this instance ends the key at once: the entry goes and a
// tombstone takes its place, so that a request that read the old value
// before the change cannot cache it again afterwards (its put is dropped)
// and every look-up answers "none" until the tombstone passes, by which
// time the store has forgotten the key too. Other instances see such a
// change within the TTL.
type ttlCache[V any] struct {
	ttl time.Duration
	now func() time.Time

	mu      sync.Mutex
	entries map[string]ttlEntry[V]
	// ended holds the keys ended here, until when they stay ended. It is
	// never cleared wholesale (entries may be): only passed tombstones go.
	ended map[string]time.Time
}

type ttlEntry[V any] struct {
	value   V
	expires time.Time
}

// maxCacheEntries bounds memory: past it, expired entries are swept.
const maxCacheEntries = 10000

func newTTLCache[V any](ttl time.Duration, now func() time.Time) *ttlCache[V] {
	return &ttlCache[V]{ttl: ttl, now: now, entries: map[string]ttlEntry[V]{}, ended: map[string]time.Time{}}
}

// get returns the cached value of key; an ended key is cached as the zero
// value (none).
func (c *ttlCache[V]) get(key string) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.isEnded(key) {
		var zero V
		return zero, true
	}
	e, ok := c.entries[key]
	if !ok || c.now().After(e.expires) {
		var zero V
		return zero, false
	}
	return e.value, true
}

// put caches v for key, unless key has been ended.
func (c *ttlCache[V]) put(key string, v V) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.isEnded(key) {
		return
	}
	now := c.now()
	if len(c.entries) >= maxCacheEntries {
		for k, e := range c.entries {
			if now.After(e.expires) {
				delete(c.entries, k)
			}
		}
		if len(c.entries) >= maxCacheEntries {
			clear(c.entries)
		}
	}
	c.entries[key] = ttlEntry[V]{value: v, expires: now.Add(c.ttl)}
}

// forget ends key for the cache's TTL (revoke, logout).
func (c *ttlCache[V]) forget(key string) { c.end(key, c.ttl) }

// end drops key and refuses it for d: look-ups answer none and puts are
// dropped. Ending a key again never shortens its tombstone.
func (c *ttlCache[V]) end(key string, d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.now()
	delete(c.entries, key)
	if len(c.ended) >= maxCacheEntries {
		for k, until := range c.ended {
			if !now.Before(until) {
				delete(c.ended, k)
			}
		}
	}
	if until := now.Add(d); until.After(c.ended[key]) {
		c.ended[key] = until
	}
}

// isEnded reports whether key has a live tombstone, sweeping a passed one.
// The caller holds c.mu.
func (c *ttlCache[V]) isEnded(key string) bool {
	until, ok := c.ended[key]
	if !ok {
		return false
	}
	if c.now().Before(until) {
		return true
	}
	delete(c.ended, key)
	return false
}

// drop forgets the cached value of key without refusing it afterwards: the
// next look-up reads the store again.
func (c *ttlCache[V]) drop(key string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.entries, key)
}
