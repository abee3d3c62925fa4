package handlers

// webRoutes lists the HTML pages (sign-in, respondent and admin pages). They
// are public to the engine (nil roles): each page checks the session cookie
// itself through web.signedIn, which redirects to /login instead of
// answering the API's JSON 401, and checks the CSRF token of every POST.
func (s *Server) webRoutes() []route {
	w := newWeb(s)
	s.web = w
	page := w.signedIn
	return []route{
		{"GET", "/static/*file", nil, w.static},
		{"GET", "/lang/:lang", nil, w.switchLang},
		{"GET", "/login", nil, w.loginForm},
		{"POST", "/login", nil, w.login},
		{"POST", "/logout", nil, page(anyRole, w.logout)},
		{"GET", "/", nil, page(anyRole, w.home)},
		{"GET", "/download/*path", nil, page(anyRole, w.download)},

		{"GET", "/rounds/:round/responses/:dept", nil, page(departmentUser, w.overview)},
		{"GET", "/rounds/:round/responses/:dept/domains/:domain", nil, page(departmentUser, w.domainForm)},
		{"POST", "/rounds/:round/responses/:dept/domains/:domain", nil, page(departmentUser, w.saveDomain)},
		{"GET", "/rounds/:round/responses/:dept/review", nil, page(departmentUser, w.review)},
		{"GET", "/rounds/:round/responses/:dept/submit", nil, page(departmentUser, w.confirmSubmit)},
		{"POST", "/rounds/:round/responses/:dept/submit", nil, page(departmentUser, w.submit)},
		{"POST", "/rounds/:round/responses/:dept/reopen", nil, page(adminOnly, w.reopen)},

		{"GET", "/admin/rounds", nil, page(adminOnly, w.adminRounds)},
		{"POST", "/admin/rounds", nil, page(adminOnly, w.createRound)},
		{"GET", "/admin/rounds/:round", nil, page(adminOnly, w.dashboard)},
		{"POST", "/admin/rounds/:round/state", nil, page(adminOnly, w.changeRound)},
		{"GET", "/admin/departments", nil, page(adminOnly, w.adminDepartments)},
		{"POST", "/admin/departments", nil, page(adminOnly, w.createDepartment)},
		{"GET", "/admin/departments/:code", nil, page(adminOnly, w.editDepartment)},
		{"POST", "/admin/departments/:code", nil, page(adminOnly, w.updateDepartment)},
		{"GET", "/admin/credentials", nil, page(adminOnly, w.adminCredentials)},
		{"POST", "/admin/credentials", nil, page(adminOnly, w.issueCredential)},
		{"POST", "/admin/credentials/:id/revoke", nil, page(adminOnly, w.revokeCredential)},

		// The seminar planner's page of a round, and its ranking as JSON for
		// a browser link (the API wants a CSRF header with a session).
		{"GET", "/planner/rounds/:round", nil, page(analysts, w.seminarPlanner)},
		{"GET", "/planner/rounds/:round/topics.json", nil, page(analysts, w.plannerTopicsJSON)},
	}
}
