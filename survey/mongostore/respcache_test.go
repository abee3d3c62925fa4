package mongostore

import (
	"fmt"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"
)

func TestResponseCacheBounded(t *testing.T) {
	c := newResponseCache(3)
	raw := func(i int) bson.Raw {
		b, _ := bson.Marshal(bson.D{{Key: "_id", Value: fmt.Sprint(i)}})
		return b
	}
	for i := range 4 {
		c.put(fmt.Sprint(i), raw(i))
	}
	if _, ok := c.get("0"); ok {
		t.Error("the least recently used entry is still there past the bound")
	}
	c.get("1") // now most recent
	c.put("4", raw(4))
	if _, ok := c.get("1"); !ok {
		t.Error("a recently read entry was evicted")
	}
	if _, ok := c.get("2"); ok {
		t.Error("entry 2 should have been evicted")
	}
	c.drop("1")
	if _, ok := c.get("1"); ok {
		t.Error("a dropped entry is still there")
	}
	if got, ok := c.get("4"); !ok || string(got) != string(raw(4)) {
		t.Error("entry 4 lost")
	}
	var off *responseCache
	off.put("x", raw(1))
	if _, ok := off.get("x"); ok {
		t.Error("a nil cache remembered something")
	}
}
