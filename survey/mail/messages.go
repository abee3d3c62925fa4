package mail

import (
	"fmt"
	"html"
	"strings"
	"time"
)

// Content is a composed message: one subject, and the same text in
// English then Traditional Chinese, as plain text and as HTML. The HTML has
// no images, no remote resources and no tracking parameters: only text and
// the one link the message is about.
type Content struct {
	Subject string
	Text    string
	HTML    string
}

// part is one language's half of a message.
type part struct {
	lang       string // "en" or "zh-Hant"
	paragraphs []string
	linkLabel  string
}

// compose lays the two halves out around link (none when empty).
func compose(subjectEN, subjectZH, link string, en, zh part) Content {
	var text, body strings.Builder
	for i, p := range []part{en, zh} {
		if i > 0 {
			text.WriteString("\n----------------------------------------\n\n")
			body.WriteString("<hr>\n")
		}
		fmt.Fprintf(&body, "<div lang=\"%s\">\n", p.lang)
		for _, para := range p.paragraphs {
			text.WriteString(para + "\n\n")
			fmt.Fprintf(&body, "<p>%s</p>\n", strings.ReplaceAll(html.EscapeString(para), "\n", "<br>\n"))
		}
		if link != "" {
			fmt.Fprintf(&text, "%s:\n%s\n\n", p.linkLabel, link)
			fmt.Fprintf(&body, "<p><a href=\"%s\">%s</a></p>\n", html.EscapeString(link), html.EscapeString(p.linkLabel))
		}
		body.WriteString("</div>\n")
	}
	page := "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>" + html.EscapeString(subjectEN) +
		"</title></head><body>\n" + body.String() + "</body></html>\n"
	return Content{Subject: subjectEN + " / " + subjectZH, Text: text.String(), HTML: page}
}

// Invitation invites name to the service with a sign-in link valid for ttl.
func Invitation(name, link string, ttl time.Duration) Content {
	mins := int(ttl / time.Minute)
	return compose("You are invited to the capability self-assessment", "誠邀閣下參與數字政府能力自我評估", link,
		part{lang: "en", linkLabel: "Sign in", paragraphs: []string{
			"Dear " + name + ",",
			"An administrator has invited you to the Digital Government capability self-assessment.",
			fmt.Sprintf("Open the link below and press the button on the page to sign in. The link works once and for %d minutes; you can ask for a new one on the sign-in page at any time.", mins),
		}},
		part{lang: "zh-Hant", linkLabel: "登入", paragraphs: []string{
			name + "，您好：",
			"管理員已邀請閣下參與數字政府能力自我評估。",
			fmt.Sprintf("請開啟以下連結，然後按頁面上的按鈕登入。連結只可使用一次，有效時間為 %d 分鐘；閣下可隨時在登入頁面索取新連結。", mins),
		}})
}

// SignInLink is the message a user asked for on the sign-in page.
func SignInLink(name, link string, ttl time.Duration) Content {
	mins := int(ttl / time.Minute)
	return compose("Your sign-in link", "閣下的登入連結", link,
		part{lang: "en", linkLabel: "Sign in", paragraphs: []string{
			"Dear " + name + ",",
			fmt.Sprintf("Someone (we hope you) asked to sign in to the capability self-assessment with this address. Open the link below and press the button to sign in. It works once and for %d minutes. If it was not you, ignore this message.", mins),
		}},
		part{lang: "zh-Hant", linkLabel: "登入", paragraphs: []string{
			name + "，您好：",
			fmt.Sprintf("有人（相信是閣下）以此電郵地址要求登入能力自我評估。請開啟以下連結並按按鈕登入。連結只可使用一次，有效時間為 %d 分鐘。如非閣下本人要求，請不用理會本郵件。", mins),
		}})
}

// ReadyForApproval asks an approver to submit the department's response.
func ReadyForApproval(name, dept, round, by, link string) Content {
	return compose("Approval requested: "+dept+", round "+round, "請審批："+dept+"（"+round+" 輪）", link,
		part{lang: "en", linkLabel: "Review and submit", paragraphs: []string{
			"Dear " + name + ",",
			by + " has completed the response of " + dept + " for round " + round + " and asks you, as approver, to submit it or send it back with a reason.",
		}},
		part{lang: "zh-Hant", linkLabel: "審閱及提交", paragraphs: []string{
			name + "，您好：",
			by + " 已完成 " + dept + " 在 " + round + " 輪的回應，請閣下以審批人身分提交，或註明原因發回。",
		}})
}

// SentBack tells a preparer why the approver sent the response back.
func SentBack(name, dept, round, by, reason, link string) Content {
	return compose("Sent back: "+dept+", round "+round, "已發回："+dept+"（"+round+" 輪）", link,
		part{lang: "en", linkLabel: "Open the response", paragraphs: []string{
			"Dear " + name + ",",
			by + " has sent the response of " + dept + " for round " + round + " back for changes. The reason given:",
			reason,
		}},
		part{lang: "zh-Hant", linkLabel: "開啟回應", paragraphs: []string{
			name + "，您好：",
			by + " 已將 " + dept + " 在 " + round + " 輪的回應發回修改，原因如下：",
			reason,
		}})
}

// Receipt confirms a submission: who, when, and the SHA-256 of the
// submitted answers.
func Receipt(name, dept, round, by, when, sha, link string) Content {
	return compose("Receipt: "+dept+" submitted round "+round, "收據："+dept+" 已提交 "+round+" 輪回應", link,
		part{lang: "en", linkLabel: "View the submission", paragraphs: []string{
			"Dear " + name + ",",
			"The response of " + dept + " for round " + round + " was submitted by " + by + " at " + when + ".",
			"SHA-256 of the submitted answers: " + sha,
		}},
		part{lang: "zh-Hant", linkLabel: "檢視已提交的回應", paragraphs: []string{
			name + "，您好：",
			dept + " 在 " + round + " 輪的回應已由 " + by + " 於 " + when + " 提交。",
			"已提交答案的 SHA-256：" + sha,
		}})
}

// Reminder reminds a department's user of the deadline.
func Reminder(name, dept, round, deadline, link string) Content {
	return compose("Reminder: round "+round+" closes "+deadline, "提示："+round+" 輪於 "+deadline+" 截止", link,
		part{lang: "en", linkLabel: "Open the response", paragraphs: []string{
			"Dear " + name + ",",
			"The response of " + dept + " for round " + round + " has not been submitted yet. The deadline is " + deadline + ".",
		}},
		part{lang: "zh-Hant", linkLabel: "開啟回應", paragraphs: []string{
			name + "，您好：",
			dept + " 在 " + round + " 輪的回應尚未提交。截止時間為 " + deadline + "。",
		}})
}
