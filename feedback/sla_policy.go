package feedback

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/clientele-go/clientele/internal/jsondup"
	"github.com/clientele-go/clientele/internal/jsonstrict"
)

// Priority is how urgent a complaint is; SLA targets are set per priority.
type Priority string

// Priorities, lowest first.
const (
	PriorityLow    Priority = "low"
	PriorityNormal Priority = "normal"
	PriorityHigh   Priority = "high"
	PriorityUrgent Priority = "urgent"
)

func (p Priority) valid() bool {
	switch p {
	case PriorityLow, PriorityNormal, PriorityHigh, PriorityUrgent:
		return true
	}
	return false
}

// SLATarget is what a shop promises for complaints of one priority, in
// business time: a first response (the acknowledgement) within
// FirstResponse and a resolution within Resolution, both counted from
// intake.
type SLATarget struct {
	FirstResponse time.Duration
	Resolution    time.Duration
}

// EscalationStep raises an overdue complaint to someone: After is the
// business time past the missed deadline at which the step fires (0 fires
// as soon as the deadline passes), To names the role or person.
type EscalationStep struct {
	After time.Duration
	To    string
}

// SLAPolicy is a shop's complaint-handling promise as data: business hours
// in its time zone, targets by priority and an escalation ladder. Load one
// from JSON with ParseSLAPolicy or write it as a Go literal and Validate
// it.
type SLAPolicy struct {
	Name        string
	Calendar    Calendar
	Targets     map[Priority]SLATarget
	Escalations []EscalationStep // by After, ascending
}

// maxTarget caps every target and escalation delay: SLA clocks count
// hours and days, and the cap keeps calendar arithmetic bounded.
const maxTarget = 366 * 24 * time.Hour

// Validate reports every problem with the policy at once, each as a
// *FieldError matching ErrInvalid.
func (p SLAPolicy) Validate() error {
	var fe fieldErrors
	p.validate(&fe, goCalendarPaths)
	return fe.err()
}

func (p SLAPolicy) validate(fe *fieldErrors, paths calendarPaths) {
	if p.Name == "" {
		fe.add("name", "is required")
	}
	weekOK := p.Calendar.validate(fe, paths)
	if len(p.Targets) == 0 {
		fe.add("targets", "must name at least one priority")
	}
	// A target must be reachable within a year of ordinary weeks, so that
	// the deadline arithmetic stays bounded. A week that is itself wrong
	// (reported above) says nothing about the targets.
	reachable := time.Duration(maxTarget)
	if weekOK {
		reachable = time.Duration(p.Calendar.weeklyMinutes()) * time.Minute * 52
	}
	for _, pr := range sortedPriorities(p.Targets) {
		t := p.Targets[pr]
		path := "targets." + string(pr)
		if !pr.valid() {
			fe.add(path, "is not a known priority")
		}
		checkTarget(fe, path+".firstResponse", t.FirstResponse, reachable)
		checkTarget(fe, path+".resolution", t.Resolution, reachable)
		if t.Resolution > 0 && t.FirstResponse > t.Resolution { // else reported above
			fe.add(path+".firstResponse", "must not exceed the resolution target")
		}
	}
	for i, e := range p.Escalations {
		path := fmt.Sprintf("escalations[%d]", i)
		if e.After < 0 || e.After > maxTarget {
			fe.add(path+".after", "must lie between 0 and %s", maxTarget)
		} else if e.After > reachable {
			fe.add(path+".after", "exceeds a year of business time")
		}
		if i > 0 && e.After <= p.Escalations[i-1].After {
			fe.add(path+".after", "must be later than the step before it")
		}
		if e.To == "" {
			fe.add(path+".to", "is required")
		}
	}
}

func checkTarget(fe *fieldErrors, path string, d, reachable time.Duration) {
	switch {
	case d <= 0:
		fe.add(path, "must be positive")
	case d > maxTarget:
		fe.add(path, "must not exceed %s", maxTarget)
	case d > reachable:
		fe.add(path, "exceeds a year of business time")
	}
}

func sortedPriorities(m map[Priority]SLATarget) []Priority {
	ps := make([]Priority, 0, len(m))
	for p := range m {
		ps = append(ps, p)
	}
	slices.Sort(ps)
	return ps
}

// Target returns the targets for a priority, or ErrNoPolicy.
func (p SLAPolicy) Target(pr Priority) (SLATarget, error) {
	t, ok := p.Targets[pr]
	if !ok {
		return SLATarget{}, fmt.Errorf("%w: %s", ErrNoPolicy, pr)
	}
	return t, nil
}

// policyJSON is the wire form of an SLAPolicy.
type policyJSON struct {
	Name        string                `json:"name"`
	TimeZone    string                `json:"timeZone"`
	Week        map[string][]string   `json:"week"`
	Holidays    []string              `json:"holidays,omitempty"`
	SpecialDays map[string][]string   `json:"specialDays,omitempty"`
	Targets     map[string]targetJSON `json:"targets"`
	Escalations []escalationJSON      `json:"escalations,omitempty"`
}

type targetJSON struct {
	FirstResponse string `json:"firstResponse"`
	Resolution    string `json:"resolution"`
}

type escalationJSON struct {
	After string `json:"after"`
	To    string `json:"to"`
}

// ParseSLAPolicy reads an SLA policy from JSON. Decoding is strict
// (unknown fields, keys given twice and trailing data are errors) and the result is
// validated; every problem is reported once, each at its path in the
// JSON ("week.monday[0]", "targets.high.resolution"). Durations are Go duration
// strings of business time ("30m", "8h"), opening hours "HH:MM-HH:MM" per
// weekday ("monday" ... "sunday"), dates "YYYY-MM-DD".
func ParseSLAPolicy(data []byte) (SLAPolicy, error) {
	var p SLAPolicy
	if err := p.UnmarshalJSON(data); err != nil {
		return SLAPolicy{}, err
	}
	return p, nil
}

// UnmarshalJSON decodes strictly and validates, so a policy read as part
// of a larger document is checked too.
func (p *SLAPolicy) UnmarshalJSON(data []byte) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var w policyJSON
	if err := dec.Decode(&w); err != nil {
		// Name every unknown key at its path rather than the first
		// without one, which is all encoding/json says.
		var fe fieldErrors
		for _, path := range jsonstrict.Unknown(data, w) {
			fe.add(path, "is not a known field")
		}
		if len(fe) > 0 {
			return fe.err()
		}
		return fmt.Errorf("%w: sla policy: %v", ErrInvalid, err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return fmt.Errorf("%w: sla policy: data after the policy object", ErrInvalid)
	}
	var fe, more fieldErrors
	for _, path := range jsondup.Duplicates(data) {
		fe.add(path, "is given twice")
	}
	out := fromWire(w, &fe)
	out.validate(&more, jsonCalendarPaths)
	for _, e := range more {
		if !coveredBy(e.(*FieldError).Field, fe) {
			fe = append(fe, e)
		}
	}
	if err := fe.err(); err != nil {
		return err
	}
	*p = out
	return nil
}

// coveredBy tells whether the field, or a field inside it, was already
// reported while reading the JSON: a duration that did not parse is not
// also "not positive", a week with an unreadable span not also "without
// opening hours". Every problem is reported once.
func coveredBy(field string, reported fieldErrors) bool {
	for _, e := range reported {
		f := e.(*FieldError).Field
		if f == field || (strings.HasPrefix(f, field) && (f[len(field)] == '.' || f[len(field)] == '[')) {
			return true
		}
	}
	return false
}

func fromWire(w policyJSON, fe *fieldErrors) SLAPolicy {
	p := SLAPolicy{Name: w.Name, Targets: map[Priority]SLATarget{}}
	if w.TimeZone == "" {
		fe.add("timeZone", "is required")
	} else if loc, err := time.LoadLocation(w.TimeZone); err != nil {
		fe.add("timeZone", "is not a known IANA time zone")
	} else {
		p.Calendar.Location = loc
	}
	for _, name := range sortedKeys(w.Week) {
		wd := slices.Index(weekdayNames[:], name)
		if wd < 0 {
			fe.add("week."+name, "is not a weekday name (monday ... sunday)")
			continue
		}
		p.Calendar.Week[wd] = parseSpans(fe, "week."+name, w.Week[name])
	}
	if len(w.Holidays)+len(w.SpecialDays) > 0 {
		p.Calendar.Exceptions = map[Date][]Span{}
	}
	for i, s := range w.Holidays {
		d, err := ParseDate(s)
		if err != nil {
			fe.add(fmt.Sprintf("holidays[%d]", i), "%s", problemOf(err))
			continue
		}
		if _, dup := p.Calendar.Exceptions[d]; dup {
			fe.add(fmt.Sprintf("holidays[%d]", i), "lists a date twice")
		}
		p.Calendar.Exceptions[d] = []Span{}
	}
	for _, s := range sortedKeys(w.SpecialDays) {
		d, err := ParseDate(s)
		if err != nil {
			fe.add("specialDays."+s, "%s", problemOf(err))
			continue
		}
		if _, dup := p.Calendar.Exceptions[d]; dup {
			fe.add("specialDays."+s, "is also a holiday")
		}
		p.Calendar.Exceptions[d] = parseSpans(fe, "specialDays."+s, w.SpecialDays[s])
	}
	for _, name := range sortedKeys(w.Targets) {
		t := w.Targets[name]
		path := "targets." + name
		p.Targets[Priority(name)] = SLATarget{
			FirstResponse: parseDuration(fe, path+".firstResponse", t.FirstResponse),
			Resolution:    parseDuration(fe, path+".resolution", t.Resolution),
		}
	}
	for i, e := range w.Escalations {
		p.Escalations = append(p.Escalations, EscalationStep{
			After: parseDuration(fe, fmt.Sprintf("escalations[%d].after", i), e.After),
			To:    e.To,
		})
	}
	return p
}

// parseSpans reads a day's opening hours. A span that does not parse
// keeps its place as a zero Span, so validation names the spans after it
// by their own index (and the zero span's own complaint is dropped as
// covered).
func parseSpans(fe *fieldErrors, path string, ss []string) []Span {
	out := make([]Span, len(ss))
	for i, s := range ss {
		sp, err := ParseSpan(s)
		if err != nil {
			fe.add(fmt.Sprintf("%s[%d]", path, i), "%s", problemOf(err))
			continue
		}
		out[i] = sp
	}
	return out
}

// problemOf is a parse error's problem without the package prefix.
func problemOf(err error) string {
	var se *SyntaxError
	if errors.As(err, &se) {
		return se.Problem
	}
	return err.Error()
}

func parseDuration(fe *fieldErrors, path, s string) time.Duration {
	if s == "" {
		fe.add(path, "is required")
		return 0
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		fe.add(path, "must be a duration such as 30m or 8h")
	}
	return d
}

func sortedKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

// MarshalJSON writes the policy in the form ParseSLAPolicy reads.
func (p SLAPolicy) MarshalJSON() ([]byte, error) {
	w := policyJSON{Name: p.Name, Week: map[string][]string{}, Targets: map[string]targetJSON{}}
	if p.Calendar.Location != nil {
		w.TimeZone = p.Calendar.Location.String()
	}
	for wd, spans := range p.Calendar.Week {
		if len(spans) > 0 {
			w.Week[weekdayNames[wd]] = spanStrings(spans)
		}
	}
	dates := make([]Date, 0, len(p.Calendar.Exceptions))
	for d := range p.Calendar.Exceptions {
		dates = append(dates, d)
	}
	slices.SortFunc(dates, compareDates)
	for _, d := range dates {
		spans := p.Calendar.Exceptions[d]
		if len(spans) == 0 {
			w.Holidays = append(w.Holidays, d.String())
			continue
		}
		if w.SpecialDays == nil {
			w.SpecialDays = map[string][]string{}
		}
		w.SpecialDays[d.String()] = spanStrings(spans)
	}
	for pr, t := range p.Targets {
		w.Targets[string(pr)] = targetJSON{FirstResponse: t.FirstResponse.String(), Resolution: t.Resolution.String()}
	}
	for _, e := range p.Escalations {
		w.Escalations = append(w.Escalations, escalationJSON{After: e.After.String(), To: e.To})
	}
	return json.Marshal(w)
}

func spanStrings(spans []Span) []string {
	out := make([]string, len(spans))
	for i, s := range spans {
		out[i] = s.String()
	}
	return out
}
