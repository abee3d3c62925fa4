package mongostore

import (
	"container/list"
	"sync"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// responseCache keeps, on the embedded store only, the BSON of the response
// documents this process last wrote, so that an autosave or a page view
// does not read back the document written a moment ago. Decoding a stored
// response is most of what the embedded store spends on a read (it parses
// the whole document from its JSON form).
//
// It is coherent because on the embedded store this process is the only
// writer (the data directory is locked) and every write of a response goes
// through UpdateResponse under the document's lock, which drops the entry
// before writing and puts the new document only once the write succeeded.
// Only such writes fill it: a document merely read is not cached, since a
// read outside the lock could be older than a write finishing meanwhile.
// It holds at most max documents, least recently used first out. A nil
// cache is off (MongoDB, where other instances write too).
type responseCache struct {
	mu   sync.Mutex
	max  int
	lru  *list.List // of *cachedResponse, most recent first
	docs map[string]*list.Element
}

type cachedResponse struct {
	id  string
	raw bson.Raw
}

// responseCacheSize bounds the cache: a response of the 60-question bank
// with comments is some 10–30 KB, so a few tens of MB at most.
const responseCacheSize = 1024

func newResponseCache(max int) *responseCache {
	return &responseCache{max: max, lru: list.New(), docs: map[string]*list.Element{}}
}

// get returns the document last written under id.
func (c *responseCache) get(id string) (bson.Raw, bool) {
	if c == nil {
		return nil, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.docs[id]
	if !ok {
		return nil, false
	}
	c.lru.MoveToFront(e)
	return e.Value.(*cachedResponse).raw, true
}

// put records raw as the stored document under id.
func (c *responseCache) put(id string, raw bson.Raw) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.docs[id]; ok {
		e.Value.(*cachedResponse).raw = raw
		c.lru.MoveToFront(e)
		return
	}
	c.docs[id] = c.lru.PushFront(&cachedResponse{id: id, raw: raw})
	for c.lru.Len() > c.max {
		last := c.lru.Back()
		c.lru.Remove(last)
		delete(c.docs, last.Value.(*cachedResponse).id)
	}
}

// drop forgets id (after a write whose outcome is unknown).
func (c *responseCache) drop(id string) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.docs[id]; ok {
		c.lru.Remove(e)
		delete(c.docs, id)
	}
}
