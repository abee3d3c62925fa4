package reports

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// formulaTriggers are the characters that make Excel, LibreOffice or a CSV
// import treat typed or pasted text as a formula (OWASP "CSV injection")
// when they come first, ignoring leading blanks (which importers and
// "trim" functions drop): = + - @, their full-width forms (which
// spreadsheet input folds to the ASCII ones), tab and carriage return.
const formulaTriggers = "=+-@\t\r＝＋－＠"

// safeText is the one function every text cell of a workbook passes through.
// Text that came from a user (names, comments, evidence, reasons) could start
// with a formula trigger, possibly after blanks; such text gets a leading "'" that stays visible, so
// a reader sees it was neutralised and a copy into another sheet or a CSV
// export cannot turn it into a live formula. The cell itself is always
// written as a string, never as a formula.
//
// It also drops characters XML 1.0 cannot carry (C0 controls other than tab,
// line feed and carriage return, U+FFFE/U+FFFF, invalid UTF-8), which would
// otherwise make Excel offer to repair the file.
func safeText(s string) string {
	s = xmlSafe(s)
	if formulaLike(s) {
		return "'" + s
	}
	return s
}

// formulaLike reports whether s starts with a tab or carriage return, or
// whether its first non-blank character is a formula trigger. Blanks are
// Unicode white space (the ideographic space too) and invisible format
// characters such as U+200B and U+FEFF.
func formulaLike(s string) bool {
	for _, r := range s {
		if strings.ContainsRune(formulaTriggers, r) {
			return true
		}
		if !unicode.IsSpace(r) && !unicode.Is(unicode.Cf, r) {
			return false
		}
	}
	return false
}

// xmlSafe removes what XML 1.0 cannot represent; it returns s unchanged (no
// allocation) in the usual case where there is nothing to remove.
func xmlSafe(s string) string {
	bad := -1
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && size == 1) || !xmlChar(r) {
			bad = i
			break
		}
		i += size
	}
	if bad < 0 {
		return s
	}
	var b strings.Builder
	b.WriteString(s[:bad])
	for i := bad; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if !(r == utf8.RuneError && size == 1) && xmlChar(r) {
			b.WriteRune(r)
		}
		i += size
	}
	return b.String()
}

// xmlChar reports whether r is a legal XML 1.0 character.
func xmlChar(r rune) bool {
	switch {
	case r == '\t' || r == '\n' || r == '\r':
		return true
	case r < 0x20:
		return false
	case r >= 0xD800 && r <= 0xDFFF, r == 0xFFFE, r == 0xFFFF:
		return false
	}
	return r <= 0x10FFFF
}

// maxSheetName is Excel's limit on a sheet name, in UTF-16 code units.
const maxSheetName = 31

// sheetNames hands out sheet names that Excel accepts: at most 31 UTF-16
// units, none of []:*?/\ nor "'", not blank, not the reserved "History",
// and unique ignoring case (Excel's comparison).
type sheetNames struct{ used []string }

// name returns a valid, unused sheet name as close to want as possible and
// marks it used; fallback is used when nothing of want survives.
func (n *sheetNames) name(want, fallback string) string {
	base := cleanSheetName(want)
	if base == "" {
		base = cleanSheetName(fallback)
	}
	if base == "" {
		base = "Sheet"
	}
	name := truncateUTF16(base, maxSheetName)
	for i := 2; n.taken(name); i++ {
		suffix := " (" + strconv.Itoa(i) + ")"
		name = truncateUTF16(base, maxSheetName-len(suffix)) + suffix
	}
	n.used = append(n.used, name)
	return name
}

// taken reports whether name clashes with a used or reserved name.
func (n *sheetNames) taken(name string) bool {
	if strings.EqualFold(name, "History") {
		return true
	}
	for _, u := range n.used {
		if strings.EqualFold(u, name) {
			return true
		}
	}
	return false
}

// cleanSheetName replaces the characters Excel forbids in sheet names,
// removes control characters and collapses white space. An apostrophe
// becomes a typographic one (’): Excel allows it inside a name, but
// excelize writes the autofilter's defined name as '<sheet>'!… without
// doubling it, which would corrupt the workbook.
func cleanSheetName(s string) string {
	s = strings.Map(func(r rune) rune {
		switch {
		case strings.ContainsRune(`[]:*?/\`, r):
			return '-'
		case r == '\'':
			return '’'
		case r == '\t' || r == '\n' || r == '\r':
			return ' '
		case r < 0x20 || r == 0x7F || !xmlChar(r):
			return -1
		}
		return r
	}, s)
	return strings.Join(strings.Fields(s), " ")
}

// truncateUTF16 shortens s to at most max UTF-16 code units without cutting
// a character in half, then trims trailing spaces.
func truncateUTF16(s string, max int) string {
	units := 0
	for i, r := range s {
		units += utf16.RuneLen(r)
		if units > max {
			return strings.TrimRight(s[:i], " ")
		}
	}
	return s
}

// propText is user text bound for document properties: not a cell, so no
// formula risk, but line breaks and control characters would look broken in
// a file's properties dialog.
func propText(s string) string {
	return strings.Join(strings.Fields(xmlSafe(s)), " ")
}

// fileToken keeps a file-name part to letters, digits, '-' and '_', so that
// a name built from ids is safe in a Content-Disposition header and on any
// file system, whatever an id turns out to contain.
func fileToken(s string) string {
	s = strings.Map(func(r rune) rune {
		if r == '-' || r == '_' || (r >= '0' && r <= '9') || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') {
			return r
		}
		return '_'
	}, s)
	if s == "" {
		return "_"
	}
	return s
}

// ConsolidatedFileName is the download name of the government-wide
// workbook: "<round>-government-maturity-<lang>.xlsx".
func ConsolidatedFileName(round, lang string) string {
	return fileToken(round) + "-government-maturity-" + normLang(lang) + ".xlsx"
}
