package segment

import (
	"bytes"
	"fmt"
	"io"
)

// The Load functions read configuration as data: strict JSON (unknown
// fields and trailing data are errors) followed by validation that reports
// every problem at once. Each returns an error matching ErrInvalid.

// LoadRFMConfig reads an RFMConfig; an embedded "map" is validated too.
func LoadRFMConfig(r io.Reader) (RFMConfig, error) {
	var c RFMConfig
	if err := loadStrict(r, "rfm", &c); err != nil {
		return RFMConfig{}, err
	}
	if err := c.Validate(); err != nil {
		return RFMConfig{}, err
	}
	return c, nil
}

// LoadLifecycleConfig reads a LifecycleConfig.
func LoadLifecycleConfig(r io.Reader) (LifecycleConfig, error) {
	var c LifecycleConfig
	if err := loadStrict(r, "lifecycle", &c); err != nil {
		return LifecycleConfig{}, err
	}
	if err := c.Validate(); err != nil {
		return LifecycleConfig{}, err
	}
	return c, nil
}

// LoadAudience reads an Audience with its rule.
func LoadAudience(r io.Reader) (Audience, error) {
	var a Audience
	if err := loadStrict(r, "audience", &a); err != nil {
		return Audience{}, err
	}
	if err := a.Validate(); err != nil {
		return Audience{}, err
	}
	return a, nil
}

func loadStrict(r io.Reader, what string, v any) error {
	data, err := io.ReadAll(io.LimitReader(r, 1<<20))
	if err != nil {
		return fmt.Errorf("segment: reading %s: %w", what, err)
	}
	if err := strictDecode(bytes.TrimSpace(data), v); err != nil {
		var fe *FieldError
		if asFieldError(err, &fe) {
			return err
		}
		return &FieldError{Field: what, Problem: "bad JSON: " + err.Error()}
	}
	var p problems
	duplicateKeys(data, what+".", &p)
	return p.err()
}
