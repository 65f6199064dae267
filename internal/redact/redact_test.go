package redact

import (
	"bytes"
	"fmt"
	"log/slog"
	"strings"
	"testing"
)

type secret struct{ Name string }

func (s secret) String() string   { return "secret{<redacted>}" }
func (s secret) GoString() string { return "redact.secret{<redacted>}" }
func (s secret) Format(f fmt.State, verb rune) {
	Format(f, verb, s.String(), s.GoString())
}
func (s secret) LogValue() slog.Value { return Value(s.String()) }

func TestEveryVerbRedacts(t *testing.T) {
	v := secret{Name: "Lin Mei"}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%d", "%x", "%X", "%10.3v", "%T"} {
		if got := fmt.Sprintf(verb, v); strings.Contains(got, "Lin") {
			t.Errorf("%s printed %q", verb, got)
		}
	}
	if got := fmt.Sprintf("%#v", v); got != v.GoString() {
		t.Errorf("%%#v = %q", got)
	}
	var buf bytes.Buffer
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("x", "v", v)
	if strings.Contains(buf.String(), "Lin") {
		t.Errorf("slog printed %s", buf.String())
	}
}
