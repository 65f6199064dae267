package customer_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/clientele-go/clientele/customer"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNormalizePhone(t *testing.T) {
	tests := []struct {
		name, raw, region, want string
	}{
		// One mainland mobile, written every way a till sees it.
		{"cn mobile plus spaced", "+86 138-0013-8000", "CN", "+8613800138000"},
		{"cn mobile 00 prefix", "008613800138000", "CN", "+8613800138000"},
		{"cn mobile bare 86", "8613800138000", "CN", "+8613800138000"},
		{"cn mobile national", "13800138000", "CN", "+8613800138000"},
		{"cn mobile full-width", "１３８００１３８０００", "CN", "+8613800138000"},
		{"cn mobile full-width plus and dashes", "＋８６　１３８－００１３－８０００", "CN", "+8613800138000"},
		{"cn mobile dots", "138.0013.8000", "CN", "+8613800138000"},
		{"cn mobile parentheses", "(+86) 138 0013 8000", "CN", "+8613800138000"},
		{"cn mobile unicode dashes", "138\u20100013\u20138000", "CN", "+8613800138000"},
		{"cn mobile tab and nbsp", "138\t0013\u00a08000", "CN", "+8613800138000"},
		{"cn mobile lower-case region", "13800138000", "cn", "+8613800138000"},
		{"cn mobile from another region", "+86 13800138000", "US", "+8613800138000"},
		{"cn mobile 00 from an unplanned region", "0086 138 0013 8000", "FI", "+8613800138000"},
		{"cn mobile 199", "19912345678", "CN", "+8619912345678"},
		{"cn mobile with trunk 0", "013800138000", "CN", "+8613800138000"},

		// Landlines: the trunk 0 goes, with or without +86.
		{"beijing", "010-12345678", "CN", "+861012345678"},
		{"beijing plus trunk", "+86 010 1234 5678", "CN", "+861012345678"},
		{"beijing plus no trunk", "+86 10 1234 5678", "CN", "+861012345678"},
		{"beijing 0086 trunk", "0086 010 12345678", "CN", "+861012345678"},
		{"beijing bare 86 trunk", "86 010 12345678", "CN", "+861012345678"},
		{"beijing no trunk", "10 1234 5678", "CN", "+861012345678"},
		{"shanghai", "(021) 6123-4567", "CN", "+862161234567"},
		{"guangzhou", "020-87654321", "CN", "+862087654321"},
		{"hangzhou 8 digits", "0571-12345678", "CN", "+8657112345678"},
		{"hangzhou plus trunk", "+86 (0)571 12345678", "CN", "+8657112345678"},
		{"small city 7 digits", "0335-1234567", "CN", "+863351234567"},
		{"service 400", "400-123-4567", "CN", "+864001234567"},

		// Hong Kong and Macau: 8 digits, no trunk prefix.
		{"hk mobile national", "9123 4567", "HK", "+85291234567"},
		{"hk landline", "2123-4567", "HK", "+85221234567"},
		{"hk from cn", "+852 9123 4567", "CN", "+85291234567"},
		{"hk 00852 from cn", "00852 9123 4567", "CN", "+85291234567"},
		{"hk idd 001", "001 86 138 0013 8000", "HK", "+8613800138000"},
		{"hk bare 852", "85291234567", "HK", "+85291234567"},
		{"macau", "6612 3456", "MO", "+85366123456"},

		// Other regions with a trunk prefix dropped in E.164.
		{"taiwan mobile", "0912-345-678", "TW", "+886912345678"},
		{"taiwan taipei full-width", "（０２）２３４５－６７８９", "TW", "+886223456789"},
		{"taiwan idd 002", "002 86 13800138000", "TW", "+8613800138000"},
		{"singapore", "9123 4567", "SG", "+6591234567"},
		{"us", "(650) 555-1234", "US", "+16505551234"},
		{"us trunk 1", "1-650-555-1234", "US", "+16505551234"},
		{"us idd 011", "011 86 138 0013 8000", "US", "+8613800138000"},
		{"canada", "416.555.0123", "CA", "+14165550123"},
		{"uk national", "020 7946 0018", "GB", "+442079460018"},
		{"uk alias", "07911 123456", "UK", "+447911123456"},
		{"uk plus with (0)", "+44 (0)20 7946 0018", "CN", "+442079460018"},
		{"japan", "03-1234-5678", "JP", "+81312345678"},
		{"japan mobile", "090-1234-5678", "JP", "+819012345678"},
		{"japan idd 010", "010 86 13800138000", "JP", "+8613800138000"},
		{"korea mobile", "010-1234-5678", "KR", "+821012345678"},
		{"korea seoul", "02-123-4567", "KR", "+8221234567"},
		{"korea idd 001", "001 86 13800138000", "KR", "+8613800138000"},
		{"malaysia mobile", "012-345 6789", "MY", "+60123456789"},
		{"australia mobile", "0412 345 678", "AU", "+61412345678"},
		{"australia idd 0011", "0011 44 20 7946 0018", "AU", "+442079460018"},
		{"germany", "030 123456", "DE", "+4930123456"},
		{"france", "01 23 45 67 89", "FR", "+33123456789"},

		// Calling codes outside the table: the E.164 shape only.
		{"finland", "+358 40 1234567", "CN", "+358401234567"},
		{"no region international", "+66 81 234 5678", "", "+66812345678"},
		{"no region 00", "0066812345678", "", "+66812345678"},
		{"15 digits", "+998 12 345 678 9012", "CN", "+998123456789012"},
		{"7 digits", "+299 1234", "CN", "+2991234"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := customer.DefaultPhones.NormalizePhone(tt.raw, tt.region)
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
			again, err := customer.DefaultPhones.NormalizePhone(got, tt.region)
			require.NoError(t, err)
			assert.Equal(t, got, again, "normalising the output again")
		})
	}
}

func TestNormalizePhoneRejects(t *testing.T) {
	tests := []struct {
		name, raw, region, field string
	}{
		{"empty", "", "CN", "phone"},
		{"only separators", " - ( ) . ", "CN", "phone"},
		{"plus alone", "+", "CN", "phone"},
		{"letters", "138abc00138000", "CN", "phone"},
		{"vanity", "1-800-FLOWERS", "US", "phone"},
		{"extension", "010-12345678 ext 12", "CN", "phone"},
		{"chinese extension", "010-12345678转12", "CN", "phone"},
		{"plus inside", "138+00138000", "CN", "phone"},
		{"two pluses", "++8613800138000", "CN", "phone"},
		{"slash", "138/0013/8000", "CN", "phone"},
		{"arabic-indic digits", "١٣٨٠٠١٣٨٠٠٠", "CN", "phone"},
		{"invalid utf-8", "138\xff00138000", "CN", "phone"},
		{"too many digits", "1380013800013800138000", "CN", "phone"},
		{"huge input", strings.Repeat("1", 10000), "CN", "phone"},
		{"cn short", "1380013800", "CN", "phone"},
		{"cn long", "138001380001", "CN", "phone"},
		{"cn mobile 12x", "12800138000", "CN", "phone"},
		{"cn local without area code", "12345678", "CN", "phone"},
		{"cn landline 2-digit area 7 digits", "010-1234567", "CN", "phone"},
		{"cn landline 3-digit area 9 digits", "0571-123456789", "CN", "phone"},
		{"plus cn short", "+86 138 0013 800", "CN", "phone"},
		{"hk 7 digits", "9123 456", "HK", "phone"},
		{"hk starts with 1", "1123 4567", "HK", "phone"},
		{"us area code 1xx", "(150) 555-1234", "US", "phone"},
		{"us exchange 0xx", "(650) 055-1234", "US", "phone"},
		{"country code 0", "+0 123 4567", "CN", "phone"},
		{"00 then 0", "000 123 4567", "CN", "phone"},
		{"e164 too short", "+299 123", "CN", "phone"},
		{"e164 too long", "+998 12 345 678 90123", "CN", "phone"},
		{"unknown region", "13800138000", "ZZ", "region"},
		{"region not letters", "13800138000", "C1", "region"},
		{"region three letters", "13800138000", "CHN", "region"},
		{"region name", "13800138000", "China", "region"},
		{"region without plan", "040 1234567", "FI", "region"},
		{"unknown region with plus", "+86 138 0013 8000", "ZZ", "region"},
		{"unknown region with 00", "0086 138 0013 8000", "XY", "region"},
		{"no region national", "13800138000", "", "region"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := customer.DefaultPhones.NormalizePhone(tt.raw, tt.region)
			require.Error(t, err)
			assert.Empty(t, got)
			assert.ErrorIs(t, err, customer.ErrInvalid)
			var fe *customer.FieldError
			require.ErrorAs(t, err, &fe)
			assert.Equal(t, tt.field, fe.Field)
			assertNoPhoneDigits(t, err, tt.raw)
		})
	}
}

// TestPhoneErrorsHideInput checks that no error names a run of the
// input's digits, whatever went wrong.
func TestPhoneErrorsHideInput(t *testing.T) {
	inputs := []string{
		"13800138", "1380013800", "138001380001", "+86 138 0013 800", "+8613800138000x",
		"9999999999999999999999", "+0 8613800138000", "13800138000", "0572-99999", "+1 150 555 1234",
	}
	for _, raw := range inputs {
		for _, region := range []string{"CN", "HK", "US", "FI", "", "ZZ"} {
			_, err := customer.DefaultPhones.NormalizePhone(raw, region)
			if err != nil {
				assertNoPhoneDigits(t, err, raw)
			}
		}
	}
}

// assertNoPhoneDigits fails if the error text holds the input or any four
// consecutive digits of it (the messages hold no digit run that long but
// "3166", the ISO standard's number, and no test input contains that).
func assertNoPhoneDigits(t *testing.T, err error, raw string) {
	t.Helper()
	msg := err.Error()
	if strings.TrimSpace(raw) != "" {
		assert.NotContains(t, msg, strings.TrimSpace(raw))
	}
	var digits []byte
	for _, r := range raw {
		if r >= '0' && r <= '9' {
			digits = append(digits, byte(r))
		}
	}
	for i := 0; i+4 <= len(digits); i++ {
		run := string(digits[i : i+4])
		if run != "3166" {
			assert.NotContains(t, msg, run)
		}
	}
}

func TestPhoneTail(t *testing.T) {
	tests := []struct {
		in   string
		n    int
		want string
	}{
		{"+8613800138000", 4, "8000"},
		{"+8613800138000", 11, "13800138000"},
		{"+8613800138000", 13, "8613800138000"},
		{"+8613800138000", 20, "8613800138000"},
		{"+86 138-0013-8000", 6, "138000"},
		{"+8613800138000", 0, ""},
		{"+8613800138000", -1, ""},
		{"", 4, ""},
		{"+", 4, ""},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s/%d", tt.in, tt.n), func(t *testing.T) {
			assert.Equal(t, tt.want, customer.PhoneTail(tt.in, tt.n))
		})
	}
}

// DefaultPhones holds no state, so concurrent use is safe; run with -race.
func TestNormalizePhoneConcurrent(t *testing.T) {
	for i := range 4 {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			t.Parallel()
			for range 200 {
				got, err := customer.DefaultPhones.NormalizePhone("１３８ ００１３ ８０００", "CN")
				require.NoError(t, err)
				require.Equal(t, "+8613800138000", got)
			}
		})
	}
}

func ExamplePhoneNormalizer() {
	for _, raw := range []string{
		"+86 138-0013-8000",
		"１３８００１３８０００", // typed with a Chinese IME
		"010-12345678",
		"+86 (0)10 1234 5678",
	} {
		e164, err := customer.DefaultPhones.NormalizePhone(raw, "CN")
		fmt.Println(e164, err)
	}
	hk, _ := customer.DefaultPhones.NormalizePhone("9123 4567", "HK")
	fmt.Println(hk)

	_, err := customer.DefaultPhones.NormalizePhone("138-0013-800", "CN")
	fmt.Println(errors.Is(err, customer.ErrInvalid), err)
	// Output:
	// +8613800138000 <nil>
	// +8613800138000 <nil>
	// +861012345678 <nil>
	// +861012345678 <nil>
	// +85291234567
	// true customer: phone: is not a valid national number for region CN
}

func ExamplePhoneTail() {
	fmt.Println(customer.PhoneTail("+8613800138000", 4))
	// Output: 8000
}
