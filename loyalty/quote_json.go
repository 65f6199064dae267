package loyalty

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"

	"github.com/clientele-go/clientele/internal/jsonappend"
	"github.com/shopspring/decimal"
)

// The service stores every earn's quote in its operation record, so
// encoding a quote is on the earn's hot path. Quote, LineQuote and
// RuleQuote therefore encode themselves by appending to one buffer, in
// exactly the form encoding/json gave the plain structs (field order,
// omitempty, amounts as decimal strings), and decode through mirror
// structs with decimal fields, checking that every amount fits the exact
// integers the quote holds.

// MarshalJSON encodes the quote; amounts are decimal strings.
func (q Quote) MarshalJSON() ([]byte, error) {
	return q.appendJSON(make([]byte, 0, 256+160*len(q.Lines)+256*len(q.Rules)))
}

func (q *Quote) appendJSON(b []byte) ([]byte, error) {
	var err error
	b = append(b, `{"programId":`...)
	b = jsonappend.String(b, q.ProgramID)
	if q.PurchaseID != "" {
		b = jsonappend.String(append(b, `,"purchaseId":`...), q.PurchaseID)
	}
	if q.Event != "" {
		b = jsonappend.String(append(b, `,"event":`...), string(q.Event))
	}
	if b, err = jsonappend.Time(append(b, `,"time":`...), q.Time); err != nil {
		return nil, err
	}
	if q.Currency != "" {
		b = jsonappend.String(append(b, `,"currency":`...), q.Currency)
	}
	if len(q.Lines) > 0 {
		b = append(b, `,"lines":`...)
		for i := range q.Lines {
			b = append(b, jsonappend.ListSep(i))
			b = q.Lines[i].appendJSON(b)
		}
		b = append(b, ']')
	}
	if len(q.Rules) > 0 {
		b = append(b, `,"rules":`...)
		for i := range q.Rules {
			b = append(b, jsonappend.ListSep(i))
			b = q.Rules[i].appendJSON(b)
		}
		b = append(b, ']')
	}
	if q.Capped != 0 {
		b = strconv.AppendInt(append(b, `,"capped":`...), q.Capped, 10)
	}
	if q.CappedBy != "" {
		b = jsonappend.String(append(b, `,"cappedBy":`...), q.CappedBy)
	}
	b = strconv.AppendInt(append(b, `,"total":`...), q.Total, 10)
	if !q.PendingUntil.IsZero() {
		if b, err = jsonappend.Time(append(b, `,"pendingUntil":`...), q.PendingUntil); err != nil {
			return nil, err
		}
	}
	if q.ReleaseByHost {
		b = append(append(b, `,"releaseByHost":`...), "true"...)
	}
	if !q.ExpiresAt.IsZero() {
		if b, err = jsonappend.Time(append(b, `,"expiresAt":`...), q.ExpiresAt); err != nil {
			return nil, err
		}
	}
	return append(b, '}'), nil
}

// MarshalJSON encodes the line; amounts are decimal strings.
func (l LineQuote) MarshalJSON() ([]byte, error) {
	return l.appendJSON(make([]byte, 0, 160)), nil
}

func (l *LineQuote) appendJSON(b []byte) []byte {
	b = strconv.AppendInt(append(b, `{"line":`...), int64(l.Line), 10)
	b = jsonappend.String(append(b, `,"sku":`...), l.SKU)
	b = jsonappend.Decimal(append(b, `,"quantity":`...), l.Quantity)
	b = strconv.AppendBool(append(b, `,"earning":`...), l.Earning)
	b = l.orderDiscount.appendJSON(append(b, `,"orderDiscount":`...))
	b = l.tax.appendJSON(append(b, `,"tax":`...))
	b = l.net.appendJSON(append(b, `,"net":`...))
	b = strconv.AppendInt(append(b, `,"points":`...), l.Points, 10)
	if len(l.byRule) > 0 {
		b = append(b, `,"byRule":`...)
		for i, s := range l.byRule {
			b = append(b, jsonappend.ListSep(i))
			b = jsonappend.String(append(b, `{"ruleId":`...), l.rules[s.rule()])
			b = strconv.AppendInt(append(b, `,"points":`...), s.points(), 10)
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	return append(b, '}')
}

// lineQuoteJSON mirrors LineQuote with its amounts as decimals.
type lineQuoteJSON struct {
	Line          int             `json:"line"`
	SKU           string          `json:"sku"`
	Quantity      decimal.Decimal `json:"quantity"`
	Earning       bool            `json:"earning"`
	OrderDiscount decimal.Decimal `json:"orderDiscount"`
	Tax           decimal.Decimal `json:"tax"`
	Net           decimal.Decimal `json:"net"`
	Points        int64           `json:"points"`
	ByRule        []RulePoints    `json:"byRule,omitempty"`
}

// UnmarshalJSON decodes a line encoded by MarshalJSON (or by any earlier
// version, whose form is the same).
func (l *LineQuote) UnmarshalJSON(data []byte) error {
	var m lineQuoteJSON
	if err := json.Unmarshal(data, &m); err != nil {
		return err
	}
	var ok [3]bool
	out := LineQuote{Line: m.Line, SKU: m.SKU, Quantity: m.Quantity, Earning: m.Earning, Points: m.Points}
	if !out.setByRule(m.ByRule) {
		return fmt.Errorf("loyalty: quote line %d: byRule out of range", m.Line)
	}
	out.orderDiscount, ok[0] = amountOf(m.OrderDiscount)
	out.tax, ok[1] = amountOf(m.Tax)
	out.net, ok[2] = amountOf(m.Net)
	for i, name := range [...]string{"orderDiscount", "tax", "net"} {
		if !ok[i] {
			return fmt.Errorf("loyalty: quote line %d: %s out of range", m.Line, name)
		}
	}
	*l = out
	return nil
}

// setByRule sets the line's split from decoded shares, with a table of
// their own rule IDs (Quote.UnmarshalJSON links it to the quote's), and
// false when a share's points are negative or beyond any quote's.
func (l *LineQuote) setByRule(rps []RulePoints) bool {
	l.byRule, l.rules = nil, nil
	if len(rps) == 0 {
		return true
	}
	l.byRule = make([]ruleShare, len(rps))
	for i, rp := range rps {
		j := slices.Index(l.rules, rp.RuleID)
		if j < 0 {
			j = len(l.rules)
			l.rules = append(l.rules, rp.RuleID)
		}
		if rp.Points < 0 || rp.Points > maxSharePts || j >= maxShareRules {
			return false
		}
		l.byRule[i] = share(j, rp.Points)
	}
	return true
}

// UnmarshalJSON decodes a quote encoded by MarshalJSON (or by any earlier
// version, whose form is the same). Lines name their rules by index into
// one table of the quote's rule IDs, as a computed quote does, so that
// the decoded quote equals the encoded one.
func (q *Quote) UnmarshalJSON(data []byte) error {
	type plain Quote // the same fields without this method
	var p plain
	if err := json.Unmarshal(data, &p); err != nil {
		return err
	}
	ids := make([]string, len(p.Rules))
	for j := range p.Rules {
		ids[j] = p.Rules[j].RuleID
	}
	for i := range p.Lines {
		p.Lines[i].link(ids)
	}
	*q = Quote(p)
	return nil
}

// link re-indexes the line's shares into ids when every rule it names is
// there (always, for a quote Quote made); otherwise the line keeps its
// own table.
func (l *LineQuote) link(ids []string) {
	if len(l.byRule) == 0 {
		return
	}
	at := make([]int, len(l.rules))
	for j, id := range l.rules {
		k := slices.Index(ids, id)
		if k < 0 || k >= maxShareRules {
			return
		}
		at[j] = k
	}
	for i, s := range l.byRule {
		l.byRule[i] = share(at[s.rule()], s.points())
	}
	l.rules = ids
}

// MarshalJSON encodes the rule's figures; amounts are decimal strings.
func (r RuleQuote) MarshalJSON() ([]byte, error) {
	return r.appendJSON(make([]byte, 0, 256)), nil
}

func (r *RuleQuote) appendJSON(b []byte) []byte {
	b = jsonappend.String(append(b, `{"ruleId":`...), r.RuleID)
	b = jsonappend.String(append(b, `,"kind":`...), string(r.Kind))
	if r.Group != "" {
		b = jsonappend.String(append(b, `,"group":`...), r.Group)
	}
	b = strconv.AppendInt(append(b, `,"priority":`...), int64(r.Priority), 10)
	b = jsonappend.Decimal(append(b, `,"multiplier":`...), r.Multiplier)
	b = r.baseAmount.appendJSON(append(b, `,"baseAmount":`...))
	if !r.basePoints.isZero() {
		b = appendRawJSON(append(b, `,"basePoints":`...), r.basePoints)
	}
	b = appendRawJSON(append(b, `,"exact":`...), r.exact)
	b = jsonappend.String(append(b, `,"rounding":`...), string(r.Rounding))
	b = strconv.AppendInt(append(b, `,"rounded":`...), r.Rounded, 10)
	if r.CappedByRule != 0 {
		b = strconv.AppendInt(append(b, `,"cappedByRule":`...), r.CappedByRule, 10)
	}
	if r.CappedByProgram != 0 {
		b = strconv.AppendInt(append(b, `,"cappedByProgram":`...), r.CappedByProgram, 10)
	}
	b = strconv.AppendInt(append(b, `,"points":`...), r.Points, 10)
	if r.Lines != 0 {
		b = strconv.AppendInt(append(b, `,"lines":`...), int64(r.Lines), 10)
	}
	return append(b, '}')
}

// ruleQuoteJSON mirrors RuleQuote with its amounts as decimals.
type ruleQuoteJSON struct {
	RuleID          string          `json:"ruleId"`
	Kind            RuleKind        `json:"kind"`
	Group           string          `json:"group,omitempty"`
	Priority        int             `json:"priority"`
	Multiplier      decimal.Decimal `json:"multiplier"`
	BaseAmount      decimal.Decimal `json:"baseAmount"`
	BasePoints      decimal.Decimal `json:"basePoints,omitzero"`
	Exact           decimal.Decimal `json:"exact"`
	Rounding        Rounding        `json:"rounding"`
	Rounded         int64           `json:"rounded"`
	CappedByRule    int64           `json:"cappedByRule,omitempty"`
	CappedByProgram int64           `json:"cappedByProgram,omitempty"`
	Points          int64           `json:"points"`
	Lines           int             `json:"lines,omitempty"`
}

// UnmarshalJSON decodes a rule encoded by MarshalJSON (or by any earlier
// version, whose form is the same).
func (r *RuleQuote) UnmarshalJSON(data []byte) error {
	var m ruleQuoteJSON
	if err := json.Unmarshal(data, &m); err != nil {
		return err
	}
	var ok [3]bool
	out := RuleQuote{RuleID: m.RuleID, Kind: m.Kind, Group: m.Group, Priority: m.Priority, Multiplier: m.Multiplier,
		Rounding: m.Rounding, Rounded: m.Rounded, CappedByRule: m.CappedByRule, CappedByProgram: m.CappedByProgram,
		Points: m.Points, Lines: m.Lines}
	out.baseAmount, ok[0] = amountOf(m.BaseAmount)
	out.basePoints, ok[1] = rawOf(m.BasePoints)
	out.exact, ok[2] = rawOf(m.Exact)
	for i, name := range [...]string{"baseAmount", "basePoints", "exact"} {
		if !ok[i] {
			return fmt.Errorf("loyalty: quote rule %q: %s out of range", m.RuleID, name)
		}
	}
	*r = out
	return nil
}
