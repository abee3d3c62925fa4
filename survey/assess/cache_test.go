package assess

import (
	"fmt"
	"testing"
	"time"
)

// TestCacheEndedKeysStayEnded: a key ended (logout, revoke) answers none,
// a late put of the old value is dropped, the tombstone survives the
// cache filling up, and it passes after its time.
func TestCacheEndedKeysStayEnded(t *testing.T) {
	now := time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)
	c := newTTLCache[*int](5*time.Second, func() time.Time { return now })
	one := 1
	c.put("s", &one)
	c.forget("s")
	c.put("s", &one) // a request that read the value before the logout
	if v, ok := c.get("s"); !ok || v != nil {
		t.Fatalf("after forget and a late put: %v, %v", v, ok)
	}
	for i := range maxCacheEntries + 10 {
		c.put(fmt.Sprint("k", i), &one)
	}
	if v, ok := c.get("s"); !ok || v != nil {
		t.Fatalf("after the cache filled: %v, %v", v, ok)
	}
	c.end("long", time.Hour)
	c.forget("long") // ending again never shortens the tombstone
	now = now.Add(6 * time.Second)
	if _, ok := c.get("s"); ok {
		t.Fatal("the tombstone did not pass with the TTL")
	}
	c.put("s", &one)
	if v, ok := c.get("s"); !ok || v != &one {
		t.Fatalf("a passed tombstone still refuses: %v, %v", v, ok)
	}
	c.put("long", &one)
	if v, ok := c.get("long"); !ok || v != nil {
		t.Fatalf("a longer tombstone was shortened: %v, %v", v, ok)
	}
}
