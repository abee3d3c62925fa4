package web

import "time"

// timeLeft says how long until a deadline, in days when more than two days
// are left and in hours below that.
func timeLeft(msgs map[string][2]string, lang string, d time.Duration) string {
	switch {
	case d >= 48*time.Hour:
		return message(msgs, lang, "deadline.days_left", int(d/(24*time.Hour)))
	case d >= time.Hour:
		return message(msgs, lang, "deadline.hours_left", int(d/time.Hour))
	}
	return message(msgs, lang, "deadline.soon")
}
