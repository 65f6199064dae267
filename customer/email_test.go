package customer_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/clientele-go/clientele/customer"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNormalizeEmail(t *testing.T) {
	tests := []struct {
		name, raw, email, key string
	}{
		{"plain", "john@example.com", "john@example.com", "john@example.com"},
		{"trimmed", "  john@example.com \t\n", "john@example.com", "john@example.com"},
		{"ideographic space trimmed", "\u3000john@example.com\u3000", "john@example.com", "john@example.com"},
		{"domain lower-cased, local kept", "John.Smith@Example.COM", "John.Smith@example.com", "john.smith@example.com"},
		{"full-width", "ｊｏｈｎ＠ｅｘａｍｐｌｅ．ｃｏｍ", "john@example.com", "john@example.com"},
		{"small commercial at", "john\ufe6bexample.com", "john@example.com", "john@example.com"},
		{"plus tag", "john+shop@example.com", "john+shop@example.com", "john@example.com"},
		{"plus tag twice", "john+a+b@example.com", "john+a+b@example.com", "john@example.com"},
		{"leading plus is no tag", "+john@example.com", "+john@example.com", "+john@example.com"},
		{"dots kept outside gmail", "j.smith@example.com", "j.smith@example.com", "j.smith@example.com"},
		{"gmail dots", "J.Smith@gmail.com", "J.Smith@gmail.com", "jsmith@gmail.com"},
		{"googlemail", "j.smith+shop@GoogleMail.com", "j.smith+shop@googlemail.com", "jsmith@gmail.com"},
		{"gmail only dots", "..@gmail.com", "..@gmail.com", "..@gmail.com"},
		{"qq numeric", "12345678@QQ.com", "12345678@qq.com", "12345678@qq.com"},
		{"unicode domain", "Li@Bücher.DE", "Li@bücher.de", "li@bücher.de"},
		{"chinese domain", "li@例子.中国", "li@例子.中国", "li@例子.中国"},
		{"unicode local", "Müller@example.com", "Müller@example.com", "müller@example.com"},
		{"idna ascii form", "li@xn--bcher-kva.de", "li@xn--bcher-kva.de", "li@xn--bcher-kva.de"},
		{"subdomains", "a@mail.shop.example.co.uk", "a@mail.shop.example.co.uk", "a@mail.shop.example.co.uk"},
		{"64-byte local", strings.Repeat("a", 64) + "@example.com", strings.Repeat("a", 64) + "@example.com", strings.Repeat("a", 64) + "@example.com"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			email, key, err := customer.NormalizeEmail(tt.raw)
			require.NoError(t, err)
			assert.Equal(t, tt.email, email)
			assert.Equal(t, tt.key, key)
			email2, key2, err := customer.NormalizeEmail(email)
			require.NoError(t, err)
			assert.Equal(t, email, email2, "normalising the output again")
			assert.Equal(t, key, key2)
		})
	}
}

func TestNormalizeEmailMatchKeysAgree(t *testing.T) {
	same := [][]string{
		{"jsmith@gmail.com", "J.Smith@Gmail.com", "j.s.m.i.t.h+promo@googlemail.com", "ＪＳｍｉｔｈ＠ｇｍａｉｌ．ｃｏｍ"},
		{"li@example.com", "LI@EXAMPLE.COM", "li+vip@example.com", " Li@Example.com "},
	}
	for _, group := range same {
		_, want, err := customer.NormalizeEmail(group[0])
		require.NoError(t, err)
		for _, raw := range group[1:] {
			_, got, err := customer.NormalizeEmail(raw)
			require.NoError(t, err, raw)
			assert.Equal(t, want, got, raw)
		}
	}
	// Dots matter outside Gmail.
	_, a, _ := customer.NormalizeEmail("j.smith@example.com")
	_, b, _ := customer.NormalizeEmail("jsmith@example.com")
	assert.NotEqual(t, a, b)
}

func TestNormalizeEmailRejects(t *testing.T) {
	tests := []struct{ name, raw string }{
		{"empty", ""},
		{"blank", " \t "},
		{"no at", "john.example.com"},
		{"two ats", "john@doe@example.com"},
		{"full-width two ats", "john＠doe@example.com"},
		{"no local", "@example.com"},
		{"no domain", "john@"},
		{"domain without dot", "john@localhost"},
		{"leading dot", "john@.example.com"},
		{"trailing dot", "john@example.com."},
		{"double dot", "john@example..com"},
		{"space in local", "john smith@example.com"},
		{"space in domain", "john@exam ple.com"},
		{"ideographic space inside", "john@exam\u3000ple.com"},
		{"zero-width space", "john\u200b@example.com"},
		{"control", "john\x00@example.com"},
		{"newline inside", "john@example.com\nBcc: x@y.com"},
		{"65-byte local", strings.Repeat("a", 65) + "@example.com"},
		{"long domain", "a@" + strings.Repeat("abcdefghi.", 26) + "com"},
		{"long label", "a@" + strings.Repeat("a", 64) + ".com"},
		{"underscore in domain", "a@my_shop.com"},
		{"comma in domain", "a@example.com,b"},
		{"hyphen at label start", "a@-example.com"},
		{"hyphen at label end", "a@example-.com"},
		{"address literal", "a@[127.0.0.1]"},
		{"invalid utf-8", "jo\xffhn@example.com"},
		{"huge", strings.Repeat("a", 5000) + "@example.com"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			email, key, err := customer.NormalizeEmail(tt.raw)
			require.Error(t, err)
			assert.Empty(t, email)
			assert.Empty(t, key)
			assert.ErrorIs(t, err, customer.ErrInvalid)
			var fe *customer.FieldError
			require.ErrorAs(t, err, &fe)
			assert.Equal(t, "email", fe.Field)
			assertNoEmailParts(t, err, tt.raw)
		})
	}
}

// assertNoEmailParts fails if the error text holds the input or any
// 4-byte piece of its local part or domain.
func assertNoEmailParts(t *testing.T, err error, raw string) {
	t.Helper()
	msg := err.Error()
	if trimmed := strings.TrimSpace(raw); trimmed != "" {
		assert.NotContains(t, msg, trimmed)
	}
	for part := range strings.FieldsFuncSeq(raw, func(r rune) bool { return r == '@' || r == '.' || r == ' ' }) {
		if len(part) >= 5 && part != strings.Repeat("a", len(part)) {
			assert.NotContains(t, msg, part)
		}
	}
}

func ExampleNormalizeEmail() {
	for _, raw := range []string{
		" J.Smith+shop@GoogleMail.COM ",
		"ｌｉ．ｈｕａ＠ｅｘａｍｐｌｅ．ｃｎ", // typed with a full-width IME
	} {
		email, key, err := customer.NormalizeEmail(raw)
		fmt.Println(email, key, err)
	}
	_, _, err := customer.NormalizeEmail("li.hua@example")
	fmt.Println(err)
	// Output:
	// J.Smith+shop@googlemail.com jsmith@gmail.com <nil>
	// li.hua@example.cn li.hua@example.cn <nil>
	// customer: email: has a domain without a dot
}
