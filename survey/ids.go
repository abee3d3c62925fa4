package survey

import "regexp"

// Identifier patterns. None admits "." or "$", so no identifier
// can ever become a nested MongoDB field path or an operator.
var (
	departmentCodePattern = regexp.MustCompile(`^[A-Z0-9][A-Z0-9-]{1,15}$`)
	roundIDPattern        = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,31}$`)
	itemIDPattern         = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,47}$`)
)

// ValidDepartmentCode reports whether code is a well-formed department code.
func ValidDepartmentCode(code string) bool { return departmentCodePattern.MatchString(code) }

// ValidRoundID reports whether id is a well-formed round id.
func ValidRoundID(id string) bool { return roundIDPattern.MatchString(id) }

// ValidItemID reports whether id is a well-formed questionnaire, domain, area or question id.
func ValidItemID(id string) bool { return itemIDPattern.MatchString(id) }
