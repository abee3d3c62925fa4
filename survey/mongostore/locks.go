package mongostore

import (
	"hash/fnv"
	"sync"
)

// docLocks is a fixed set of mutexes striped by document id: bounded memory
// however many documents exist, and two writers of one document always meet
// the same mutex.
type docLocks struct {
	stripes [256]sync.Mutex
}

func newDocLocks() *docLocks { return &docLocks{} }

func (l *docLocks) lock(id string) func() {
	h := fnv.New32a()
	_, _ = h.Write([]byte(id))
	m := &l.stripes[h.Sum32()%uint32(len(l.stripes))]
	m.Lock()
	return m.Unlock
}
