// Package astro computes what the Chinese calendar is built from: the
// instants of new moons and of the sun's arrival at multiples of 30° of
// apparent ecliptic longitude (the "principal terms", 中气), and from them
// the months of the calendar under the modern rules, in China's standard
// time (UTC+8, the meridian 120° E).
//
// The methods are those of Jean Meeus, Astronomical Algorithms (2nd ed.,
// 1998): new moons by the series of chapter 49 (errors of seconds), the
// sun by the abridged VSOP87 series of appendix III with the FK5
// correction, nutation in longitude and aberration (chapters 22 and 25,
// errors under a second of arc, a few seconds of time), and ΔT (TT − UT)
// by the polynomials of Espenak and Meeus for the NASA eclipse canon.
// Only the generator of the table and its tests use this package; the
// calendar itself reads the table.
package astro

import "math"

const deg = math.Pi / 180

// J2000 is the Julian Ephemeris Day of 2000 January 1.5 TT.
const J2000 = 2451545.0

// NewMoon returns the Julian Ephemeris Day (TT) of the k-th new moon after
// that of 2000 January 6 (k = 0; negative k are before it).
func NewMoon(k float64) float64 {
	T := k / 1236.85
	T2, T3, T4 := T*T, T*T*T, T*T*T*T
	jde := 2451550.09766 + 29.530588861*k + 0.00015437*T2 - 0.000000150*T3 + 0.00000000073*T4
	E := 1 - 0.002516*T - 0.0000074*T2
	M := (2.5534 + 29.10535670*k - 0.0000014*T2 - 0.00000011*T3) * deg
	Mp := (201.5643 + 385.81693528*k + 0.0107582*T2 + 0.00001238*T3 - 0.000000058*T4) * deg
	F := (160.7108 + 390.67050284*k - 0.0016118*T2 - 0.00000227*T3 + 0.000000011*T4) * deg
	Om := (124.7746 - 1.56375588*k + 0.0020672*T2 + 0.00000215*T3) * deg
	s := math.Sin
	corr := -0.40720*s(Mp) +
		0.17241*E*s(M) +
		0.01608*s(2*Mp) +
		0.01039*s(2*F) +
		0.00739*E*s(Mp-M) -
		0.00514*E*s(Mp+M) +
		0.00208*E*E*s(2*M) -
		0.00111*s(Mp-2*F) -
		0.00057*s(Mp+2*F) +
		0.00056*E*s(2*Mp+M) -
		0.00042*s(3*Mp) +
		0.00042*E*s(M+2*F) +
		0.00038*E*s(M-2*F) -
		0.00024*E*s(2*Mp-M) -
		0.00017*s(Om) -
		0.00007*s(Mp+2*M) +
		0.00004*s(2*Mp-2*F) +
		0.00004*s(3*M) +
		0.00003*s(Mp+M-2*F) +
		0.00003*s(2*Mp+2*F) -
		0.00003*s(Mp+M+2*F) +
		0.00003*s(Mp-M+2*F) -
		0.00002*s(Mp-M-2*F) -
		0.00002*s(3*Mp+M) +
		0.00002*s(4*Mp)
	// The planetary arguments.
	a := [14][3]float64{
		{299.77, 0.107408, 0.000325}, {251.88, 0.016321, 0.000165}, {251.83, 26.651886, 0.000164},
		{349.42, 36.412478, 0.000126}, {84.66, 18.206239, 0.000110}, {141.74, 53.303771, 0.000062},
		{207.14, 2.453732, 0.000060}, {154.84, 7.306860, 0.000056}, {34.52, 27.261239, 0.000047},
		{207.19, 0.121824, 0.000042}, {291.34, 1.844379, 0.000040}, {161.72, 24.198154, 0.000037},
		{239.56, 25.513099, 0.000035}, {331.55, 3.592518, 0.000023},
	}
	for i, t := range a {
		arg := t[0] + t[1]*k
		if i == 0 {
			arg -= 0.009173 * T2
		}
		corr += t[2] * s(arg*deg)
	}
	return jde + corr
}

// vsop is one term A·cos(B + C·τ) of an abridged VSOP87 series.
type vsop struct{ a, b, c float64 }

// Earth's heliocentric longitude, Meeus appendix III (units of 1e-8 rad).
var earthL = [6][]vsop{
	{
		{175347046, 0, 0}, {3341656, 4.6692568, 6283.0758500}, {34894, 4.62610, 12566.15170},
		{3497, 2.7441, 5753.3849}, {3418, 2.8289, 3.5231}, {3136, 3.6277, 77713.7715},
		{2676, 4.4181, 7860.4194}, {2343, 6.1352, 3930.2097}, {1324, 0.7425, 11506.7698},
		{1273, 2.0371, 529.6910}, {1199, 1.1096, 1577.3435}, {990, 5.233, 5884.927},
		{902, 2.045, 26.298}, {857, 3.508, 398.149}, {780, 1.179, 5223.694},
		{753, 2.533, 5507.553}, {505, 4.583, 18849.228}, {492, 4.205, 775.523},
		{357, 2.920, 0.067}, {317, 5.849, 11790.629}, {284, 1.899, 796.298},
		{271, 0.315, 10977.079}, {243, 0.345, 5486.778}, {206, 4.806, 2544.314},
		{205, 1.869, 5573.143}, {202, 2.458, 6069.777}, {156, 0.833, 213.299},
		{132, 3.411, 2942.463}, {126, 1.083, 20.775}, {115, 0.645, 0.980},
		{103, 0.636, 4694.003}, {102, 0.976, 15720.839}, {102, 4.267, 7.114},
		{99, 6.21, 2146.17}, {98, 0.68, 155.42}, {86, 5.98, 161000.69},
		{85, 1.30, 6275.96}, {85, 3.67, 71430.70}, {80, 1.81, 17260.15},
		{79, 3.04, 12036.46}, {75, 1.76, 5088.63}, {74, 3.50, 3154.69},
		{74, 4.68, 801.82}, {70, 0.83, 9437.76}, {62, 3.98, 8827.39},
		{61, 1.82, 7084.90}, {57, 2.78, 6286.60}, {56, 4.39, 14143.50},
		{56, 3.47, 6279.55}, {52, 0.19, 12139.55}, {52, 1.33, 1748.02},
		{51, 0.28, 5856.48}, {49, 0.49, 1194.45}, {41, 5.37, 8429.24},
		{41, 2.40, 19651.05}, {39, 6.17, 10447.39}, {37, 6.04, 10213.29},
		{37, 2.57, 1059.38}, {36, 1.71, 2352.87}, {36, 1.78, 6812.77},
		{33, 0.59, 17789.85}, {30, 0.44, 83996.85}, {30, 2.74, 1349.87},
		{25, 3.16, 4690.48},
	},
	{
		{628331966747, 0, 0}, {206059, 2.678235, 6283.075850}, {4303, 2.6351, 12566.1517},
		{425, 1.590, 3.523}, {119, 5.796, 26.298}, {109, 2.966, 1577.344},
		{93, 2.59, 18849.23}, {72, 1.14, 529.69}, {68, 1.87, 398.15},
		{67, 4.41, 5507.55}, {59, 2.89, 5223.69}, {56, 2.17, 155.42},
		{45, 0.40, 796.30}, {36, 0.47, 775.52}, {29, 2.65, 7.11},
		{21, 5.34, 0.98}, {19, 1.85, 5486.78}, {19, 4.97, 213.30},
		{17, 2.99, 6275.96}, {16, 0.03, 2544.31}, {16, 1.43, 2146.17},
		{15, 1.21, 10977.08}, {12, 2.83, 1748.02}, {12, 3.26, 5088.63},
		{12, 5.27, 1194.45}, {12, 2.08, 4694.00}, {11, 0.77, 553.57},
		{10, 1.30, 6286.60}, {10, 4.24, 1349.87}, {9, 2.70, 242.73},
		{9, 5.64, 951.72}, {8, 5.30, 2352.87}, {6, 2.65, 9437.76},
		{6, 4.67, 4690.48},
	},
	{
		{52919, 0, 0}, {8720, 1.0721, 6283.0758}, {309, 0.867, 12566.152},
		{27, 0.05, 3.52}, {16, 5.19, 26.30}, {16, 3.68, 155.42},
		{10, 0.76, 18849.23}, {9, 2.06, 77713.77}, {7, 0.83, 775.52},
		{5, 4.66, 1577.34}, {4, 1.03, 7.11}, {4, 3.44, 5573.14},
		{3, 5.14, 796.30}, {3, 6.05, 5507.55}, {3, 1.19, 242.73},
		{3, 6.12, 529.69}, {3, 0.31, 398.15}, {3, 2.28, 553.57},
		{2, 4.38, 5223.69}, {2, 3.75, 0.98},
	},
	{
		{289, 5.844, 6283.076}, {35, 0, 0}, {17, 5.49, 12566.15},
		{3, 5.20, 155.42}, {1, 4.72, 3.52}, {1, 5.30, 18849.23},
		{1, 5.97, 242.73},
	},
	{{114, 3.142, 0}, {8, 4.13, 6283.08}, {1, 3.84, 12566.15}},
	{{1, 3.14, 0}},
}

// earthR holds the leading terms of Earth's radius vector (1e-8 AU), for
// the aberration, which needs the distance to 1e-4 only.
var earthR = [2][]vsop{
	{{100013989, 0, 0}, {1670700, 3.0984635, 6283.0758500}, {13956, 3.05525, 12566.15170},
		{3084, 5.1985, 77713.7715}, {1628, 1.1739, 5753.3849}, {1576, 2.8469, 7860.4194}},
	{{103019, 1.107490, 6283.075850}, {1721, 1.0644, 12566.1517}},
}

func series(terms []vsop, tau float64) float64 {
	var sum float64
	for _, t := range terms {
		sum += t.a * math.Cos(t.b+t.c*tau)
	}
	return sum
}

// SunLongitude returns the sun's apparent geocentric ecliptic longitude
// in degrees [0, 360) at the Julian Ephemeris Day jde (TT).
func SunLongitude(jde float64) float64 {
	tau := (jde - J2000) / 365250
	var L, p float64 = 0, 1
	for _, s := range earthL {
		L += series(s, tau) * p
		p *= tau
	}
	L /= 1e8
	R := (series(earthR[0], tau) + series(earthR[1], tau)*tau) / 1e8
	T := tau * 10
	// Geocentric: the opposite direction; then from VSOP's dynamical
	// frame to FK5.
	theta := L/deg + 180 - 0.09033/3600
	return norm(theta + nutationLongitude(T) - 20.4898/3600/R)
}

// nutationLongitude returns Δψ in degrees (Meeus chapter 22, the terms
// over 0.1").
func nutationLongitude(T float64) float64 {
	om := (125.04452 - 1934.136261*T) * deg
	ls := (280.4665 + 36000.7698*T) * deg  // mean longitude of the sun
	lm := (218.3165 + 481267.8813*T) * deg // of the moon
	return (-17.20*math.Sin(om) - 1.32*math.Sin(2*ls) - 0.23*math.Sin(2*lm) + 0.21*math.Sin(2*om)) / 3600
}

// SunLongitudeLow is Meeus's low-accuracy sun (chapter 25, 0.01°); the
// tests hold the full series to it, so a mistyped large term shows.
func SunLongitudeLow(jde float64) float64 {
	T := (jde - J2000) / 36525
	L0 := 280.46646 + 36000.76983*T + 0.0003032*T*T
	M := (357.52911 + 35999.05029*T - 0.0001537*T*T) * deg
	C := (1.914602-0.004817*T-0.000014*T*T)*math.Sin(M) + (0.019993-0.000101*T)*math.Sin(2*M) + 0.000289*math.Sin(3*M)
	om := (125.04 - 1934.136*T) * deg
	return norm(L0 + C - 0.00569 - 0.00478*math.Sin(om))
}

func norm(a float64) float64 {
	a = math.Mod(a, 360)
	if a < 0 {
		a += 360
	}
	return a
}

// SolarTerm returns the JDE (TT) at which the sun's apparent longitude is
// lon degrees, the one nearest to the estimate jde0 (within ±60 days).
func SolarTerm(lon, jde0 float64) float64 {
	t := jde0
	for range 50 {
		d := lon - SunLongitude(t)
		d = math.Mod(d+540, 360) - 180 // into (−180, 180]
		step := d * 365.2422 / 360
		t += step
		if math.Abs(step) < 1e-7 {
			break
		}
	}
	return t
}

// DeltaT returns TT − UT in seconds for a decimal year (Espenak and
// Meeus, valid 1900 to 2150; the years after 2005 are extrapolations,
// which the published tables of those years share in kind).
func DeltaT(y float64) float64 {
	switch {
	case y < 1920:
		t := y - 1900
		return -2.79 + 1.494119*t - 0.0598939*t*t + 0.0061966*t*t*t - 0.000197*t*t*t*t
	case y < 1941:
		t := y - 1920
		return 21.20 + 0.84493*t - 0.076100*t*t + 0.0020936*t*t*t
	case y < 1961:
		t := y - 1950
		return 29.07 + 0.407*t - t*t/233 + t*t*t/2547
	case y < 1986:
		t := y - 1975
		return 45.45 + 1.067*t - t*t/260 - t*t*t/718
	case y < 2005:
		t := y - 2000
		return 63.86 + 0.3345*t - 0.060374*t*t + 0.0017275*t*t*t + 0.000651814*t*t*t*t + 0.00002373599*t*t*t*t*t
	case y < 2050:
		t := y - 2000
		return 62.92 + 0.32217*t + 0.005589*t*t
	default:
		u := (y - 1820) / 100
		return -20 + 32*u*u - 0.5628*(2150-y)
	}
}

// ChinaDay returns the day number (the Julian Day Number of the civil
// day) in UTC+8 on which the instant jde (TT) falls.
func ChinaDay(jde float64) int {
	year := 2000 + (jde-J2000)/365.25
	ut := jde - DeltaT(year)/86400
	return int(math.Floor(ut + 0.5 + 8.0/24))
}

// JDNToDate returns the Gregorian date of a Julian Day Number.
func JDNToDate(jdn int) (y, m, d int) {
	a := jdn + 32044
	b := (4*a + 3) / 146097
	c := a - 146097*b/4
	dd := (4*c + 3) / 1461
	e := c - 1461*dd/4
	mm := (5*e + 2) / 153
	d = e - (153*mm+2)/5 + 1
	m = mm + 3 - 12*(mm/10)
	y = 100*b + dd - 4800 + mm/10
	return
}

// DateToJDN returns the Julian Day Number of a Gregorian date.
func DateToJDN(y, m, d int) int {
	a := (14 - m) / 12
	yy := y + 4800 - a
	mm := m + 12*a - 3
	return d + (153*mm+2)/5 + 365*yy + yy/4 - yy/100 + yy/400 - 32045
}
