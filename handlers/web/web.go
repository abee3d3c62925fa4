package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/dpo/dgsurvey/handlers/httpx"
	"github.com/dpo/dgsurvey/survey"
	"github.com/dpo/dgsurvey/survey/assess"
	"github.com/dpo/dgsurvey/survey/wording"
)

// webFS holds the page templates and the static assets, so the binary
// serves its pages with nothing beside it.
//
//go:embed templates static
var webFS embed.FS

// Pages is the HTML side of the service: templates, static assets and the
// page handlers, over the same use cases as the API.
type Pages struct {
	svc      *assess.Service
	cfg      Config
	log      *slog.Logger
	pages    map[string]*template.Template
	messages map[string][2]string
	assets   map[string]asset
	// loginKey is the key of the sign-in form's tokens (auth.go).
	loginKey loginKey
	// frags holds the answer form's pre-rendered fixed parts (fragments.go).
	frags fragmentCache
	// reopened caches the reopen notices of responses (fragments.go).
	reopened reopenCache
	// oidc is the single sign-on client, nil when not configured (oidc.go).
	oidc *oidcClient
	// broken is set when the embedded templates do not parse (a build
	// defect that tests catch); every page then answers 500.
	broken error
}

// Config holds what the pages need beyond the use cases.
type Config struct {
	// MaxBodyBytes caps posted forms (413 above).
	MaxBodyBytes int64
	// CookieSecure marks cookies Secure even when TLS ends at a proxy in
	// front of the service.
	CookieSecure bool
	Logger       *slog.Logger
	// OIDC, when set, offers single sign-on (oidc.go).
	OIDC *OIDCConfig
}

// asset is one embedded static file.
type asset struct {
	data        []byte
	contentType string
	version     string
}

// New builds the pages; templates that do not parse are logged and make
// every page answer 500.
func New(svc *assess.Service, cfg Config) *Pages {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	pg := &Pages{svc: svc, cfg: cfg, log: cfg.Logger, pages: map[string]*template.Template{}, messages: webMessages(), assets: map[string]asset{}}
	if cfg.OIDC != nil {
		pg.oidc = &oidcClient{cfg: *cfg.OIDC, http: &http.Client{Timeout: 10 * time.Second}}
	}
	if err := pg.load(); err != nil {
		pg.log.Error("web pages unavailable: templates do not load", slog.Any("error", err))
		pg.broken = err
	}
	return pg
}

// location is the time zone pages show times in.
func (pg *Pages) location() *time.Location { return pg.svc.Config().Location }

// load parses every page template together with the layout and reads the
// static assets.
func (pg *Pages) load() error {
	names, err := fs.Glob(webFS, "templates/*.html")
	if err != nil {
		return err
	}
	for _, name := range names {
		base := path.Base(name)
		if base == "layout.html" || base == "partials.html" || base == "carryover.html" {
			continue
		}
		t, err := template.New(base).ParseFS(webFS, "templates/layout.html", "templates/partials.html", "templates/carryover.html", name)
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		pg.pages[strings.TrimSuffix(base, ".html")] = t
	}
	if pg.frags.tmpl, err = template.New("fragments").Parse(fragmentsSource); err != nil {
		return fmt.Errorf("question fragments: %w", err)
	}
	types := map[string]string{".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8"}
	files, err := fs.ReadDir(webFS, "static")
	if err != nil {
		return err
	}
	for _, f := range files {
		data, err := webFS.ReadFile("static/" + f.Name())
		if err != nil {
			return err
		}
		sum := sha256.Sum256(data)
		ct := types[path.Ext(f.Name())]
		if ct == "" {
			ct = http.DetectContentType(data)
		}
		pg.assets[f.Name()] = asset{data: data, contentType: ct, version: hex.EncodeToString(sum[:6])}
	}
	return nil
}

// static serves an embedded asset. Asset URLs carry a content hash, so a
// matching request may be cached for good.
func (pg *Pages) static(c *gin.Context) {
	a, ok := pg.assets[strings.TrimPrefix(c.Param("file"), "/")]
	if !ok {
		pg.Fail(c, survey.Errorf(survey.ENOTFOUND, "no such file"))
		return
	}
	if c.Query("v") == a.version {
		c.Header("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		c.Header("Cache-Control", "no-cache")
	}
	c.Data(http.StatusOK, a.contentType, a.data)
}

// page is what every template gets: the language, the signed-in user and
// the helpers the layout needs. Page data structs embed it.
type page struct {
	Lang     string // survey.LangEN or survey.LangZH
	HTMLLang string // the BCP 47 tag for <html lang>
	Title    string
	User     *survey.Principal
	CSRF     string
	// Path is the current path and query, where the language switch returns.
	Path  string
	Flash string
	// FlashWarn styles the flash as a warning (amber), not a success.
	FlashWarn bool
	// Nav names the active item of the main navigation.
	Nav string

	msgs   map[string][2]string
	loc    *time.Location
	assets map[string]asset
}

// T returns the message key in the page's language, formatted with args.
func (p page) T(key string, args ...any) string { return message(p.msgs, p.Lang, key, args...) }

// Time shows a time in the configured zone; "—" when there is none.
func (p page) Time(v any) string {
	var t time.Time
	switch x := v.(type) {
	case time.Time:
		t = x
	case *time.Time:
		if x != nil {
			t = *x
		}
	}
	if t.IsZero() {
		return "—"
	}
	return t.In(p.loc).Format("2006-01-02 15:04") + " " + p.Zone()
}

// Short is Time without the zone, for table cells whose caption names it.
func (p page) Short(v any) string {
	s := p.Time(v)
	if s == "—" {
		return s
	}
	return strings.TrimSuffix(s, " "+p.Zone())
}

// With pairs the page with v for a partial template that needs both: the
// partial reads v as .V and the page's helpers (.T, .Time) as usual.
func (p page) With(v any) pageWith { return pageWith{page: p, V: v} }

// pageWith is a page and one value of it, for a partial.
type pageWith struct {
	page
	V any
}

// Asset is the versioned URL of a static file.
func (p page) Asset(name string) string {
	return "/static/" + name + "?v=" + p.assets[name].version
}

// IsAdmin reports whether the signed-in user is an administrator.
func (p page) IsAdmin() bool { return p.User != nil && p.User.Role == survey.RoleAdmin }

// OtherLang is the language the switch offers.
func (p page) OtherLang() string {
	if p.Lang == survey.LangZH {
		return survey.LangEN
	}
	return survey.LangZH
}

// message looks a key up in the pages' table, then in the shared catalogue
// of labels (survey/wording); a key in neither shows as itself so a gap is
// visible (a test keeps the tables complete).
func message(msgs map[string][2]string, lang, key string, args ...any) string {
	var s string
	if m, ok := msgs[key]; ok {
		s = m[0]
		if lang == survey.LangZH {
			s = m[1]
		}
	} else if wording.Has(key) {
		s = wording.Label(key, lang)
	} else {
		return key
	}
	if len(args) > 0 {
		return fmt.Sprintf(s, args...)
	}
	return s
}

// t is message in the request's language, for strings built in Go.
func (pg *Pages) t(c *gin.Context, key string, args ...any) string {
	return message(pg.messages, pageLang(c), key, args...)
}

// newPage fills the common page fields for the request.
func (pg *Pages) newPage(c *gin.Context, titleKey string, args ...any) page {
	lang := pageLang(c)
	p := page{
		Lang: lang, HTMLLang: htmlLang(lang), Path: c.Request.URL.RequestURI(),
		msgs: pg.messages, loc: pg.location(), assets: pg.assets,
	}
	p.Title = p.T(titleKey, args...)
	if httpx.SignedIn(c) {
		v := httpx.Principal(c)
		p.User = &v
	}
	if sess := httpx.Session(c); sess != nil {
		p.CSRF = sess.CSRF
	}
	// Flash messages travel as a key in the query after a redirect: only
	// known keys show, so a link cannot put arbitrary text on a page.
	if f := c.Query("flash"); f != "" {
		if _, ok := pg.messages["flash."+f]; ok {
			p.Flash = p.T("flash." + f)
			p.FlashWarn = warningFlashes[f]
		}
	}
	return p
}

// warningFlashes are the flash messages that warn rather than confirm.
var warningFlashes = map[string]bool{"incomplete": true, "unchanged": true, "changed-meanwhile": true}

// render executes a page template into a buffer first, so a template
// failure becomes a clean 500 instead of half a page.
func (pg *Pages) render(c *gin.Context, status int, name string, data any) {
	t, ok := pg.pages[name]
	if pg.broken != nil || !ok {
		pg.plainFailure(c)
		return
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", data); err != nil {
		pg.log.ErrorContext(c.Request.Context(), "rendering a page failed", slog.String("request_id", httpx.RequestID(c)),
			slog.String("page", name), slog.Any("error", err))
		pg.plainFailure(c)
		return
	}
	c.Data(status, "text/html; charset=utf-8", buf.Bytes())
	c.Abort()
}

// plainFailure is the last resort when even the error page cannot render.
func (pg *Pages) plainFailure(c *gin.Context) {
	c.Data(http.StatusInternalServerError, "text/plain; charset=utf-8",
		[]byte("Internal error. The request id is "+httpx.RequestID(c)+"\n內部錯誤。請求編號："+httpx.RequestID(c)+"\n"))
	c.Abort()
}

// errorPage is the data of the error page.
type errorPage struct {
	page
	Status  int
	Heading string
	Message string
	Detail  string
	// DetailLang marks a detail that is not in the page's language (the
	// domain's messages are English).
	DetailLang string
}

// Fail is the pages' counterpart of the API's JSON error: the same
// classification of the error, rendered as a page in the user's language.
// Domain messages of 4xx errors are shown as details; a 5xx shows only the
// request id and is logged.
func (pg *Pages) Fail(c *gin.Context, err error) {
	pr := httpx.Classify(err)
	status := pr.Status
	if pr.RetryAfter > 0 {
		c.Header("Retry-After", strconv.Itoa(pr.RetryAfter))
	}
	if status >= 500 {
		pg.log.ErrorContext(c.Request.Context(), "page failed", slog.String("request_id", httpx.RequestID(c)),
			slog.String("path", c.FullPath()), slog.Any("error", err))
	}
	key := "error." + errorKey(status)
	data := &errorPage{page: pg.newPage(c, key+".title"), Status: status}
	data.Heading = data.T(key + ".title")
	data.Message = data.T(key + ".text")
	switch {
	case status >= 500:
		data.Detail = data.T("error.request_id", httpx.RequestID(c))
	case status == http.StatusNotFound:
		// The domain message could confirm that a hidden resource exists.
	default:
		data.Detail = pr.Message
		if data.Lang != survey.LangEN {
			data.DetailLang = "en"
		}
	}
	pg.render(c, status, "error", data)
}

// forbidden is the 403 page with a reason in the user's language (the
// message key textKey): a role that may not use the page, or a form that
// expired, which are different things to the person reading it.
func (pg *Pages) forbidden(c *gin.Context, textKey string) {
	data := &errorPage{page: pg.newPage(c, "error.403.title"), Status: http.StatusForbidden}
	data.Heading = data.T("error.403.title")
	data.Message = data.T(textKey)
	pg.render(c, http.StatusForbidden, "error", data)
}

func errorKey(status int) string {
	switch status {
	case http.StatusBadRequest, http.StatusForbidden, http.StatusNotFound, http.StatusConflict,
		http.StatusRequestEntityTooLarge, http.StatusUnprocessableEntity, http.StatusTooManyRequests,
		http.StatusServiceUnavailable:
		return fmt.Sprint(status)
	case http.StatusMethodNotAllowed, http.StatusUnsupportedMediaType, http.StatusPreconditionFailed:
		return "400"
	}
	return "500"
}

// redirect answers a form post or a moved page with 303 See Other.
func redirect(c *gin.Context, to string) {
	c.Redirect(http.StatusSeeOther, to)
	c.Abort()
}

// localPath accepts a redirect target (a decoded next parameter) only when
// it is a path of this site, and answers "/" for anything else. The target
// is percent-decoded until nothing changes (so double-encoded forms are
// judged by what they decode to), and the decoded form must start with a single
// "/" not followed by "/" or "\\", name no scheme or host, and hold no
// backslash, control or format character, white space (Unicode spaces too)
// or look-alike of a slash anywhere. A target that passes is returned as
// given.
func localPath(next string) string {
	decoded := next
	for i := 0; ; i++ {
		d, err := url.PathUnescape(decoded)
		if err != nil {
			return "/"
		}
		if d == decoded {
			break
		}
		if i == 8 {
			return "/" // still encoded after eight rounds: nobody links like that
		}
		decoded = d
	}
	if len(decoded) == 0 || decoded[0] != '/' || (len(decoded) > 1 && (decoded[1] == '/' || decoded[1] == '\\')) {
		return "/"
	}
	if !utf8.ValidString(decoded) {
		return "/"
	}
	for _, r := range decoded {
		if r == '\\' || r == utf8.RuneError || unicode.IsSpace(r) ||
			unicode.In(r, unicode.Z, unicode.Cc, unicode.Cf, unicode.Co, unicode.Cs) || slashLike(r) {
			return "/"
		}
	}
	if u, err := url.Parse(decoded); err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" {
		return "/"
	}
	return next
}

// slashLike reports whether r is a character that Unicode normalisation
// (or a lenient URL parser) may turn into "/" or "\\".
func slashLike(r rune) bool {
	switch r {
	case '\uFF0F', '\uFF3C', '\u2215', '\u2044', '\u29F5', '\u29F8', '\u29F9', '\uFE68', '\u2216', '\u3033', '\u3035':
		return true
	}
	return false
}

// formField is one labelled input of an admin form.
type formField struct {
	ID, Name, Label, Value, Hint, Error, Lang string
}

// Described lists the ids of the field's hint and error.
func (f formField) Described() string {
	var ids []string
	if f.Hint != "" {
		ids = append(ids, f.ID+"-hint")
	}
	if f.Error != "" {
		ids = append(ids, f.ID+"-error")
	}
	return strings.Join(ids, " ")
}

// Field builds a form field: its label is the message "field.<name>", and
// fields of Chinese text carry lang="zh-Hant".
func (p page) Field(errs formErrors, name, value, hintKey string) formField {
	f := formField{ID: "f-" + name, Name: name, Label: p.T("field." + name), Value: value, Error: errs[name]}
	if hintKey != "" {
		f.Hint = p.T(hintKey)
	}
	if strings.HasSuffix(name, "_zh") {
		f.Lang = "zh-Hant"
	}
	return f
}
