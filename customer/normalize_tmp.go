package customer

import "strings"

// TEMPORARY: replaced by phone.go, email.go and name.go.

type defaultPhones struct{}

// DefaultPhones is the built-in phone normaliser.
var DefaultPhones PhoneNormalizer = defaultPhones{}

func (defaultPhones) NormalizePhone(raw, region string) (string, error) { return raw, nil }

// NormalizeEmail returns the stored form of an email and its match key.
func NormalizeEmail(raw string) (email, matchKey string, err error) {
	return strings.TrimSpace(raw), strings.ToLower(strings.TrimSpace(raw)), nil
}

// NameKey returns the match form of a name.
func NameKey(name string) string { return strings.ToLower(strings.Join(strings.Fields(name), " ")) }

// PhoneTail returns the last n digits.
func PhoneTail(e164 string, n int) string {
	if len(e164) < n {
		return e164
	}
	return e164[len(e164)-n:]
}
