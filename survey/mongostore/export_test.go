package mongostore

// IndexReady reports whether the embedded store's index of response
// summaries is loaded (tests wait for it).
func (s *Store) IndexReady() bool {
	if s.index == nil {
		return false
	}
	s.index.mu.Lock()
	defer s.index.mu.Unlock()
	return s.index.ready
}
