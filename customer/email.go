package customer

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Limits of an address (RFC 5321 4.5.3.1) and of what is read at all.
const (
	maxEmailInput  = 1024 // bytes of raw input
	maxEmailLocal  = 64   // bytes of the local part
	maxEmailDomain = 255  // bytes of the domain
	maxEmailLabel  = 63   // bytes of one domain label
)

// Problems reported for the "email" field: fixed strings, so that no
// error can carry personal data.
const (
	emailEmpty       = "is empty"
	emailTooLong     = "is too long"
	emailBadUTF8     = "is not valid UTF-8"
	emailOneAt       = "must contain exactly one @"
	emailNoLocal     = "has nothing before the @"
	emailLongLocal   = "has more than 64 bytes before the @"
	emailSpace       = "contains white space or control characters"
	emailNoDomain    = "has nothing after the @"
	emailLongDomain  = "has a domain longer than 255 bytes"
	emailDomainDot   = "has a domain without a dot"
	emailEmptyLabel  = "has an empty domain label (two dots in a row, or a dot at an end)"
	emailLongLabel   = "has a domain label longer than 63 bytes"
	emailDomainChars = "has a domain with characters other than letters, digits, hyphens and dots"
	emailHyphen      = "has a domain label that starts or ends with a hyphen"
)

// NormalizeEmail returns the form of an email address to store and the
// key to match it by.
//
// The address is NFKC-normalised with full-width forms folded (an IME's
// "ｊｏｈｎ＠ｅｘａｍｐｌｅ．ｃｏｍ" is "john@example.com") and trimmed. The
// domain is lower-cased (Unicode domains too; no IDNA conversion is done);
// the local part is kept as typed, since a mail server may treat case in
// it as significant.
//
// matchKey is for finding the same person under two spellings, never for
// sending mail: the local part lower-cased and with any "+tag" suffix
// removed, and, for gmail.com and googlemail.com, without dots and with
// the domain gmail.com ("J.Smith+shop@GoogleMail.com" matches
// "jsmith@gmail.com").
//
// Validation is deliberately structural: exactly one @, a local part of 1
// to 64 bytes, a domain of at most 255 bytes with at least one dot and
// non-empty labels of at most 63 bytes, no white space or control
// characters anywhere, and ASCII letters, digits and hyphens (no hyphen at
// a label's ends) as the only ASCII in the domain. Quoted local parts and
// address literals are not accepted. Errors are *FieldError values for the
// field "email" (matching ErrInvalid) and never quote the input.
func NormalizeEmail(raw string) (email, matchKey string, err error) {
	if len(raw) > maxEmailInput {
		return "", "", emailError(emailTooLong)
	}
	if !utf8.ValidString(raw) {
		return "", "", emailError(emailBadUTF8)
	}
	s := strings.TrimSpace(foldText(raw))
	if s == "" {
		return "", "", emailError(emailEmpty)
	}
	at := strings.IndexByte(s, '@')
	if at < 0 || strings.IndexByte(s[at+1:], '@') >= 0 {
		return "", "", emailError(emailOneAt)
	}
	local, domain := s[:at], lowerDomain(s[at+1:])
	if problem := checkLocal(local); problem != "" {
		return "", "", emailError(problem)
	}
	if problem := checkDomain(domain); problem != "" {
		return "", "", emailError(problem)
	}
	return local + "@" + domain, emailMatchKey(local, domain), nil
}

func emailError(problem string) error {
	return &FieldError{Field: "email", Problem: problem}
}

// lowerDomain lower-cases a domain. Lower-casing can leave text that NFKC
// changes again, so non-ASCII domains are normalised once more, which
// keeps NormalizeEmail idempotent.
func lowerDomain(d string) string {
	if isASCII(d) {
		return strings.ToLower(d)
	}
	return norm.NFKC.String(strings.ToLower(d))
}

func checkLocal(local string) string {
	switch {
	case local == "":
		return emailNoLocal
	case len(local) > maxEmailLocal:
		return emailLongLocal
	case hasSpaceOrControl(local):
		return emailSpace
	}
	return ""
}

func checkDomain(domain string) string {
	switch {
	case domain == "":
		return emailNoDomain
	case len(domain) > maxEmailDomain:
		return emailLongDomain
	case hasSpaceOrControl(domain):
		return emailSpace
	case strings.IndexByte(domain, '.') < 0:
		return emailDomainDot
	}
	for label := range strings.SplitSeq(domain, ".") {
		if problem := checkLabel(label); problem != "" {
			return problem
		}
	}
	return ""
}

func checkLabel(label string) string {
	switch {
	case label == "":
		return emailEmptyLabel
	case len(label) > maxEmailLabel:
		return emailLongLabel
	case label[0] == '-' || label[len(label)-1] == '-':
		return emailHyphen
	}
	for i := 0; i < len(label); i++ {
		c := label[i]
		ok := c >= utf8.RuneSelf || c == '-' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9'
		if !ok {
			return emailDomainChars
		}
	}
	return ""
}

func hasSpaceOrControl(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || unicode.IsControl(r) || unicode.Is(unicode.Cf, r)
	}) >= 0
}

// emailMatchKey builds the match key of a valid, normalised address.
func emailMatchKey(local, domain string) string {
	key := strings.ToLower(local)
	// A "+tag" routes mail to the same mailbox at most providers; a "+"
	// that opens the local part is not a tag.
	if i := strings.IndexByte(key, '+'); i > 0 {
		key = key[:i]
	}
	if domain == "gmail.com" || domain == "googlemail.com" {
		// Gmail ignores dots in the local part, and googlemail.com is
		// the same service.
		if undotted := strings.ReplaceAll(key, ".", ""); undotted != "" {
			key = undotted
		}
		domain = "gmail.com"
	}
	return key + "@" + domain
}
