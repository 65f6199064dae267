package astro

import (
	"math"
	"testing"
)

// The full solar series agrees with Meeus's low-accuracy sun (0.01°) at
// every month for two centuries: a mistyped large term would not.
func TestSunSeriesAgreesWithLowAccuracy(t *testing.T) {
	for jde := 2415020.0; jde < 2488070; jde += 29.5 {
		d := math.Abs(SunLongitude(jde) - SunLongitudeLow(jde))
		d = math.Min(d, 360-d)
		if d > 0.012 {
			t.Fatalf("JDE %.1f: series %.5f°, low accuracy %.5f°", jde, SunLongitude(jde), SunLongitudeLow(jde))
		}
	}
}

// Meeus example 25.b: the sun on 1992 October 13.0 TD, by the full
// VSOP87 theory: apparent longitude 199°54'21.818" (199.906060°).
// The abridged series is good to about a second of arc.
func TestSunMeeusExample(t *testing.T) {
	got := SunLongitude(2448908.5)
	if math.Abs(got-199.906060) > 2.0/3600 {
		t.Fatalf("got %.6f°, want 199.906060°", got)
	}
}

// Meeus example 49.a: the new moon of 1977 February, k = −283, at
// JDE 2443192.65118 (18 February 1977, 3h37m42s TD).
func TestNewMoonMeeusExample(t *testing.T) {
	got := NewMoon(-283)
	if math.Abs(got-2443192.65118) > 1e-5 {
		t.Fatalf("got %.5f, want 2443192.65118", got)
	}
}

func TestJDNRoundTrip(t *testing.T) {
	for jdn := DateToJDN(1850, 1, 1); jdn < DateToJDN(2200, 1, 1); jdn += 17 {
		y, m, d := JDNToDate(jdn)
		if DateToJDN(y, m, d) != jdn {
			t.Fatalf("%d → %d-%d-%d", jdn, y, m, d)
		}
	}
	if DateToJDN(2000, 1, 1) != 2451545 {
		t.Fatal("2000-01-01 is JDN 2451545")
	}
}
