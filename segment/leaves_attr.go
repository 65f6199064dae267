package segment

import (
	"fmt"
	"strings"
	"time"

	"github.com/clientele-go/clientele/customer"
)

// Gender matches customers whose stated gender is one of In ("" matches
// customers who did not state one).
type Gender struct {
	In []customer.Gender `json:"in"`
}

// Age matches customers whose age at asOf is within [Min, Max]; Max 0
// means no upper bound. Customers without a birth year never match.
type Age struct {
	Min int `json:"min,omitempty"`
	Max int `json:"max,omitempty"`
}

// City matches customers whose address city is one of In, ignoring case.
type City struct {
	In []string `json:"in"`
}

// Tags matches customers carrying any of Any, all of All and none of None
// (empty lists are not checked; at least one must be given).
type Tags struct {
	Any  []string `json:"any,omitempty"`
	All  []string `json:"all,omitempty"`
	None []string `json:"none,omitempty"`
}

// Tier matches loyalty members whose tier is one of In.
type Tier struct {
	In []string `json:"in"`
}

// MemberSince matches customers who have been members for at least
// MinDays and (if MaxDays > 0) at most MaxDays whole days at asOf. The
// start is LoyaltyFacts.MemberSince, or the customer's JoinedAt.
type MemberSince struct {
	MinDays int `json:"minDays,omitempty"`
	MaxDays int `json:"maxDays,omitempty"`
}

// BirthdayWithin matches customers whose next birthday (today included),
// as customer.Birthday.Observed places it in the evaluation location,
// falls within Days days of asOf. Days 0 means today.
type BirthdayWithin struct {
	Days int `json:"days"`
}

// BirthdayMonth matches customers whose birthday falls in asOf's month
// plus Offset (0 this month, 1 next month) in the evaluation location. A
// 29 February birthday is observed on 28 February in common years, so it
// stays in February.
type BirthdayMonth struct {
	Offset int `json:"offset,omitempty"`
}

func (Gender) key() string         { return "gender" }
func (Age) key() string            { return "age" }
func (City) key() string           { return "city" }
func (Tags) key() string           { return "tags" }
func (Tier) key() string           { return "tier" }
func (MemberSince) key() string    { return "memberSince" }
func (BirthdayWithin) key() string { return "birthdayWithin" }
func (BirthdayMonth) key() string  { return "birthdayMonth" }

func (n Gender) check(path string, _ int, p *problems) {
	if len(n.In) == 0 {
		p.add(path+".in", "empty list")
	}
}

func (n Gender) compile(*env) (cnode, error) {
	return leaf{
		cond:    "gender in [" + quoteList(n.In) + "]",
		test:    func(f *Facts) bool { return f.Known && inList(n.In, f.Gender) },
		observe: func(f *Facts) string { return "gender " + orNone(string(f.Gender)) },
	}, nil
}

func (n Age) check(path string, _ int, p *problems) {
	if n.Min < 0 || n.Min > 150 {
		p.add(path+".min", "is %d, want 0 to 150", n.Min)
	}
	if n.Max < 0 || n.Max > 150 {
		p.add(path+".max", "is %d, want 0 to 150", n.Max)
	}
	if n.Max > 0 && n.Max < n.Min {
		p.add(path+".max", "is %d, below min %d", n.Max, n.Min)
	}
	if n.Min == 0 && n.Max == 0 {
		p.add(path, "needs min or max")
	}
}

func (n Age) compile(e *env) (cnode, error) {
	at := e.asOf.In(e.loc)
	y, m, d := at.Date()
	leap := time.Date(y, time.March, 0, 0, 0, 0, 0, time.UTC).Day() == 29
	// age is Birthday.AgeAt in integers (no time.Date per customer): a
	// year less until the birthday, as Observed places it, has come.
	age := func(f *Facts) (int, bool) {
		b := f.Birthday
		if !f.Known || b.Year == 0 || b.Validate() != nil {
			return 0, false
		}
		bm, bd := b.Month, b.Day
		if bm == time.February && bd == 29 && !leap {
			bd = 28
		}
		a := y - b.Year
		if m < bm || (m == bm && d < bd) {
			a--
		}
		return a, true
	}
	return leaf{
		cond: fmt.Sprintf("age %s", rangeText(int64(n.Min), int64(n.Max))),
		test: func(f *Facts) bool {
			a, ok := age(f)
			return ok && a >= n.Min && (n.Max == 0 || a <= n.Max)
		},
		observe: func(f *Facts) string {
			if a, ok := age(f); ok {
				return fmt.Sprintf("age %d", a)
			}
			return "age unknown"
		},
	}, nil
}

func (n City) check(path string, _ int, p *problems) { checkList(path+".in", n.In, p) }

func (n City) compile(*env) (cnode, error) {
	return leaf{
		cond: "city in [" + strings.Join(n.In, ", ") + "]",
		test: func(f *Facts) bool {
			for _, c := range n.In {
				if strings.EqualFold(c, f.City) {
					return true
				}
			}
			return false
		},
		observe: func(f *Facts) string { return "city " + orNone(f.City) },
	}, nil
}

func (n Tags) check(path string, _ int, p *problems) {
	if len(n.Any)+len(n.All)+len(n.None) == 0 {
		p.add(path, "needs any, all or none")
	}
	for _, l := range []struct {
		name string
		tags []string
	}{{"any", n.Any}, {"all", n.All}, {"none", n.None}} {
		for i, t := range l.tags {
			if t == "" {
				p.add(fmt.Sprintf("%s.%s[%d]", path, l.name, i), "empty value")
			}
		}
	}
}

func (n Tags) compile(*env) (cnode, error) {
	var parts []string
	if len(n.Any) > 0 {
		parts = append(parts, "any of ["+strings.Join(n.Any, ", ")+"]")
	}
	if len(n.All) > 0 {
		parts = append(parts, "all of ["+strings.Join(n.All, ", ")+"]")
	}
	if len(n.None) > 0 {
		parts = append(parts, "none of ["+strings.Join(n.None, ", ")+"]")
	}
	return leaf{
		cond: "tags " + strings.Join(parts, " and "),
		test: func(f *Facts) bool {
			has := func(t string) bool { return inList(f.Tags, t) }
			if len(n.Any) > 0 && !anyOf(n.Any, has) {
				return false
			}
			for _, t := range n.All {
				if !has(t) {
					return false
				}
			}
			return !anyOf(n.None, has)
		},
		observe: func(f *Facts) string { return "tags [" + strings.Join(f.Tags, ", ") + "]" },
	}, nil
}

func anyOf(list []string, has func(string) bool) bool {
	for _, t := range list {
		if has(t) {
			return true
		}
	}
	return false
}

func (n Tier) check(path string, _ int, p *problems) { checkList(path+".in", n.In, p) }

func (n Tier) compile(*env) (cnode, error) {
	return leaf{
		cond:    "tier in [" + strings.Join(n.In, ", ") + "]",
		test:    func(f *Facts) bool { return inList(n.In, f.Loyalty.Tier) },
		observe: func(f *Facts) string { return "tier " + orNone(f.Loyalty.Tier) },
	}, nil
}

func (n MemberSince) check(path string, _ int, p *problems) {
	checkDays(path+".minDays", n.MinDays, false, p)
	checkDays(path+".maxDays", n.MaxDays, false, p)
	if n.MinDays == 0 && n.MaxDays == 0 {
		p.add(path, "needs minDays or maxDays")
	}
	if n.MaxDays > 0 && n.MaxDays < n.MinDays {
		p.add(path+".maxDays", "is %d, below minDays %d", n.MaxDays, n.MinDays)
	}
}

func (n MemberSince) compile(e *env) (cnode, error) {
	days := func(f *Facts) (int64, bool) {
		since := f.Loyalty.MemberSince
		if since.IsZero() {
			since = f.JoinedAt
		}
		if since.IsZero() {
			return 0, false
		}
		return elapsedDays(since, e.asOf), true
	}
	return leaf{
		cond: "member for " + rangeText(int64(n.MinDays), int64(n.MaxDays)) + " days",
		test: func(f *Facts) bool {
			d, ok := days(f)
			return ok && d >= int64(n.MinDays) && (n.MaxDays == 0 || d <= int64(n.MaxDays))
		},
		observe: func(f *Facts) string {
			if d, ok := days(f); ok {
				return fmt.Sprintf("member for %d days", d)
			}
			return "membership start unknown"
		},
	}, nil
}

func (n BirthdayWithin) check(path string, _ int, p *problems) {
	if n.Days < 0 || n.Days > 366 {
		p.add(path+".days", "is %d, want 0 to 366", n.Days)
	}
}

// daysToBirthday returns the days from asOf's local date to the next
// observed birthday (0 when it is today).
func daysToBirthday(b customer.Birthday, e *env) (int, bool) {
	if b.IsZero() || b.Validate() != nil {
		return 0, false
	}
	today := e.asOf.In(e.loc)
	// A birthday in the Chinese calendar of the year before may fall early
	// in this one (late in the 12th month); a Gregorian one of the year
	// before is always past.
	for _, y := range []int{today.Year() - 1, today.Year(), today.Year() + 1} {
		d := DayOf(b.Observed(y, e.loc), e.loc) - e.day
		if d >= 0 {
			return int(d), true
		}
	}
	return 0, false
}

func (n BirthdayWithin) compile(e *env) (cnode, error) {
	return leaf{
		cond: fmt.Sprintf("birthday within %d days", n.Days),
		test: func(f *Facts) bool {
			d, ok := daysToBirthday(f.Birthday, e)
			return ok && d <= n.Days
		},
		observe: func(f *Facts) string {
			if d, ok := daysToBirthday(f.Birthday, e); ok {
				return fmt.Sprintf("birthday in %d days", d)
			}
			return "birthday unknown"
		},
	}, nil
}

func (n BirthdayMonth) check(path string, _ int, p *problems) {
	if n.Offset < 0 || n.Offset > 11 {
		p.add(path+".offset", "is %d, want 0 to 11", n.Offset)
	}
}

func (n BirthdayMonth) compile(e *env) (cnode, error) {
	local := e.asOf.In(e.loc)
	first := time.Date(local.Year(), local.Month()+time.Month(n.Offset), 1, 0, 0, 0, 0, e.loc)
	month, year := first.Month(), first.Year()
	return leaf{
		cond: fmt.Sprintf("birthday in %s %d", month, year),
		test: func(f *Facts) bool { return birthdayInMonth(f.Birthday, year, month, e.loc) },
		observe: func(f *Facts) string {
			switch b := f.Birthday; {
			case b.IsZero():
				return "birthday unknown"
			case b.Lunar:
				return fmt.Sprintf("lunar birthday, month %d", int(b.Month))
			default:
				return "birthday in " + b.Month.String()
			}
		},
	}, nil
}

// birthdayInMonth reports whether the birthday is kept in the Gregorian
// month of year: a birthday in the Chinese calendar by its Gregorian date
// (customer.Birthday.Observed), the one of the Chinese year before
// included, which may fall in January or February.
func birthdayInMonth(b customer.Birthday, year int, month time.Month, loc *time.Location) bool {
	if b.IsZero() || b.Validate() != nil {
		return false
	}
	if !b.Lunar {
		return b.Month == month && b.Observed(year, loc).Month() == month
	}
	for _, y := range []int{year - 1, year} {
		if o := b.Observed(y, loc); o.Year() == year && o.Month() == month {
			return true
		}
	}
	return false
}

func checkDays(path string, v int, required bool, p *problems) {
	switch {
	case v < 0 || v > 36600:
		p.add(path, "is %d, want 0 to 36600", v)
	case required && v == 0:
		p.add(path, "missing")
	}
}

// rangeText renders [lo, hi] with hi 0 meaning unbounded.
func rangeText(lo, hi int64) string {
	switch {
	case hi == 0:
		return fmt.Sprintf(">= %d", lo)
	case lo == 0:
		return fmt.Sprintf("<= %d", hi)
	}
	return fmt.Sprintf("%d to %d", lo, hi)
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}
