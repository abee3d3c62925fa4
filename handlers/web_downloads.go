package handlers

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/dpo/dgsurvey/survey"
)

// Downloads are API endpoints (workbooks). A browser following a link sends
// the session cookie but cannot add the X-CSRF-Token header the API wants
// with it, so pages link to /download/<API path below /api/v1/>, which
// checks the session like any page and then serves the API endpoint with the
// session's token added. Only read-only (GET) workbook endpoints that are
// registered qualify, so the pages link exactly the downloads that exist,
// and the API endpoint still decides who may read what.

// downloadPrefix is the pages' path of the downloads.
const downloadPrefix = "/download/"

// downloadTarget returns the API path a download path stands for, if it is
// a registered workbook endpoint.
func (w *web) downloadTarget(p string) (string, bool) {
	api := "/api/v1/" + strings.TrimPrefix(p, "/")
	if !strings.HasSuffix(api, ".xlsx") || strings.Contains(api, "..") {
		return "", false
	}
	for _, r := range w.s.routes {
		if r.method == http.MethodGet && strings.HasPrefix(r.path, "/api/v1/") && matchRoute(r.path, api) {
			return api, true
		}
	}
	return "", false
}

// matchRoute reports whether path matches a Gin route pattern whose
// parameters are whole segments (":name").
func matchRoute(pattern, path string) bool {
	ps, xs := strings.Split(pattern, "/"), strings.Split(path, "/")
	if len(ps) != len(xs) {
		return false
	}
	for i := range ps {
		if strings.HasPrefix(ps[i], ":") {
			if xs[i] == "" {
				return false
			}
			continue
		}
		if ps[i] != xs[i] {
			return false
		}
	}
	return true
}

// download serves a workbook endpoint for a signed-in browser.
func (w *web) download(c *gin.Context) {
	api, ok := w.downloadTarget(c.Param("path"))
	if !ok {
		w.fail(c, survey.Errorf(survey.ENOTFOUND, "this download is not available"))
		return
	}
	r := c.Request.Clone(c.Request.Context())
	r.URL.Path, r.URL.RawPath = api, ""
	r.RequestURI = ""
	r.Header.Del("Authorization")
	r.Header.Set(csrfHeader, currentSession(c).CSRF)
	r.Header.Set("X-Request-Id", requestID(c))
	ec := &errorCatcher{ResponseWriter: c.Writer}
	w.s.engine.ServeHTTP(ec, r)
	if ec.failed {
		// The API refused (a report not yet available, say): show its
		// JSON error as the page a browser user expects.
		var body struct {
			Error errorBody `json:"error"`
		}
		_ = json.Unmarshal(ec.body.Bytes(), &body)
		c.Writer.Header().Del("Content-Type")
		w.fail(c, &httpError{status: ec.status, code: body.Error.Code, message: body.Error.Message})
		return
	}
	c.Abort()
}

// errorCatcher passes a successful response through untouched (workbooks
// may stream) and holds back an error response, so that it can be shown as
// a page instead.
type errorCatcher struct {
	http.ResponseWriter
	status int
	failed bool
	body   bytes.Buffer
}

func (e *errorCatcher) WriteHeader(code int) {
	if e.status != 0 {
		return
	}
	e.status = code
	if code >= 400 {
		e.failed = true
		return
	}
	e.ResponseWriter.WriteHeader(code)
}

func (e *errorCatcher) Write(b []byte) (int, error) {
	if e.status == 0 {
		e.WriteHeader(http.StatusOK)
	}
	if e.failed {
		if e.body.Len() < 64<<10 {
			e.body.Write(b)
		}
		return len(b), nil
	}
	return e.ResponseWriter.Write(b)
}

// Flush lets a streaming workbook reach the client as it is written.
func (e *errorCatcher) Flush() {
	if f, ok := e.ResponseWriter.(http.Flusher); ok && !e.failed {
		f.Flush()
	}
}

// link returns a download link for an API path if that download exists.
func (w *web) link(c *gin.Context, apiPath, labelKey string, args ...any) []downloadLink {
	if _, ok := w.downloadTarget(apiPath); !ok {
		return nil
	}
	return []downloadLink{{URL: downloadPrefix + apiPath + "?lang=" + pageLang(c), Label: w.t(c, labelKey, args...)}}
}

// departmentDownloads are the files of one department's submitted response.
func (w *web) departmentDownloads(c *gin.Context, round, dept string) []downloadLink {
	return w.link(c, "rounds/"+round+"/departments/"+dept+"/report.xlsx", "download.department", dept)
}

// roundDownloads are the files of a whole round.
func (w *web) roundDownloads(c *gin.Context, round string) []downloadLink {
	var out []downloadLink
	out = append(out, w.link(c, "rounds/"+round+"/report.xlsx", "download.round")...)
	out = append(out, w.link(c, "rounds/"+round+"/topics.xlsx", "download.topics")...)
	return out
}
