package customer

import (
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/clientele-go/clientele/customer/lunar"
	"github.com/clientele-go/clientele/internal/daterange"
)

// Gender is what the customer chose to state; the zero value means not
// stated.
type Gender string

// Genders a POS commonly records. Hosts may use other values.
const (
	GenderUnstated Gender = ""
	GenderFemale   Gender = "female"
	GenderMale     Gender = "male"
	GenderOther    Gender = "other"
)

// Birthday is a day of the year with an optional year (Year 0 means the
// customer gave only month and day). 29 February is a valid birthday; in a
// common year it is celebrated on the date Observed returns.
//
// A birthday may be stated in the Chinese calendar (农历生日, Lunar): Month
// and Day are then the Chinese month (1 to 12) and day (1 to 30),
// LeapMonth marks the leap month of that number, and Year, if given, is
// the Chinese year (the Gregorian year its new year falls in, 1900 to
// 2100, the span of package lunar's table). Observed then gives its
// Gregorian date in each year, so birthday rules and coupons need nothing
// else.
type Birthday struct {
	Year  int        `json:"year,omitempty"`
	Month time.Month `json:"month,omitempty"`
	Day   int        `json:"day,omitempty"`
	// Lunar says the date is in the Chinese calendar.
	Lunar bool `json:"lunar,omitempty"`
	// LeapMonth says the month is the leap month (闰月) of that number.
	LeapMonth bool `json:"leapMonth,omitempty"`
}

// IsZero reports whether no birthday is recorded.
func (b Birthday) IsZero() bool {
	return b.Month == 0 && b.Day == 0 && b.Year == 0 && !b.Lunar && !b.LeapMonth
}

// Validate reports whether the birthday names a real day: 29 February is
// accepted with no year or with a leap year, and a year must lie in the
// library's date range (1850 to 2199, see internal/daterange). A problem is
// a *FieldError naming "birthday.month", "birthday.day" or "birthday.year"
// (the last also ErrOutOfRange).
func (b Birthday) Validate() error {
	if b.IsZero() {
		return nil
	}
	var fe fieldErrors
	if b.Lunar {
		return b.validateLunar()
	}
	if b.LeapMonth {
		fe.add("birthday.leapMonth", "only a birthday in the Chinese calendar (lunar) has a leap month")
	}
	if b.Month < time.January || b.Month > time.December {
		fe.add("birthday.month", "must be 1 to 12")
	}
	year := b.Year
	if year == 0 {
		year = 2000 // a leap year, so 29 February is allowed without a year
	}
	if b.Year != 0 && !daterange.ContainsYear(b.Year) {
		fe.addRange("birthday.year", "must be between %d and %d, or 0 when not given", daterange.MinYear, daterange.MaxYear)
	}
	if len(fe) == 0 && (b.Day < 1 || b.Day > daysIn(b.Month, year)) {
		fe.add("birthday.day", "must be a day of the month")
	}
	return fe.err()
}

// validateLunar checks a birthday in the Chinese calendar: a month of 1
// to 12, a day of 1 to 30, and with a year, a date the calendar has.
func (b Birthday) validateLunar() error {
	var fe fieldErrors
	if b.Month < 1 || b.Month > 12 {
		fe.add("birthday.month", "must be 1 to 12")
	}
	if b.Day < 1 || b.Day > 30 {
		fe.add("birthday.day", "must be 1 to 30 in the Chinese calendar")
	}
	if len(fe) == 0 && b.Year != 0 {
		err := lunar.Date{Year: b.Year, Month: int(b.Month), Leap: b.LeapMonth, Day: b.Day}.Validate()
		switch {
		case errors.Is(err, lunar.ErrOutOfRange):
			fe.addRange("birthday.year", "must be between %d and %d in the Chinese calendar, or 0 when not given", lunar.MinYear, lunar.MaxYear)
		case b.LeapMonth && lunar.LeapMonth(b.Year) != int(b.Month):
			fe.add("birthday.leapMonth", "that year has no such leap month")
		case err != nil:
			fe.add("birthday.day", "that month has 29 days that year")
		}
	}
	return fe.err()
}

// Observed returns the date on which the birthday falls in the given year,
// in loc at midnight. A 29 February birthday falls on 28 February in common
// years (the rule most loyalty programmes and many legal systems use; hosts
// wanting 1 March can add a day).
//
// A birthday in the Chinese calendar falls on its Gregorian date in the
// Chinese year that starts in year (late in the 12th month, that is
// January or February of year+1), by lunar.Anniversary: in the ordinary
// month when the year lacks the leap month, on the 29th when the month
// lacks a 30th. Outside the table's years (1900 to 2100) it falls on the
// Gregorian month and day of the same numbers, a stand-in that a
// programme of today never meets.
func (b Birthday) Observed(year int, loc *time.Location) time.Time {
	if b.Lunar {
		if y, m, d, err := lunar.Anniversary(year, int(b.Month), b.LeapMonth, b.Day); err == nil {
			return time.Date(y, m, d, 0, 0, 0, 0, loc)
		}
	}
	day := b.Day
	if b.Month == time.February && day == 29 && daysIn(time.February, year) == 28 {
		day = 28
	}
	return time.Date(year, b.Month, day, 0, 0, 0, 0, loc)
}

// AgeAt returns the customer's age in whole years at t (in t's location),
// and false when the birth year is unknown.
func (b Birthday) AgeAt(t time.Time) (int, bool) {
	if b.Year == 0 || b.IsZero() {
		return 0, false
	}
	// The age is the number of birthdays kept by t. A birthday in the
	// Chinese calendar of the year starting in y may fall in January or
	// February of y+1, so the one of t's year may still be ahead while the
	// one of the year before has just passed.
	y := t.Year()
	if t.Before(b.Observed(y, t.Location())) {
		y--
		if b.Lunar && t.Before(b.Observed(y, t.Location())) {
			y--
		}
	}
	return y - b.Year, true
}

func daysIn(m time.Month, year int) int {
	return time.Date(year, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// Address is a postal address. Every field is personal data.
type Address struct {
	Country    string `json:"country,omitempty"` // ISO 3166-1 alpha-2
	Province   string `json:"province,omitempty"`
	City       string `json:"city,omitempty"`
	District   string `json:"district,omitempty"`
	Street     string `json:"street,omitempty"`
	PostalCode string `json:"postalCode,omitempty"`
}

// Preferences are what the customer told the shop they like and how they
// want to be reached.
type Preferences struct {
	Categories     []string       `json:"categories,omitempty"`
	Brands         []string       `json:"brands,omitempty"`
	ContactChannel ContactChannel `json:"contactChannel,omitempty"`
	Language       string         `json:"language,omitempty"` // BCP 47 tag, e.g. "zh-Hans"
}

// Profile is the part of a customer the shop edits.
type Profile struct {
	Name     string   `json:"name,omitempty"`
	Gender   Gender   `json:"gender,omitempty"`
	Birthday Birthday `json:"birthday,omitzero"`
	Address  Address  `json:"address,omitzero"`
	// SortName, when set, replaces Name as the key customer lists sort by
	// (for example the pinyin of a name with a polyphonic surname).
	SortName    string            `json:"sortName,omitempty"`
	Attributes  map[string]string `json:"attributes,omitempty"`
	Preferences Preferences       `json:"preferences,omitzero"`
}

// SalesChannel is where a purchase happened or a customer registered.
type SalesChannel string

// Sales channels of a retailer.
const (
	ChannelInStore     SalesChannel = "in-store"
	ChannelOnline      SalesChannel = "online"
	ChannelApp         SalesChannel = "app"
	ChannelMiniProgram SalesChannel = "mini-program"
)

// Customer is one person known to the shop. The service owns every field
// but Profile; stores keep and return it as given.
type Customer struct {
	ID      string `json:"id"`
	Version int64  `json:"version"` // 1 on creation, +1 on every write

	Profile
	Identities []Identity `json:"identities,omitempty"`
	Tags       []string   `json:"tags,omitempty"` // sorted, unique
	Consents   []Consent  `json:"consents,omitempty"`

	RegisteredStore   string       `json:"registeredStore,omitempty"`
	RegisteredChannel SalesChannel `json:"registeredChannel,omitempty"`
	JoinedAt          time.Time    `json:"joinedAt"`

	// NameKey is the normalised name used to find duplicates (NameKey of
	// Profile.Name). Stores index it.
	NameKey string `json:"nameKey,omitempty"`
	// MergedInto is set on a customer merged into another; the record keeps
	// resolving to the survivor.
	MergedInto string `json:"mergedInto,omitempty"`
	// MovedIdentities holds a merged duplicate's identities between the
	// step that releases them and the step that gives them to the survivor
	// (or to the customer the survivor was merged into since), so a merge
	// cut short can resume. Not indexed.
	MovedIdentities []Identity `json:"movedIdentities,omitempty"`
	// CommittedMerge is the Attempt (see MergeRecord) of the merge that
	// detached this customer and then found no cycle: from then on that
	// merge can no longer be undone, and only completes. A customer whose
	// MergedInto is set but whose CommittedMerge is not that attempt is
	// detached tentatively: the merge that detached it, or any call that
	// meets it, still decides whether it stays (see Service.Merge).
	CommittedMerge int `json:"committedMerge,omitempty"`
	// AbandonedMerge is the Attempt (see MergeRecord) of the latest merge
	// of this customer into another that lost a race and was undone; it is
	// written together with the undo, so no attempt up to it can detach the
	// customer again, and a merge cut short before its record was marked
	// abandoned is recognised as lost.
	AbandonedMerge int `json:"abandonedMerge,omitempty"`
	// MergedFrom lists the customers merged into this one.
	MergedFrom []string `json:"mergedFrom,omitempty"`
	// RegistrationHash fingerprints the registration that created the
	// customer when it carried a RequestID, so a replay is told from a
	// different request under the same ID. Erasure clears it.
	RegistrationHash string `json:"registrationHash,omitempty"`
	// ErasedAt is set once personal data has been erased.
	ErasedAt time.Time `json:"erasedAt,omitzero"`
}

// Erased reports whether the customer's personal data has been erased.
func (c Customer) Erased() bool { return !c.ErasedAt.IsZero() }

// Identity returns the customer's first identity of a kind.
func (c Customer) Identity(kind IdentityKind) (Identity, bool) {
	for _, id := range c.Identities {
		if id.Kind == kind {
			return id, true
		}
	}
	return Identity{}, false
}

// HasTag reports whether the customer carries tag.
func (c Customer) HasTag(tag string) bool {
	for _, t := range c.Tags {
		if t == tag {
			return true
		}
	}
	return false
}

// String describes the customer without personal data.
func (c Customer) String() string {
	return fmt.Sprintf("Customer{ID: %s, Version: %d, Identities: %d, Tags: %d}", c.ID, c.Version, len(c.Identities), len(c.Tags))
}

// LogValue redacts personal data in slog output.
func (c Customer) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("id", c.ID),
		slog.Int64("version", c.Version),
		slog.Int("identities", len(c.Identities)),
		slog.Bool("erased", c.Erased()),
	)
}

// GoString redacts personal data from %#v as well.
func (c Customer) GoString() string { return c.String() }

// Clone returns a deep copy, so stores can hand out copies and never their
// own slices or maps.
func (c Customer) Clone() Customer {
	c.Identities = cloneSlice(c.Identities)
	c.MovedIdentities = cloneSlice(c.MovedIdentities)
	c.Tags = cloneSlice(c.Tags)
	c.MergedFrom = cloneSlice(c.MergedFrom)
	c.Preferences.Categories = cloneSlice(c.Preferences.Categories)
	c.Preferences.Brands = cloneSlice(c.Preferences.Brands)
	if c.Attributes != nil {
		m := make(map[string]string, len(c.Attributes))
		for k, v := range c.Attributes {
			m[k] = v
		}
		c.Attributes = m
	}
	if c.Consents != nil {
		cs := make([]Consent, len(c.Consents))
		for i, k := range c.Consents {
			k.History = cloneSlice(k.History)
			cs[i] = k
		}
		c.Consents = cs
	}
	return c
}

func cloneSlice[T any](s []T) []T {
	if s == nil {
		return nil
	}
	return append(make([]T, 0, len(s)), s...)
}
