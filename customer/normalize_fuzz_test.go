package customer

import (
	"errors"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"
)

var e164Shape = regexp.MustCompile(`^\+[1-9]\d{6,14}$`)

// phoneMessages is every error text DefaultPhones can produce. An error
// outside this fixed set could carry input.
var phoneMessages = func() map[string]bool {
	m := map[string]bool{}
	for _, p := range []string{phoneEmpty, phoneTooLong, phoneBadChars, phoneBadIntl, phoneBadPlan} {
		m[(&FieldError{Field: "phone", Problem: p}).Error()] = true
	}
	for region := range regionPlans {
		m[(&FieldError{Field: "phone", Problem: phoneNational + region}).Error()] = true
	}
	for _, p := range []string{regionInvalid, regionNoPlan, regionRequired} {
		m[(&FieldError{Field: "region", Problem: p}).Error()] = true
	}
	return m
}()

var emailMessages = func() map[string]bool {
	m := map[string]bool{}
	for _, p := range []string{
		emailEmpty, emailTooLong, emailBadUTF8, emailOneAt, emailNoLocal, emailLongLocal, emailSpace,
		emailNoDomain, emailLongDomain, emailDomainDot, emailEmptyLabel, emailLongLabel, emailDomainChars, emailHyphen,
	} {
		m[(&FieldError{Field: "email", Problem: p}).Error()] = true
	}
	return m
}()

// checkError asserts the properties every normaliser error has: it
// matches ErrInvalid, comes from the fixed set of messages, and does not
// contain the raw input (checked when the input is long enough not to
// occur in a fixed message by chance).
func checkError(t *testing.T, err error, raw string, messages map[string]bool) {
	t.Helper()
	if !errors.Is(err, ErrInvalid) {
		t.Fatalf("error does not match ErrInvalid: %v", err)
	}
	msg := err.Error()
	if !messages[msg] {
		t.Fatalf("unexpected error text %q", msg)
	}
	if trimmed := strings.TrimSpace(raw); len(trimmed) >= 6 && strings.Contains(msg, trimmed) {
		t.Fatalf("error %q quotes its input", msg)
	}
}

func FuzzNormalizePhone(f *testing.F) {
	seeds := []struct{ raw, region string }{
		{"+86 138-0013-8000", "CN"}, {"008613800138000", "CN"}, {"8613800138000", "CN"},
		{"13800138000", "CN"}, {"１３８００１３８０００", "CN"}, {"010-12345678", "CN"},
		{"+86 (0)10 1234 5678", "CN"}, {"0571-1234567", "CN"}, {"9123 4567", "HK"},
		{"(650) 555-1234", "US"}, {"011 44 20 7946 0018", "US"}, {"0011 44 20 7946 0018", "AU"},
		{"+358 40 1234567", "FI"}, {"13800138000", "ZZ"}, {"13800138000", ""}, {"abc", "CN"},
		{"", "CN"}, {"++", "CN"}, {"0000000", "KR"}, {"1-800-FLOWERS", "us"},
	}
	for _, s := range seeds {
		f.Add(s.raw, s.region)
	}
	f.Fuzz(func(t *testing.T, raw, region string) {
		out, err := DefaultPhones.NormalizePhone(raw, region)
		if err != nil {
			if out != "" {
				t.Fatalf("output %q with error", out)
			}
			checkError(t, err, raw, phoneMessages)
			return
		}
		if !e164Shape.MatchString(out) {
			t.Fatalf("output %q is not E.164", out)
		}
		// The output is final whatever the region: it carries its
		// country code.
		for _, r := range []string{region, "CN", "US", ""} {
			again, err := DefaultPhones.NormalizePhone(out, r)
			if err != nil || again != out {
				t.Fatalf("not idempotent in region %q: %q -> %q, %v", r, out, again, err)
			}
		}
	})
}

func FuzzNormalizeEmail(f *testing.F) {
	for _, s := range []string{
		"john@example.com", " J.Smith+shop@GoogleMail.COM ", "ｊｏｈｎ＠ｅｘａｍｐｌｅ．ｃｏｍ",
		"Li@Bücher.DE", "li@例子.中国", "a@b", "a@@b.com", "@x.com", "a b@x.com", "x@-a.com",
		"İ@İ.İ", "ß@ẞ.com", "john\ufe6bexample.com", "..@gmail.com", "+@gmail.com",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		email, key, err := NormalizeEmail(raw)
		if err != nil {
			if email != "" || key != "" {
				t.Fatalf("output %q, %q with error", email, key)
			}
			checkError(t, err, raw, emailMessages)
			return
		}
		if !utf8.ValidString(email) || strings.Count(email, "@") != 1 || strings.Count(key, "@") != 1 {
			t.Fatalf("bad output %q, %q", email, key)
		}
		email2, key2, err := NormalizeEmail(email)
		if err != nil || email2 != email || key2 != key {
			t.Fatalf("not idempotent: %q, %q -> %q, %q, %v", email, key, email2, key2, err)
		}
	})
}

func FuzzNameKey(f *testing.F) {
	for _, s := range []string{
		"张 三", "  Zhang   San ", "约翰 · 史密斯", "约翰.史密斯", "ＭÜＬＬＥＲ", "ジョン・スミス",
		"a\u200bb", "·张三·", "Straße", "ΟΔΥΣΣΕΥΣ", "\uf900", "ǅ", "ﬀ", "İ", "ᾼ", "\xff",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		key := NameKey(name)
		if !utf8.ValidString(key) {
			t.Fatalf("invalid UTF-8 key %q", key)
		}
		if key != strings.TrimSpace(key) || strings.Contains(key, "  ") {
			t.Fatalf("white space not collapsed: %q", key)
		}
		if again := NameKey(key); again != key {
			t.Fatalf("not idempotent: %q -> %q -> %q", name, key, again)
		}
	})
}
