package textcheck

import (
	"strings"
	"testing"
)

func TestLabelAndText(t *testing.T) {
	cases := []struct {
		in          string
		label, text bool
	}{
		{"", true, true},
		{"TEA-01", true, true},
		{"李雷", true, true},
		{"a\x00b", false, false},
		{"a\nb", false, true},
		{"a\tb", false, true},
		{"a\rb", false, true},
		{"a\x7fb", false, false},
		{"a\u0085b", false, false}, // C1 next line
		{"a\xffb", false, false},   // invalid UTF-8
		{strings.Repeat("x", 11), false, false},
	}
	for _, c := range cases {
		if got := Label(c.in, 10); got != c.label {
			t.Errorf("Label(%q) = %v", c.in, got)
		}
		if got := Text(c.in, 10); got != c.text {
			t.Errorf("Text(%q) = %v", c.in, got)
		}
	}
	if ID("") || !ID("c-1") || ID(strings.Repeat("x", MaxID+1)) || !ID(strings.Repeat("x", MaxID)) {
		t.Error("ID limits")
	}
}
