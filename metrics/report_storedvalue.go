package metrics

import (
	"fmt"

	"github.com/shopspring/decimal"
	"golang.org/x/text/message"
)

// StoredValueSection is the report's stored-value figures: the shop's, for
// the current and the previous window (see StoredValue).
type StoredValueSection struct {
	Current  StoredValueReport `json:"current"`
	Previous StoredValueReport `json:"previous"`
}

// storedValue computes the section, or nil without stored-value entries.
func (r *Report) storedValue(in ReportInput, o ReportOptions) error {
	if in.StoredValue == nil {
		return nil
	}
	cur, err := StoredValue(in.StoredValue, o.Current, o.StoredValueCurrency)
	if err != nil {
		return err
	}
	prev, err := StoredValue(in.StoredValue, o.Previous, o.StoredValueCurrency)
	if err != nil {
		return err
	}
	r.StoredValue = &StoredValueSection{Current: cur, Previous: prev}
	return nil
}

// storedValueLines are the stored-value table's lines, in order.
var storedValueLines = []struct {
	label string
	get   func(s StoredValueReport) cell
}{
	{"Topped up, paid", func(s StoredValueReport) cell { return svMoney(s, s.ToppedUp.Paid) }},
	{"Topped up, bonus", func(s StoredValueReport) cell { return svMoney(s, s.ToppedUp.Bonus) }},
	{"Spent, paid", func(s StoredValueReport) cell { return svMoney(s, s.Spent.Paid) }},
	{"Spent, bonus", func(s StoredValueReport) cell { return svMoney(s, s.Spent.Bonus) }},
	{"Refunded to balances", func(s StoredValueReport) cell { return svMoney(s, s.Refunded.Paid.Add(s.Refunded.Bonus)) }},
	{"Cashed out", func(s StoredValueReport) cell { return svMoney(s, s.CashedOut.Paid) }},
	{"Bonus expired or forfeited", func(s StoredValueReport) cell {
		return svMoney(s, s.Expired.Bonus.Add(s.Forfeited.Bonus))
	}},
	{"Liability, paid (deferred revenue)", func(s StoredValueReport) cell { return svMoney(s, s.Liability.Paid) }},
	{"Liability, bonus", func(s StoredValueReport) cell { return svMoney(s, s.Liability.Bonus) }},
	{"Expected bonus breakage", func(s StoredValueReport) cell { return svMoney(s, s.ExpectedBonusBreakage) }},
}

// svMoney is a money cell of the section's currency.
func svMoney(s StoredValueReport, v decimal.Decimal) cell {
	return moneyCell(v, scaleOr(s.Currency, 2), s.Currency, -1)
}

// storedValueTable is the section as a table: each line's current and
// previous figure and the change.
func storedValueTable(p *message.Printer, s *StoredValueSection) (string, []string, [][]string) {
	if s == nil {
		return "", nil, nil
	}
	header := []string{p.Sprintf("Metric"), p.Sprintf("Current"), p.Sprintf("Previous"), p.Sprintf("Change")}
	var rows [][]string
	for _, l := range storedValueLines {
		cur, prev := l.get(s.Current), l.get(s.Previous)
		rows = append(rows, []string{p.Sprintf(l.label), cur.value(p), prev.value(p), change(cur, prev)})
	}
	return p.Sprintf("Stored value"), header, rows
}

// storedValueParams states the section's definitions.
func storedValueParams(p *message.Printer, s *StoredValueSection) []string {
	if s == nil {
		return nil
	}
	c := s.Current
	return []string{p.Sprintf("Stored value: liability at the window's end, paid part deferred revenue, bonus shown apart; bonus breakage %s = lapsed / settled bonus before the end (%d of %d minor units)",
		fmt.Sprintf("%.1f%%", 100*c.BonusBreakage), c.BonusLapsed, c.BreakageBasis)}
}
