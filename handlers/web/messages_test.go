package web

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// TestWebMessagesComplete: every message a template or a page handler uses
// exists in English and Chinese, with the same placeholders in both.
func TestWebMessagesComplete(t *testing.T) {
	msgs := webMessages()
	used := map[string]bool{}
	add := func(keys ...string) {
		for _, k := range keys {
			used[k] = true
		}
	}
	scan := func(re *regexp.Regexp, text string, prefix string) {
		for _, m := range re.FindAllStringSubmatch(text, -1) {
			if !strings.HasSuffix(m[1], ".") && !strings.HasSuffix(m[1], "-") { // a prefix built on at run time
				add(prefix + m[1])
			}
		}
	}
	templateKey := regexp.MustCompile(`\.T "([a-z_.0-9-]+)"`)
	fieldKey := regexp.MustCompile(`\.Field \.Errors "([a-z_]+)"`)
	err := fs.WalkDir(webFS, "templates", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := webFS.ReadFile(path)
		if err != nil {
			return err
		}
		scan(templateKey, string(data), "")
		scan(fieldKey, string(data), "field.")
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	goKey := regexp.MustCompile(`(?:newPage\(c, |\.t\(c, |message\(w\.messages, lang, |\.T\(|errKey = |key := |Key: )"([a-z_.0-9-]+)"`)
	flashKey := regexp.MustCompile(`flash=([a-z-]+)`)
	files, _ := filepath.Glob("web*.go")
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		scan(goKey, string(data), "")
		scan(flashKey, string(data), "flash.")
	}
	for _, p := range []string{"state.draft", "state.open", "state.closed", "status.not_started", "status.in_progress",
		"status.submitted", "role.admin", "role.respondent", "role.planner", "flash.round-open", "flash.round-closed"} {
		add(p)
	}
	for _, code := range []string{"400", "403", "404", "409", "413", "422", "429", "500", "503"} {
		add("error."+code+".title", "error."+code+".text")
	}
	for _, f := range []string{"id", "title_en", "title_zh", "questionnaire", "opens_at", "closes_at", "code", "name_en",
		"name_zh", "bureau", "role", "department", "label", "active"} {
		add("field." + f)
	}
	placeholders := regexp.MustCompile(`%[sd]|\{[a-z]+\}`)
	var missing []string
	for k := range used {
		m, ok := msgs[k]
		switch {
		case !ok:
			missing = append(missing, k+" (not in the table)")
		case strings.TrimSpace(m[0]) == "" || strings.TrimSpace(m[1]) == "":
			missing = append(missing, k+" (a language is empty)")
		case strings.Join(placeholders.FindAllString(m[0], -1), ",") != strings.Join(placeholders.FindAllString(m[1], -1), ","):
			missing = append(missing, k+" (placeholders differ between the languages)")
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Fatalf("messages:\n%s", strings.Join(missing, "\n"))
	}
	if len(used) < 150 {
		t.Fatalf("only %d keys found in use: the scan is broken", len(used))
	}
}

func TestAcceptLanguage(t *testing.T) {
	tests := map[string]string{
		"":                            "en",
		"zh-HK":                       "zh",
		"zh-Hant-HK, en;q=0.8":        "zh",
		"en-US,en;q=0.9,zh-TW;q=0.8":  "en",
		"fr, zh;q=0.5":                "zh",
		"zh;q=0, en":                  "en",
		"ja, de":                      "en",
		"EN;q=0.2, ZH-tw;q=0.3":       "zh",
		"zh-CN;q=0.9, en-GB;q=0.9":    "zh",
		";;;,,q=abc":                  "en",
		"en-GB;q=0.7, zh-HK;q=bogus1": "zh",
	}
	for header, want := range tests {
		t.Run(header, func(t *testing.T) {
			if got := acceptLanguage(header); got != want {
				t.Fatalf("acceptLanguage(%q) = %s, want %s", header, got, want)
			}
		})
	}
}

func TestLocalPath(t *testing.T) {
	tests := map[string]string{
		"/rounds/2026":          "/rounds/2026",
		"/a?b=c":                "/a?b=c",
		"":                      "/",
		"//evil.example":        "/",
		"/\\evil.example":       "/",
		"https://evil.example/": "/",
		"javascript:alert(1)":   "/",
		"/ok\r\nSet-Cookie: x":  "/",
	}
	for in, want := range tests {
		if got := localPath(in); got != want {
			t.Errorf("localPath(%q) = %q, want %q", in, got, want)
		}
	}
}
