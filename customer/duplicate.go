package customer

import (
	"context"
	"strings"
)

// MatchReason says why two customers look like the same person.
type MatchReason string

// Reasons duplicate detection reports. Each pairs the matching name with a
// second fact, since names alone collide far too often (张伟 is shared by
// hundreds of thousands of people).
const (
	SameNameAndBirthday  MatchReason = "name+birthday"
	SameNameAndPhoneTail MatchReason = "name+phone-tail"
	SameNameAndEmail     MatchReason = "name+email"
	SameNameAndAddress   MatchReason = "name+address"
)

// phoneTailDigits is how many trailing digits "phone tail" compares:
// what a cashier asks for ("last four digits of your phone").
const phoneTailDigits = 4

// Match is a customer that probably is the person being registered.
type Match struct {
	CustomerID string        `json:"customerId"`
	Reasons    []MatchReason `json:"reasons"`
}

func reasonNames(rs []MatchReason) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = string(r)
	}
	return out
}

// findDuplicates returns the live customers that share c's name key and one
// more fact with it.
func (s *Service) findDuplicates(ctx context.Context, c Customer) ([]Match, error) {
	if c.NameKey == "" {
		return nil, nil
	}
	var matches []Match
	for other, err := range s.store.CustomersByNameKey(ctx, c.NameKey) {
		if err != nil {
			return nil, err
		}
		if other.ID == c.ID || other.MergedInto != "" || other.Erased() {
			continue
		}
		if reasons := matchReasons(c, other); len(reasons) > 0 {
			matches = append(matches, Match{CustomerID: other.ID, Reasons: reasons})
		}
	}
	return matches, nil
}

// matchReasons compares two customers with equal name keys.
func matchReasons(a, b Customer) []MatchReason {
	var rs []MatchReason
	if sameBirthday(a.Birthday, b.Birthday) {
		rs = append(rs, SameNameAndBirthday)
	}
	if pa, ok := a.Identity(IdentityPhone); ok {
		if pb, ok := b.Identity(IdentityPhone); ok && PhoneTail(pa.Value, phoneTailDigits) == PhoneTail(pb.Value, phoneTailDigits) {
			rs = append(rs, SameNameAndPhoneTail)
		}
	}
	if ea, ok := a.Identity(IdentityEmail); ok {
		if eb, ok := b.Identity(IdentityEmail); ok && emailKey(ea.Value) == emailKey(eb.Value) {
			rs = append(rs, SameNameAndEmail)
		}
	}
	if sameAddress(a.Address, b.Address) {
		rs = append(rs, SameNameAndAddress)
	}
	return rs
}

func sameBirthday(a, b Birthday) bool {
	if a.IsZero() || b.IsZero() || a.Month != b.Month || a.Day != b.Day || a.Lunar != b.Lunar || a.LeapMonth != b.LeapMonth {
		return false
	}
	return a.Year == 0 || b.Year == 0 || a.Year == b.Year
}

func sameAddress(a, b Address) bool {
	if a.Street == "" || b.Street == "" {
		return false
	}
	return NameKey(a.City) == NameKey(b.City) && NameKey(a.Street) == NameKey(b.Street)
}

func emailKey(email string) string {
	_, key, err := NormalizeEmail(email)
	if err != nil {
		return strings.ToLower(email)
	}
	return key
}
