package handlers

// webRoutes lists the HTML pages (sign-in, respondent and admin pages).
func (s *Server) webRoutes() []route {
	return nil
}
