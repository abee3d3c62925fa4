package web

import (
	"strings"
	"time"

	"github.com/dpo/dgsurvey/survey"
)

// who names the person who last changed an answer, for "last changed by …"
// and the conflict dialog. It is the one place pages turn an answer's
// author into words, so that showing people's names is a change here only.
// It is the person's name (a credential's label for a token client), or,
// for answers saved before names were recorded, the role and department,
// never the internal id.
func who(msgs map[string][2]string, lang string, a *survey.Answer) string {
	if a == nil {
		return ""
	}
	if a.UpdatedByName != "" {
		return a.UpdatedByName
	}
	return actorName(msgs, lang, a.UpdatedBy)
}

// actorName is an audit actor (role, department, credential id) in words.
func actorName(msgs map[string][2]string, lang, actor string) string {
	if actor == "" {
		return ""
	}
	role, rest, _ := strings.Cut(actor, ":")
	switch role {
	case survey.RoleAdmin:
		return message(msgs, lang, "who.admin")
	case survey.RoleRespondent:
		dept, _, _ := strings.Cut(rest, ":")
		return message(msgs, lang, "who.respondent", dept)
	}
	return message(msgs, lang, "who.someone")
}

// Who is who for templates.
func (p page) Who(a *survey.Answer) string { return who(p.msgs, p.Lang, a) }

// zoneLabel names the pages' time zone in words: "Hong Kong time" (香港時間)
// rather than "Asia/Hong_Kong" or "HKT"; another zone shows its IANA name.
func zoneLabel(msgs map[string][2]string, lang string, loc *time.Location) string {
	if loc == nil {
		return ""
	}
	switch loc.String() {
	case "Asia/Hong_Kong", "Hongkong":
		return message(msgs, lang, "tz.hong_kong")
	case "UTC", "":
		return "UTC"
	}
	return loc.String()
}

// Zone is zoneLabel for templates.
func (p page) Zone() string { return zoneLabel(p.msgs, p.Lang, p.loc) }

// clockTime is a time as the pages show it, with the zone in words.
func (pg *Pages) clockTime(lang string, t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.In(pg.location()).Format("2006-01-02 15:04") + " " + zoneLabel(pg.messages, lang, pg.location())
}
