package feedback_test

import (
	"encoding/json"
	"errors"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clientele-go/clientele/feedback"
)

func loadPolicy(t testing.TB) feedback.SLAPolicy {
	t.Helper()
	data, err := os.ReadFile("testdata/sla_policy.json")
	require.NoError(t, err)
	p, err := feedback.ParseSLAPolicy(data)
	require.NoError(t, err)
	return p
}

func TestParseSLAPolicy(t *testing.T) {
	p := loadPolicy(t)
	assert.Equal(t, "stores-cn", p.Name)
	assert.Equal(t, "Asia/Shanghai", p.Calendar.Location.String())
	urgent, err := p.Target(feedback.PriorityUrgent)
	require.NoError(t, err)
	assert.Equal(t, feedback.SLATarget{FirstResponse: 30 * time.Minute, Resolution: 4 * time.Hour}, urgent)
	assert.Len(t, p.Escalations, 2)
	assert.Empty(t, p.Calendar.Week[time.Sunday])
	assert.Len(t, p.Calendar.Exceptions, 4)

	// The shop calendar of the clock tests is the same calendar.
	c := shopCalendar(t)
	sh := c.Location
	for _, start := range []time.Time{at(sh, 2026, 9, 30, 17, 0), at(sh, 2026, 10, 10, 15, 30), at(sh, 2026, 11, 20, 20, 0)} {
		a, err := p.Calendar.Add(start, 5*time.Hour)
		require.NoError(t, err)
		b, err := c.Add(start, 5*time.Hour)
		require.NoError(t, err)
		assert.True(t, a.Equal(b))
	}

	// Round trip.
	out, err := json.Marshal(p)
	require.NoError(t, err)
	again, err := feedback.ParseSLAPolicy(out)
	require.NoError(t, err)
	out2, err := json.Marshal(again)
	require.NoError(t, err)
	assert.JSONEq(t, string(out), string(out2))

	_, err = p.Target("whenever")
	assert.ErrorIs(t, err, feedback.ErrNoPolicy)
}

func TestParseSLAPolicyReportsEveryProblem(t *testing.T) {
	bad := `{
	  "name": "",
	  "timeZone": "Mars/Olympus",
	  "week": {"monday": ["18:00-09:00", "9:00-10:00"], "funday": ["09:00-10:00"]},
	  "holidays": ["2026-02-30", "2026-05-01"],
	  "specialDays": {"2026-05-01": ["09:00-12:00"]},
	  "targets": {"normal": {"firstResponse": "5h", "resolution": "soon"}},
	  "escalations": [{"after": "1h", "to": ""}]
	}`
	_, err := feedback.ParseSLAPolicy([]byte(bad))
	require.ErrorIs(t, err, feedback.ErrInvalid)
	var fields []string
	for _, e := range err.(interface{ Unwrap() []error }).Unwrap() {
		var fe *feedback.FieldError
		require.True(t, errors.As(e, &fe))
		fields = append(fields, fe.Field)
	}
	assert.ElementsMatch(t, []string{
		"name", "timeZone", "week.funday", "week.monday[0]", "week.monday[1]", "holidays[0]",
		"specialDays.2026-05-01", "targets.normal.resolution", "escalations[0].to",
	}, fields, "parse and rule problems are reported together, each once")

	// Once it parses, validation reports every rule broken.
	valid := `{
	  "name": "",
	  "timeZone": "Europe/Berlin",
	  "week": {"monday": ["18:00-09:00", "08:00-10:00"]},
	  "targets": {"normal": {"firstResponse": "5h", "resolution": "1h"}, "someday": {"firstResponse": "-1h", "resolution": "10000h"}},
	  "escalations": [{"after": "1h", "to": ""}, {"after": "1h", "to": "boss"}]
	}`
	_, err = feedback.ParseSLAPolicy([]byte(valid))
	require.ErrorIs(t, err, feedback.ErrInvalid)
	fields = nil
	for _, e := range err.(interface{ Unwrap() []error }).Unwrap() {
		var fe *feedback.FieldError
		require.True(t, errors.As(e, &fe))
		fields = append(fields, fe.Field)
	}
	assert.ElementsMatch(t, []string{
		"name", "week.monday[0]", // [1] is sound: only the inverted [0] is wrong
		"targets.normal.firstResponse", "targets.someday", "targets.someday.firstResponse", "targets.someday.resolution",
		"escalations[0].to", "escalations[1].after",
	}, fields)
}

func TestParseSLAPolicyIsStrict(t *testing.T) {
	for name, doc := range map[string]string{
		"unknown field":    `{"name":"x","timeZone":"UTC","week":{"monday":["09:00-17:00"]},"targets":{"low":{"firstResponse":"1h","resolution":"2h"}},"colour":"red"}`,
		"trailing data":    `{"name":"x","timeZone":"UTC","week":{"monday":["09:00-17:00"]},"targets":{"low":{"firstResponse":"1h","resolution":"2h"}}} {}`,
		"not an object":    `[1,2]`,
		"empty":            ``,
		"no targets":       `{"name":"x","timeZone":"UTC","week":{"monday":["09:00-17:00"]}}`,
		"no hours":         `{"name":"x","timeZone":"UTC","week":{},"targets":{"low":{"firstResponse":"1h","resolution":"2h"}}}`,
		"too far to reach": `{"name":"x","timeZone":"UTC","week":{"monday":["09:00-09:01"]},"targets":{"low":{"firstResponse":"1h","resolution":"2h"}}}`,
	} {
		t.Run(name, func(t *testing.T) {
			_, err := feedback.ParseSLAPolicy([]byte(doc))
			assert.ErrorIs(t, err, feedback.ErrInvalid)
		})
	}
}

// FuzzParseSLAPolicy: no input panics; a policy that parses round-trips
// through JSON, and its calendar's Add and Between agree.
func FuzzParseSLAPolicy(f *testing.F) {
	if data, err := os.ReadFile("testdata/sla_policy.json"); err == nil {
		f.Add(data)
	}
	f.Add([]byte(`{"name":"x","timeZone":"America/New_York","week":{"sunday":["01:00-02:30","02:30-04:00"]},"targets":{"high":{"firstResponse":"1h","resolution":"5h"}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := feedback.ParseSLAPolicy(data)
		if err != nil {
			if !errors.Is(err, feedback.ErrInvalid) {
				t.Fatalf("error does not match ErrInvalid: %v", err)
			}
			return
		}
		out, err := json.Marshal(p)
		if err != nil {
			t.Fatal(err)
		}
		again, err := feedback.ParseSLAPolicy(out)
		if err != nil {
			t.Fatalf("re-parse of %s: %v", out, err)
		}
		out2, _ := json.Marshal(again)
		if string(out) != string(out2) {
			t.Fatalf("round trip changed the policy:\n%s\n%s", out, out2)
		}
		start := time.Date(2026, 3, 7, 23, 17, 0, 0, time.UTC)
		for pr, target := range p.Targets {
			due, err := p.Calendar.Add(start, target.Resolution)
			if err != nil {
				t.Fatalf("%s: %v", pr, err)
			}
			if got := p.Calendar.Between(start, due); got != target.Resolution {
				t.Fatalf("%s: Between(start, Add(start, %s)) = %s", pr, target.Resolution, got)
			}
		}
	})
}

// Unknown keys are named at their path, every one of them, not only the
// first key encoding/json meets.
func TestSLAPolicyUnknownFieldPaths(t *testing.T) {
	data := []byte(`{"name": "x", "timeZone": "Asia/Shanghai", "week": {"monday": ["09:00-18:00"]},
		"targets": {"high": {"firstResponse": "1h", "resolutoin": "8h"}},
		"escalations": [{"after": "1h", "to": "manager"}, {"after": "2h", "to": "director", "notify": true}]}`)
	_, err := feedback.ParseSLAPolicy(data)
	require.ErrorIs(t, err, feedback.ErrInvalid)
	assert.Equal(t, []string{"targets.high.resolutoin", "escalations[1].notify"}, fieldsOf(err))
}

func TestSLAPolicyDuplicateKeysRefused(t *testing.T) {
	data := []byte(`{"name": "x", "timeZone": "Asia/Shanghai", "week": {"monday": ["09:00-18:00"]},
		"targets": {"high": {"firstResponse": "1h", "resolution": "8h", "resolution": "800h"}}}`)
	_, err := feedback.ParseSLAPolicy(data)
	require.ErrorIs(t, err, feedback.ErrInvalid)
	assert.Equal(t, []string{"targets.high.resolution"}, fieldsOf(err))
}
