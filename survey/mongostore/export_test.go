package mongostore

// IndexReady reports whether the embedded store's index of response
// summaries is loaded (tests wait for it).
func (s *Store) IndexReady() bool {
	return s.Indexed()
}
