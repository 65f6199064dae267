package factlimit

import (
	"testing"

	"github.com/shopspring/decimal"
)

func TestQuantity(t *testing.T) {
	cases := []struct {
		in   string
		want int64
		ok   bool
	}{
		{"0", 0, true},
		{"1", 1_000_000, true},
		{"0.000001", 1, true},
		{"1.0000000", 1_000_000, true}, // trailing zeros are exact
		{"0.0000001", 0, false},        // a 7th decimal loyalty cannot earn on
		{"1000000000", MaxQuantity * 1_000_000, true},
		{"1000000000.000001", 0, false},
		{"1e400", 0, false},
		{"-2", -2_000_000, true},
	}
	for _, c := range cases {
		got, ok := Quantity(decimal.RequireFromString(c.in))
		if ok != c.ok || (ok && got != c.want) {
			t.Errorf("Quantity(%s) = %d, %v; want %d, %v", c.in, got, ok, c.want, c.ok)
		}
	}
}

func TestAmount(t *testing.T) {
	cases := []struct {
		in   string
		want int64
		ok   bool
	}{
		{"12.34", 1234, true},
		{"12.345", 0, false},
		{"10000000000", MaxAmountMinor, true},
		{"10000000000.01", 0, false},
		{"1e400", 0, false},
		{"-1e400", 0, false},
		{"1e-400", 0, false},
	}
	for _, c := range cases {
		got, ok := Amount(decimal.RequireFromString(c.in), 2)
		if ok != c.ok || (ok && got != c.want) {
			t.Errorf("Amount(%s) = %d, %v; want %d, %v", c.in, got, ok, c.want, c.ok)
		}
	}
}

func TestSane(t *testing.T) {
	for in, want := range map[string]bool{"0": true, "0.0049": true, "1e30": true, "1e31": false, "1e400": false, "1e-31": false} {
		if got := Sane(decimal.RequireFromString(in)); got != want {
			t.Errorf("Sane(%s) = %v, want %v", in, got, want)
		}
	}
}
