package money

import (
	"errors"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestMinorUnits(t *testing.T) {
	tests := []struct {
		code string
		want int32
	}{
		{"CNY", 2}, {"USD", 2}, {"EUR", 2}, {"HKD", 2}, {"TWD", 2},
		{"JPY", 0}, {"KRW", 0}, {"ISK", 0},
		{"KWD", 3}, {"BHD", 3}, {"JOD", 3},
		{"CLF", 4},
		{"DEM", 2}, // historic codes are known
		{"IDR", 0}, // CLDR's practice, not ISO 4217's nominal 2
	}
	for _, tt := range tests {
		t.Run(tt.code, func(t *testing.T) {
			got, err := MinorUnits(tt.code)
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestMinorUnitsRejects(t *testing.T) {
	for _, code := range []string{
		"", "CN", "CNYY", "cny", "Cny", "C1Y", "１２３", "ＣＮＹ",
		"QQQ", "ABC", // well-formed, not assigned
		"XXX", "XTS", "XAU", "XDR", // no minor unit
	} {
		t.Run(code, func(t *testing.T) {
			got, err := MinorUnits(code)
			require.Error(t, err)
			assert.ErrorIs(t, err, ErrCurrency)
			assert.Zero(t, got)
		})
	}
}

func TestRoundToMinor(t *testing.T) {
	tests := []struct {
		in, code, want string
	}{
		{"2.345", "CNY", "2.35"},
		{"-2.345", "CNY", "-2.35"}, // away from zero, not towards +inf
		{"2.344", "CNY", "2.34"},
		{"0.125", "USD", "0.13"}, // half away from zero, not banker's 0.12
		{"0.135", "USD", "0.14"},
		{"1234.5", "JPY", "1235"},
		{"-1234.5", "JPY", "-1235"},
		{"1.0005", "KWD", "1.001"},
		{"7", "CNY", "7"},
		{"12.30", "CNY", "12.3"},
	}
	for _, tt := range tests {
		t.Run(tt.code+" "+tt.in, func(t *testing.T) {
			got, err := RoundToMinor(decimal.RequireFromString(tt.in), tt.code)
			require.NoError(t, err)
			assert.True(t, got.Equal(decimal.RequireFromString(tt.want)), "got %s", got)
		})
	}
}

func TestRoundToMinorRejectsCode(t *testing.T) {
	_, err := RoundToMinor(decimal.NewFromInt(1), "XYZ")
	assert.True(t, errors.Is(err, ErrCurrency))
}

func TestIsMinorUnitExact(t *testing.T) {
	tests := []struct {
		in    string
		scale int32
		want  bool
	}{
		{"12.30", 2, true},
		{"12.300", 2, true}, // trailing zeros beyond the scale are fine
		{"12.305", 2, false},
		{"-12.305", 2, false},
		{"12.3", 2, true},
		{"12", 0, true},
		{"12.5", 0, false},
		{"12.50000000000000000000000000001", 2, false},
		{"0", 0, true},
		{"0.000", 0, true},
		{"1200", -2, true},
		{"1250", -2, false},
		{"1", -1000000, false}, // a huge negative scale is answered cheaply
		{"0.1", 2147483647, true},
		{"1e-30", 29, false},
		{"1e-30", 30, true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			assert.Equal(t, tt.want, IsMinorUnitExact(decimal.RequireFromString(tt.in), tt.scale))
		})
	}
}

// IsMinorUnitExact must agree with rounding wherever rounding is cheap.
func TestIsMinorUnitExactAgreesWithRound(t *testing.T) {
	for _, s := range []string{"0.5", "-0.5", "1.25", "100", "99.990", "-7.001", "123456789.123456789"} {
		d := decimal.RequireFromString(s)
		for scale := int32(-3); scale <= 10; scale++ {
			assert.Equal(t, d.Round(scale).Equal(d), IsMinorUnitExact(d, scale), "%s at scale %d", s, scale)
		}
	}
}

func FuzzMinorUnits(f *testing.F) {
	for _, s := range []string{"CNY", "JPY", "KWD", "XXX", "cny", "", "ABCD"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, code string) {
		scale, err := MinorUnits(code)
		if err != nil {
			if !errors.Is(err, ErrCurrency) {
				t.Fatalf("error %v does not match ErrCurrency", err)
			}
			return
		}
		if !isUpperCode(code) || scale < 0 || scale > 4 {
			t.Fatalf("accepted a bad code or scale %d", scale)
		}
		d, err := RoundToMinor(decimal.New(123456789, -6), code)
		if err != nil || !IsMinorUnitExact(d, scale) {
			t.Fatalf("RoundToMinor result %s not exact at scale %d (%v)", d, scale, err)
		}
	})
}
