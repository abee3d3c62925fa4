package mail

import (
	"strings"
	"testing"
	"time"
)

// TestMessagesBilingualNoTracking: every message has both languages, in
// text and HTML; text from people is escaped in the HTML; the HTML holds
// no images, scripts, styles from elsewhere or links other than the one
// the message is about.
func TestMessagesBilingualNoTracking(t *testing.T) {
	link := "https://survey.example/signin/tok?x=1&y=2"
	name := `Eve <script>alert(1)</script> & co`
	cases := map[string]Content{
		"invitation": Invitation(name, link, 30*time.Minute),
		"sign-in":    SignInLink(name, link, 30*time.Minute),
		"ready":      ReadyForApproval(name, "ABC", "2026", "Ben", link),
		"sent back":  SentBack(name, "ABC", "2026", "Carmen", "<b>why</b>", link),
		"receipt":    Receipt(name, "ABC", "2026", "Carmen", "2026-02-01 10:00 HKT", strings.Repeat("a", 64), link),
		"reminder":   Reminder(name, "ABC", "2026", "2026-03-31 18:00 HKT", link),
	}
	for kind, c := range cases {
		t.Run(kind, func(t *testing.T) {
			if !strings.Contains(c.Subject, " / ") || !strings.Contains(c.Text, "----") {
				t.Errorf("not bilingual: %q", c.Subject)
			}
			if !strings.Contains(c.Text, link) || !strings.Contains(c.HTML, `href="https://survey.example/signin/tok?x=1&amp;y=2"`) {
				t.Errorf("the link is missing or unescaped:\n%s", c.HTML)
			}
			for _, bad := range []string{"<script", "<img", "<link", "src=", "<b>why"} {
				if strings.Contains(c.HTML, bad) {
					t.Errorf("the HTML holds %q:\n%s", bad, c.HTML)
				}
			}
			if strings.Count(c.HTML, "href=") != 2 || !strings.Contains(c.HTML, `lang="zh-Hant"`) {
				t.Errorf("want the one link in each language:\n%s", c.HTML)
			}
		})
	}
}
