package customer

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/language"
)

// DefaultPhones is the built-in PhoneNormalizer. It returns E.164
// ("+8613800138000") and knows:
//
//   - mainland China (CN) in full: mobiles (11 digits, 1[3-9]…) and
//     landlines with their area code (010 and 02x take 8-digit subscriber
//     numbers, 0[3-9]xx take 7 or 8 digits); the trunk 0 is dropped, and a
//     number written with +86, 0086 or a bare 86 in front, with or without
//     the trunk 0, normalises to the same string;
//   - a small table of regions common in Chinese retail: HK, MO, TW, SG,
//     US and CA (NANP), GB, JP, KR, MY, AU, DE and FR, each with its
//     calling code, the usual international prefixes, its national trunk
//     prefix and the length of its national numbers;
//   - every other calling code by the E.164 shape only: at most 15 digits,
//     at least 7, and a country code that does not start with 0.
//
// Input may be typed with full-width digits (an IME's １３８…), spaces,
// dashes, dots and parentheses, and may start with "+" or an international
// prefix ("00", or the region's own such as "011" in the US). Letters,
// extensions and any other characters are rejected. A number without a
// country code is read in defaultRegion, an ISO 3166-1 alpha-2 code in
// either case; an empty region accepts only numbers that carry their
// country code. A region that is not a country code is an error even for
// numbers that carry their country code.
//
// Errors are *FieldError values (matching ErrInvalid) for the field
// "phone", or "region" when the region is not a country code or has no
// built-in plan for a national number. They never quote the input.
var DefaultPhones PhoneNormalizer = phoneRules{}

// phoneRules implements DefaultPhones. It is stateless, so one value is
// safe for concurrent use.
type phoneRules struct{}

// Limits on what is read at all, so hostile input costs little.
const (
	maxPhoneInput  = 256 // bytes of raw input
	maxPhoneDigits = 20  // the longest prefix (5 digits) plus 15
	minE164Digits  = 7
	maxE164Digits  = 15
)

// Problems reported for the "phone" and "region" fields. They are fixed
// strings so that no error can carry personal data.
const (
	phoneEmpty     = "is empty"
	phoneTooLong   = "is too long"
	phoneBadChars  = "may contain only digits, spaces, dashes, dots, parentheses and a leading +"
	phoneBadIntl   = "is not a valid international number (E.164: 7 to 15 digits, country code not starting with 0)"
	phoneBadPlan   = "is not a valid number for its country calling code"
	phoneNational  = "is not a valid national number for region "
	regionInvalid  = "is not an ISO 3166-1 alpha-2 country code"
	regionNoPlan   = "has no built-in numbering plan; write the number with its country code (+ or 00)"
	regionRequired = "is empty; write the number with its country code (+ or 00) or give a default region"
)

// NormalizePhone implements PhoneNormalizer.
func (phoneRules) NormalizePhone(raw, defaultRegion string) (string, error) {
	if len(raw) > maxPhoneInput {
		return "", phoneError(phoneTooLong)
	}
	var buf [maxPhoneDigits]byte
	digits, plus, problem := scanPhone(raw, buf[:0])
	if problem != "" {
		return "", phoneError(problem)
	}
	if len(digits) == 0 {
		return "", phoneError(phoneEmpty)
	}
	// The region is checked even when the number does not need it, so a
	// misconfigured default shows on the first number, not the first
	// national one.
	plan, regionErr := planForRegion(defaultRegion)
	if regionErr != nil {
		return "", regionErr
	}
	if plus {
		return international(digits)
	}
	if plan == nil {
		// No national plan: only an international prefix can say which
		// country the number belongs to.
		if len(digits) > 2 && digits[0] == '0' && digits[1] == '0' {
			return international(digits[2:])
		}
		if defaultRegion == "" {
			return "", &FieldError{Field: "region", Problem: regionRequired}
		}
		return "", &FieldError{Field: "region", Problem: regionNoPlan}
	}
	return plan.parse(digits, defaultRegion)
}

func phoneError(problem string) error {
	return &FieldError{Field: "phone", Problem: problem}
}

// scanPhone appends the digits of raw to buf and reports whether they were
// preceded by "+". Full-width and other compatibility forms are folded
// first; separators are skipped; anything else is a problem.
func scanPhone(raw string, buf []byte) (digits []byte, plus bool, problem string) {
	s := foldText(raw)
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			if len(buf) == cap(buf) {
				return nil, false, phoneTooLong
			}
			buf = append(buf, byte(r))
		case r == '+':
			// "+" only opens the number: "(+86) 138…" is fine, "138+…" not.
			if plus || len(buf) > 0 {
				return nil, false, phoneBadChars
			}
			plus = true
		case isPhoneSeparator(r):
		default:
			return nil, false, phoneBadChars
		}
	}
	return buf, plus, ""
}

// isPhoneSeparator reports the characters people put between digit
// groups: spaces, dashes of any kind, dots and parentheses.
func isPhoneSeparator(r rune) bool {
	switch r {
	case ' ', '-', '.', '(', ')', '\u2212': // U+2212 is the minus sign
		return true
	}
	if r < utf8.RuneSelf {
		return r == '\t'
	}
	return unicode.IsSpace(r) || unicode.Is(unicode.Pd, r)
}

// international returns the E.164 form of digits that start with the
// country calling code (what followed "+" or an international prefix).
func international(digits []byte) (string, error) {
	if len(digits) == 0 || digits[0] == '0' {
		return "", phoneError(phoneBadIntl)
	}
	if plan := planForDigits(digits); plan != nil {
		nsn := digits[len(plan.cc):]
		// "+44 (0)20…" and "+86 010…": the trunk prefix does not belong
		// in E.164 but is often written anyway.
		if plan.trunk == "0" && len(nsn) > 0 && nsn[0] == '0' {
			nsn = nsn[1:]
		}
		if !plan.valid(nsn) {
			return "", phoneError(phoneBadPlan)
		}
		return e164(plan.cc, nsn), nil
	}
	if len(digits) < minE164Digits || len(digits) > maxE164Digits {
		return "", phoneError(phoneBadIntl)
	}
	return e164("", digits), nil
}

// e164 builds "+" cc nsn in one allocation.
func e164(cc string, nsn []byte) string {
	var b strings.Builder
	b.Grow(1 + len(cc) + len(nsn))
	b.WriteByte('+')
	b.WriteString(cc)
	b.Write(nsn)
	return b.String()
}

// PhoneTail returns the last n digits of a phone number, skipping the "+"
// and any separators, or all its digits when it has fewer. Duplicate
// reasons use it to say "same phone ending 8000" without the whole number.
func PhoneTail(e164 string, n int) string {
	n = min(n, len(e164))
	if n <= 0 {
		return ""
	}
	tail := make([]byte, n)
	k := n
	for i := len(e164) - 1; i >= 0 && k > 0; i-- {
		if c := e164[i]; c >= '0' && c <= '9' {
			k--
			tail[k] = c
		}
	}
	return string(tail[k:])
}

// numberingPlan is what the normaliser knows of one country calling code.
type numberingPlan struct {
	cc    string   // country calling code
	trunk string   // national trunk prefix, dropped in E.164; "" if none
	idd   []string // international prefixes besides "00", longest first
	// The national significant number (what follows the calling code in
	// E.164): a special rule, or minLen to maxLen digits starting with one
	// of first. No rule accepts a leading 0, which keeps the output
	// idempotent.
	rule           nsnRule
	minLen, maxLen int
	first          string
}

// nsnRule selects how a plan validates national numbers. A switch rather
// than a func field keeps the digit buffer on the stack.
type nsnRule uint8

const (
	byLength nsnRule = iota
	chinaRule
	nanpRule
)

// The built-in plans. International prefixes are the common ones of each
// region; "00" is tried everywhere after them.
var (
	planCN   = &numberingPlan{cc: "86", trunk: "0", rule: chinaRule}
	planHK   = &numberingPlan{cc: "852", idd: []string{"001"}, minLen: 8, maxLen: 8, first: "23456789"}
	planMO   = &numberingPlan{cc: "853", minLen: 8, maxLen: 8, first: "23456789"}
	planTW   = &numberingPlan{cc: "886", trunk: "0", idd: []string{"002", "005", "006", "007", "009"}, minLen: 8, maxLen: 9, first: "23456789"}
	planSG   = &numberingPlan{cc: "65", idd: []string{"001", "002", "008", "018", "019"}, minLen: 8, maxLen: 8, first: "3689"}
	planNANP = &numberingPlan{cc: "1", trunk: "1", idd: []string{"011"}, rule: nanpRule}
	planGB   = &numberingPlan{cc: "44", trunk: "0", minLen: 9, maxLen: 10, first: "123456789"}
	planJP   = &numberingPlan{cc: "81", trunk: "0", idd: []string{"010"}, minLen: 9, maxLen: 10, first: "123456789"}
	planKR   = &numberingPlan{cc: "82", trunk: "0", idd: []string{"00700", "001", "002", "005", "006", "008"}, minLen: 8, maxLen: 10, first: "123456789"}
	planMY   = &numberingPlan{cc: "60", trunk: "0", minLen: 8, maxLen: 10, first: "123456789"}
	planAU   = &numberingPlan{cc: "61", trunk: "0", idd: []string{"0011"}, minLen: 9, maxLen: 9, first: "23478"}
	planDE   = &numberingPlan{cc: "49", trunk: "0", minLen: 6, maxLen: 13, first: "123456789"}
	planFR   = &numberingPlan{cc: "33", trunk: "0", minLen: 9, maxLen: 9, first: "123456789"}
)

// regionPlans maps ISO 3166-1 alpha-2 codes (and the common "UK") to plans.
var regionPlans = map[string]*numberingPlan{
	"CN": planCN, "HK": planHK, "MO": planMO, "TW": planTW, "SG": planSG,
	"US": planNANP, "CA": planNANP, "GB": planGB, "UK": planGB, "JP": planJP,
	"KR": planKR, "MY": planMY, "AU": planAU, "DE": planDE, "FR": planFR,
}

// callingCodePlans lists each built-in plan once. Calling codes are
// prefix free, so at most one of them starts a number; a scan of this
// short list is cheaper than map lookups of 1-, 2- and 3-digit prefixes.
var callingCodePlans = []*numberingPlan{
	planCN, planHK, planMO, planTW, planSG, planNANP, planGB, planJP, planKR, planMY, planAU, planDE, planFR,
}

// planForDigits returns the plan of the calling code digits start with.
func planForDigits(digits []byte) *numberingPlan {
	for _, p := range callingCodePlans {
		if hasDigitPrefix(digits, p.cc) {
			return p
		}
	}
	return nil
}

// planForRegion returns the plan of a default region, nil for "" or for a
// real country without a built-in plan, and an error naming the "region"
// field for anything that is not a country code.
func planForRegion(region string) (*numberingPlan, error) {
	if region == "" {
		return nil, nil
	}
	if len(region) != 2 {
		return nil, &FieldError{Field: "region", Problem: regionInvalid}
	}
	var up [2]byte
	for i := range 2 {
		c := region[i]
		if c >= 'a' && c <= 'z' {
			c -= 'a' - 'A'
		}
		if c < 'A' || c > 'Z' {
			return nil, &FieldError{Field: "region", Problem: regionInvalid}
		}
		up[i] = c
	}
	if p, ok := regionPlans[string(up[:])]; ok {
		return p, nil
	}
	if r, err := language.ParseRegion(string(up[:])); err != nil || !r.IsCountry() {
		return nil, &FieldError{Field: "region", Problem: regionInvalid}
	}
	return nil, nil
}

// parse reads digits written without "+" in the plan's region.
func (p *numberingPlan) parse(digits []byte, region string) (string, error) {
	// No national number of these plans starts with one of its
	// international prefixes, so a prefix match is tried first; if what
	// follows is no valid number, the digits may still be national.
	for _, idd := range p.idd {
		if out, ok := p.afterPrefix(digits, idd); ok {
			return out, nil
		}
	}
	if out, ok := p.afterPrefix(digits, "00"); ok {
		return out, nil
	}
	if out, ok := p.national(digits); ok {
		return out, nil
	}
	// The calling code without "+" or a prefix, as in "8613800138000".
	if hasDigitPrefix(digits, p.cc) {
		if out, ok := p.national(digits[len(p.cc):]); ok {
			return out, nil
		}
	}
	return "", phoneError(phoneNational + strings.ToUpper(region))
}

func (p *numberingPlan) afterPrefix(digits []byte, prefix string) (string, bool) {
	if !hasDigitPrefix(digits, prefix) {
		return "", false
	}
	out, err := international(digits[len(prefix):])
	return out, err == nil
}

// national reads a national number, with or without the trunk prefix.
func (p *numberingPlan) national(digits []byte) (string, bool) {
	if p.trunk != "" && hasDigitPrefix(digits, p.trunk) {
		digits = digits[len(p.trunk):]
	}
	if !p.valid(digits) {
		return "", false
	}
	return e164(p.cc, digits), true
}

func hasDigitPrefix(digits []byte, prefix string) bool {
	return len(digits) >= len(prefix) && string(digits[:len(prefix)]) == prefix
}

// chinaNumber validates a mainland China national significant number:
// a mobile 1[3-9] plus 9 digits, a landline in Beijing (10) or a 2x city
// plus 8 digits, or a 3-digit area code [3-9]xx plus 7 or 8 digits.
func chinaNumber(n []byte) bool {
	switch {
	case len(n) == 11 && n[0] == '1':
		return n[1] >= '3'
	case len(n) == 10 && (n[0] == '2' || n[0] == '1' && n[1] == '0'):
		return true
	case (len(n) == 10 || len(n) == 11) && n[0] >= '3':
		return true
	}
	return false
}

// nanpNumber validates a North American number: area code and exchange
// both start with 2-9.
func nanpNumber(n []byte) bool {
	return len(n) == 10 && n[0] >= '2' && n[3] >= '2'
}

// valid reports whether n is a national significant number of the plan.
func (p *numberingPlan) valid(n []byte) bool {
	switch p.rule {
	case chinaRule:
		return chinaNumber(n)
	case nanpRule:
		return nanpNumber(n)
	}
	return len(n) >= p.minLen && len(n) <= p.maxLen && strings.IndexByte(p.first, n[0]) >= 0
}
