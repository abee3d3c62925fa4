package handlers_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

var (
	fieldErrorText = regexp.MustCompile(`class="field-error"[^>]*>([^<]*)<|id="err-[^"]+">([^<]*)<`)
	englishWord    = regexp.MustCompile(`[A-Za-z]{2,}`)
)

// TestChineseFieldErrors: a page in Traditional Chinese says what is wrong
// with a field in Chinese only. Field errors are translated by their rule
// and parameter, never by matching the English message, which once gave
// 「不可超過 4000 characters。」.
func TestChineseFieldErrors(t *testing.T) {
	h := newHarness(t)
	respondent := setupRound(t, h)
	cases := []struct {
		name   string
		client *webClient
		path   string
		form   func(page string) url.Values
		want   string // a Chinese message that must be among the errors
	}{
		{"a too-long comment", h.browser().signIn(respondent), domainCS, func(page string) url.Values {
			return answerForm(t, page, map[string]string{"comment.cs-iam-2": strings.Repeat("字", 4001), "level.cs-iam-2": "2"})
		}, "不可超過 4000 個字元"},
		{"a too-long department name", h.browser().signIn(h.admin), "/admin/departments", func(string) url.Values {
			return url.Values{"code": {"LONG"}, "name_en": {strings.Repeat("n", 201)}, "name_zh": {"長名署"}, "bureau": {"局"}}
		}, "不可超過 200 個字元"},
		{"an invalid date", h.browser().signIn(h.admin), "/admin/rounds", func(string) url.Values {
			return url.Values{"id": {"2027"}, "title_en": {"Next"}, "title_zh": {"下一輪"}, "questionnaire": {"small:1"},
				"opens_at": {"not a date"}, "closes_at": {"2027-03-31T18:00"}}
		}, "請輸入日期及時間"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tc.client.get("/lang/zh?next=/")
			page := tc.client.page(http.StatusOK, tc.path)
			if !strings.Contains(page, `lang="zh-Hant"`) {
				t.Fatalf("the page is not in Chinese:\n%.400s", page)
			}
			rec := tc.client.submit(http.StatusUnprocessableEntity, tc.path, tc.form(page))
			var messages []string
			for _, m := range fieldErrorText.FindAllStringSubmatch(rec.Body.String(), -1) {
				messages = append(messages, strings.TrimSpace(m[1]+m[2]))
			}
			if len(messages) == 0 {
				t.Fatalf("no field error on the page:\n%s", rec.Body.String())
			}
			found := false
			for _, msg := range messages {
				if w := englishWord.FindString(msg); w != "" {
					t.Errorf("field error %q has the English word %q", msg, w)
				}
				found = found || strings.Contains(msg, tc.want)
			}
			if !found {
				t.Errorf("field errors %q lack %q", messages, tc.want)
			}
		})
	}
}
