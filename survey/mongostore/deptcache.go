package mongostore

import (
	"slices"
	"sync"

	"github.com/dpo/dgsurvey/survey"
)

// departmentList caches, on the embedded store only, the list of every
// department: it is read by every round-wide view and by each department
// report, and the embedded store answers it by decoding and sorting every
// department document. On the embedded store this process is the only
// writer, and every write of a department document takes its document
// lock (lockDoc), which ends the cached list when the lock is taken and
// again when it is released. A list read from the store is kept only if no
// such write began or ended meanwhile (the generation is unchanged), so
// the cache is never older than the store. A nil cache is off (MongoDB).
type departmentList struct {
	mu    sync.Mutex
	gen   uint64
	list  []survey.Department
	valid bool
}

// invalidate ends the cached list (a department write begins or ends).
func (c *departmentList) invalidate() {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	c.list, c.valid = nil, false
}

// get returns a copy of the cached list, or the generation under which a
// list read from the store now may be put.
func (c *departmentList) get() ([]survey.Department, uint64, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.valid {
		return slices.Clone(c.list), c.gen, true
	}
	return nil, c.gen, false
}

// put keeps list if no department write began or ended since gen.
func (c *departmentList) put(gen uint64, list []survey.Department) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gen == gen {
		c.list, c.valid = slices.Clone(list), true
	}
}
