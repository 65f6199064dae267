package txnfile

import (
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
)

func TestParseDay(t *testing.T) {
	day := func(s string) int32 {
		tm, err := time.Parse("2006-01-02", s)
		if err != nil {
			t.Fatal(err)
		}
		return int32(tm.Unix() / 86400)
	}
	tests := []struct {
		in      string
		order   DateOrder
		want    string // ISO date, or "" when refused
		problem string
	}{
		{"2024-03-05", YMD, "2024-03-05", ""},
		{"2024/3/5", YMD, "2024-03-05", ""},
		{"1970-01-01", YMD, "1970-01-01", ""},
		{"1969-12-31", YMD, "1969-12-31", ""},
		{"0001-01-01", YMD, "0001-01-01", ""},
		{"9999-12-31", YMD, "9999-12-31", ""},
		{"2000-02-29", YMD, "2000-02-29", ""},
		{"2024-03-05 13:45", YMD, "2024-03-05", ""},
		{"2024-03-05T13:45:07.123Z", YMD, "2024-03-05", ""},
		{"2024-03-05T23:59:60+08:00", YMD, "2024-03-05", ""},
		{"2024-03-05 00:00:00-0500", YMD, "2024-03-05", ""},
		{"05.03.2024", DMY, "2024-03-05", ""},
		{"03/05/2024", MDY, "2024-03-05", ""},
		{"1900-02-29", YMD, "", "no such date"},
		{"2023-02-29", YMD, "", "no such date"},
		{"2024-13-01", YMD, "", "no such date"},
		{"2024-04-31", YMD, "", "no such date"},
		{"2024-00-10", YMD, "", "no such date"},
		{"24-03-05", YMD, "", "year must have four digits"},
		{"2024-03/05", YMD, "", "not a date"},
		{"2024-003-05", YMD, "", "not a date"},
		{"2024-03-05x", YMD, "", "not a date"},
		{"2024-03-05 25:00", YMD, "", "bad time of day after the date"},
		{"2024-03-05 12:00+", YMD, "", "bad time of day after the date"},
		{"2024-03-05 12:00:5", YMD, "", "bad time of day after the date"},
		{"", YMD, "", "not a date"},
		{"2024-03-05", DMY, "", "not a date"},
	}
	for _, tt := range tests {
		got, problem := parseDay([]byte(tt.in), tt.order)
		if problem != tt.problem {
			t.Errorf("parseDay(%q) problem %q, want %q", tt.in, problem, tt.problem)
			continue
		}
		if tt.want != "" && got != day(tt.want) {
			t.Errorf("parseDay(%q) = %d, want %d", tt.in, got, day(tt.want))
		}
	}
}

func TestParseMinor(t *testing.T) {
	tests := []struct {
		in      string
		places  int
		mark    byte
		want    int64
		problem string
	}{
		{"12.34", 2, '.', 1234, ""},
		{"-12.3", 2, '.', -1230, ""},
		{"+7", 2, '.', 700, ""},
		{"0.10", 2, '.', 10, ""},
		{"12.3400", 2, '.', 1234, ""},
		{".5", 2, '.', 50, ""},
		{"5.", 2, '.', 500, ""},
		{"1500", 0, '.', 1500, ""},
		{"12,5", 2, ',', 1250, ""},
		{"92233720368547758.07", 2, '.', 9223372036854775807, ""},
		{"-92233720368547758.07", 2, '.', -9223372036854775807, ""},
		{"92233720368547758.08", 2, '.', 0, "amount out of range"},
		{"99999999999999999999", 0, '.', 0, "amount out of range"},
		{"12.345", 2, '.', 0, "more decimals than the minor unit has"},
		{"12.5", 0, '.', 0, "more decimals than the minor unit has"},
		{"1,234.50", 2, '.', 0, "not an amount"},
		{"12.3.4", 2, '.', 0, "not an amount"},
		{"", 2, '.', 0, "not an amount"},
		{"-", 2, '.', 0, "not an amount"},
		{".", 2, '.', 0, "not an amount"},
		{"1e3", 2, '.', 0, "not an amount"},
		{"12.5", 2, ',', 0, "not an amount"},
	}
	for _, tt := range tests {
		got, problem := parseMinor([]byte(tt.in), tt.places, tt.mark)
		if problem != tt.problem || got != tt.want {
			t.Errorf("parseMinor(%q, %d) = %d %q, want %d %q", tt.in, tt.places, got, problem, tt.want, tt.problem)
		}
	}
}

// FuzzParseMinor checks the amount parser against shopspring/decimal: an
// accepted amount is exactly the decimal times 10^places, and a refused
// plain decimal is one that is finer than the minor unit or too large.
func FuzzParseMinor(f *testing.F) {
	for _, s := range []string{"12.34", "-0.5", "1e3", "9223372036854775.807", "00012.300", "+.1", "-"} {
		f.Add(s, uint8(2))
	}
	f.Fuzz(func(t *testing.T, s string, places uint8) {
		p := int(places % 10)
		got, problem := parseMinor([]byte(s), p, '.')
		plain := s != "" && strings.Trim(s, "+-.0123456789") == "" && strings.LastIndexAny(s, "+-") <= 0
		d, derr := decimal.NewFromString(s)
		if problem == "" {
			if !plain || derr != nil {
				t.Fatalf("parseMinor(%q) accepted what decimal refuses: %v", s, derr)
			}
			if want := d.Shift(int32(p)); !want.Equal(decimal.NewFromInt(got)) {
				t.Fatalf("parseMinor(%q, %d) = %d, decimal says %s", s, p, got, want)
			}
			return
		}
		if plain && derr == nil {
			scaled := d.Shift(int32(p))
			if scaled.IsInteger() && scaled.Abs().LessThanOrEqual(decimal.NewFromInt(9223372036854775807)) {
				t.Fatalf("parseMinor(%q, %d) refused (%s) an exact amount %s", s, p, problem, scaled)
			}
		}
	})
}

// FuzzParseDay checks the date parser against time.Parse on ISO dates:
// both accept the same strings and agree on the day.
func FuzzParseDay(f *testing.F) {
	for _, s := range []string{"2024-02-29", "2023-02-29", "1970-01-01", "9999-12-31", "2024-1-1", "0000-01-01"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, problem := parseDay([]byte(s), YMD)
		date := s
		if i := strings.IndexAny(s, " T"); i >= 0 && problem == "" {
			date = s[:i] // the time of day is checked by the table test
		}
		tm, err := time.Parse("2006-1-2", date)
		if (problem == "") != (err == nil) {
			if problem == "" && strings.ContainsAny(s, "/.") {
				return // other separators: time.Parse's layout has '-'
			}
			t.Fatalf("parseDay(%q): problem %q, time.Parse error %v", s, problem, err)
		}
		if err == nil && int64(got) != floorDiv(tm.Unix(), 86400) {
			t.Fatalf("parseDay(%q) = %d, time says %d", s, got, floorDiv(tm.Unix(), 86400))
		}
	})
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

// FuzzDayCache: the cache gives parseDay's day or problem for every date
// of a sequence, whatever came before (dates drawn from a few parts, so
// prefixes repeat and the cache is hit).
func FuzzDayCache(f *testing.F) {
	f.Add([]byte{0, 1, 2, 3}, uint8(0))
	f.Add([]byte{5, 5, 9, 200, 17, 17}, uint8(2))
	parts := []string{"2024-03-05", "2024-03-0", "2024-03-05 ", "2024-03-05T", " 13:45", "13:45:07.5Z", "x", "1",
		"05/03/2024", "5.3.2024", "2024-02-30", "2023-12-31 23:59", "+08:00", "T", " ", "9999-12-31", "0000-01-01"}
	f.Fuzz(func(t *testing.T, picks []byte, ord uint8) {
		order := DateOrder(ord % 3)
		var c dayCache
		for k := 0; k+1 < len(picks); k += 2 {
			b := []byte(parts[int(picks[k])%len(parts)] + parts[int(picks[k+1])%len(parts)])
			day, problem := c.parse(b, order)
			wantDay, wantProblem := parseDay(b, order)
			if day != wantDay || problem != wantProblem {
				t.Fatalf("%q: cache %d %q, parseDay %d %q", b, day, problem, wantDay, wantProblem)
			}
		}
	})
}
