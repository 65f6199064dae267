package loyalty

import (
	"time"
)

// Validate checks the whole programme and reports every problem at once
// (errors.Join of *FieldError, each matching ErrInvalid). On success it
// resolves Location from TimeZone and compiles the rules for Quote.
func (p *Program) Validate() error {
	c, err := p.check()
	if err != nil {
		return err
	}
	p.Location = c.loc
	if p.TimeZone == "" {
		p.TimeZone = c.loc.String()
	}
	p.compiled = c
	return nil
}

// compiledOrCheck returns the compiled form, validating on the fly when
// Validate was never called (correct, but slower per call).
func (p *Program) compiledOrCheck() (*compiled, error) {
	if p.compiled != nil {
		return p.compiled, nil
	}
	return p.check()
}

func (p *Program) check() (*compiled, error) {
	var fe fieldErrors
	if p.ID == "" {
		fe.add("id", "required")
	}
	if !currencyCode(p.Currency) {
		fe.add("currency", "must be an ISO 4217 code of three capital letters")
	}
	if p.MinorUnits != nil && (*p.MinorUnits < 0 || *p.MinorUnits > 4) {
		fe.add("minorUnits", "must be 0 to 4")
	}
	minor := p.MinorUnit()
	if minor < 0 || minor > 4 {
		minor = 2 // reported above; keep checking the rest
	}
	loc := p.resolveZone(&fe)
	p.NonEarning.validate(&fe, "nonEarning")
	p.validateStacking(&fe)
	p.validateEvents(&fe)
	p.validateRules(&fe, minor)
	p.Caps.validate(&fe)
	p.Pending.validate(&fe, "pending")
	p.Expiry.validate(&fe, "expiry")
	if !p.ReturnPolicy.Valid() {
		fe.add("returnPolicy", "must be only-pending, within-balance or allow-debt")
	}
	p.Redemption.validate(&fe, minor)
	p.Tiers.validate(&fe, minor)
	p.validateRewards(&fe, minor)
	p.validateGifts(&fe)
	if p.BirthdayCoupon != nil {
		p.BirthdayCoupon.validate(&fe, p)
	}
	if err := fe.err(); err != nil {
		return nil, err
	}
	return p.compile(loc, minor), nil
}

func currencyCode(s string) bool {
	if len(s) != 3 {
		return false
	}
	for i := 0; i < 3; i++ {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return true
}

func (p *Program) resolveZone(fe *fieldErrors) *time.Location {
	if p.TimeZone == "" {
		if p.Location == nil {
			fe.add("timeZone", "required (an IANA zone name such as Asia/Shanghai)")
			return time.UTC
		}
		return p.Location
	}
	if !zoneName(p.TimeZone) {
		fe.add("timeZone", "not an IANA zone name")
		return time.UTC
	}
	loc, err := time.LoadLocation(p.TimeZone)
	if err != nil {
		fe.add("timeZone", "unknown IANA zone")
		return time.UTC
	}
	if p.Location != nil && p.Location.String() != loc.String() {
		fe.add("timeZone", "does not match Location")
	}
	return loc
}

// zoneName accepts the characters IANA zone names use, so that odd input
// never reaches the file system.
func zoneName(s string) bool {
	if len(s) > 64 || s == "Local" {
		return false
	}
	for _, r := range s {
		ok := r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '/' || r == '_' || r == '-' || r == '+'
		if !ok {
			return false
		}
	}
	return s[0] != '/'
}

func (s Selector) validate(fe *fieldErrors, path string) {
	names := [4]string{"categories", "brands", "skus", "tags"}
	for k, list := range [4][]string{s.Categories, s.Brands, s.SKUs, s.Tags} {
		name := names[k]
		for _, v := range list {
			if v == "" {
				fe.add(path+"."+name, "must not contain empty values")
				break
			}
		}
	}
}

func (p *Program) validateStacking(fe *fieldErrors) {
	seen := map[string]bool{}
	for i, g := range p.Stacking {
		path := "stacking[" + itoa(i) + "]"
		if g.ID == "" {
			fe.add(path+".id", "required")
		} else if seen[g.ID] {
			fe.add(path+".id", "duplicate group")
		}
		seen[g.ID] = true
		if g.Mode != StackBestOf && g.Mode != StackAdditive {
			fe.add(path+".mode", "must be best-of or additive")
		}
	}
}

func (c Caps) validate(fe *fieldErrors) {
	if c.PerOrder < 0 || c.PerDay < 0 || c.PerPeriod < 0 {
		fe.add("caps", "caps must not be negative")
	}
	if c.PerPeriod > 0 && !validPeriod(c.Period) {
		fe.add("caps.period", "perPeriod needs a period: week, month, quarter or year")
	}
	if c.Period != "" && !validPeriod(c.Period) {
		fe.add("caps.period", "must be week, month, quarter or year")
	}
}
