package clv

import (
	"fmt"
	"time"
)

// Unit is the time unit in which recency, age (T) and model rates are
// expressed. It is carried by every summary set and fitted model so that
// weekly and daily figures cannot be mixed up silently: predictions and CLV
// refuse inputs whose unit differs from the model's.
type Unit struct {
	// Duration is the length of one unit; it must be positive.
	Duration time.Duration
}

// Common units. Day is 24 hours and Week 7 days: calendar days are counted
// in a *time.Location and then converted, so daylight-saving days still count
// as one day.
var (
	Day  = Unit{Duration: 24 * time.Hour}
	Week = Unit{Duration: 7 * 24 * time.Hour}
)

// UnitOf returns a custom unit of length d (e.g. 30 days as a "month"
// equivalent). d must be positive; validity is checked where the unit is used.
func UnitOf(d time.Duration) Unit { return Unit{Duration: d} }

// Valid reports whether the unit has a positive length.
func (u Unit) Valid() bool { return u.Duration > 0 }

// Days returns the length of the unit in days (7 for Week).
func (u Unit) Days() float64 { return float64(u.Duration) / float64(24*time.Hour) }

// Of converts a duration into a number of units.
func (u Unit) Of(d time.Duration) float64 { return float64(d) / float64(u.Duration) }

// String names the unit: "day", "week" or the duration.
func (u Unit) String() string {
	switch u {
	case Day:
		return "day"
	case Week:
		return "week"
	}
	return fmt.Sprintf("unit(%s)", u.Duration)
}
