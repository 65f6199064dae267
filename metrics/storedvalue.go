package metrics

import (
	"iter"

	"github.com/clientele-go/clientele/internal/money"
	"github.com/clientele-go/clientele/loyalty/storedvalue"
	"github.com/shopspring/decimal"
)

// PaidBonus is an amount of stored value split into the money customers
// paid and the bonus the shop gave.
type PaidBonus struct {
	Paid  decimal.Decimal `json:"paid"`
	Bonus decimal.Decimal `json:"bonus"`
}

// StoredValueReport is the stored-value programme's figures for a window
// and at its end, in one currency.
//
// Flows sum the entries whose At lies in the window: ToppedUp (top-ups,
// gift-card activations and imports), Spent (payments and committed
// holds, before refunds), Refunded, CashedOut, Forfeited (bonus lost to
// cash-outs), Expired, Adjusted (signed) and Transferred (signed: gift
// cards emptied into wallets; zero once both steps are in).
//
// Liability is the stored value outstanding at the window's end (every
// entry before To): what the shop owes in goods. Its Paid part is deferred
// revenue, cash received for sales not yet made; its Bonus part is a
// promise the shop never took cash for, shown apart. Held is the part
// reserved by open holds at the tills.
//
// Breakage is estimated from history, by this method: of the bonus money
// whose fate is settled before To, the share that left the ledger unspent,
//
//	BonusBreakage = (Expired + Forfeited) / (Expired + Forfeited + Spent − Refunded)
//
// over all bonus entries before To (not only the window), and
// ExpectedBonusBreakage = Liability.Bonus × BonusBreakage, rounded to the
// minor unit, the part of the outstanding bonus expected never to be
// spent. Paid money never expires, so no breakage is estimated for it.
type StoredValueReport struct {
	Window   Window `json:"window"`
	Currency string `json:"currency"`
	Entries  int    `json:"entries"`  // money entries in the window
	Accounts int    `json:"accounts"` // money accounts outstanding at To (balance or hold not zero)
	TopUps   int    `json:"topUps"`   // top-up entries in the window
	Payments int    `json:"payments"` // payment and commit entries in the window

	ToppedUp    PaidBonus `json:"toppedUp"`
	Spent       PaidBonus `json:"spent"`
	Refunded    PaidBonus `json:"refunded"`
	CashedOut   PaidBonus `json:"cashedOut"`
	Forfeited   PaidBonus `json:"forfeited"`
	Expired     PaidBonus `json:"expired"`
	Adjusted    PaidBonus `json:"adjusted"`
	Transferred PaidBonus `json:"transferred"`

	Liability PaidBonus `json:"liability"`
	Held      PaidBonus `json:"held"`

	BonusBreakage         float64         `json:"bonusBreakage"`
	BonusLapsed           int64           `json:"bonusLapsed"`   // bonus expired or forfeited before To, minor units
	BreakageBasis         int64           `json:"breakageBasis"` // bonus with a settled fate before To, minor units
	ExpectedBonusBreakage decimal.Decimal `json:"expectedBonusBreakage"`
	Method                string          `json:"method"`
}

// StoredValueBreakageMethod names the breakage estimate StoredValue uses.
const StoredValueBreakageMethod = "settled-bonus share: (expired+forfeited)/(expired+forfeited+spent-refunded), all history before the window's end"

// svPair is a running paid/bonus sum in minor units.
type svPair struct{ paid, bonus int64 }

func (p *svPair) add(e storedvalue.Entry, sign int64) {
	p.paid += sign * e.Paid
	p.bonus += sign * e.Bonus
}

// StoredValue computes the report for the window from every entry of every
// account up to its end (any order; later entries and punch cards' are
// ignored; storedvalue.AllEntries streams a store's), in the currency the
// accounts hold. It is a single pass.
func StoredValue(entries iter.Seq2[storedvalue.AccountEntry, error], w Window, currency string) (StoredValueReport, error) {
	if err := w.Validate(); err != nil {
		return StoredValueReport{}, err
	}
	scale, err := money.MinorUnits(currency)
	if err != nil {
		return StoredValueReport{}, fieldErr(ErrCurrency, "stored value", "currency", "not an ISO 4217 currency with a minor unit")
	}
	var (
		topped, spent, refunded, cashed, forfeited, expired, adjusted, transferred svPair
		heldAt, owed                                                               = map[string]svPair{}, map[string]svPair{}
		lapsedAll, spentAll, refundedAll                                           int64
		out                                                                        = StoredValueReport{Window: w, Currency: currency, Method: StoredValueBreakageMethod}
	)
	for se, err := range entries {
		if err != nil {
			return StoredValueReport{}, readErr("stored-value entries", err)
		}
		e := se.Entry
		if se.Type == storedvalue.PunchCardAccount || !e.At.Before(w.To) {
			continue
		}
		o := owed[se.AccountID]
		o.add(e, 1)
		owed[se.AccountID] = o
		h := heldAt[se.AccountID]
		h.paid, h.bonus = h.paid+e.HeldPaid, h.bonus+e.HeldBonus
		heldAt[se.AccountID] = h
		switch e.Kind {
		case storedvalue.EntryExpire, storedvalue.EntryForfeit:
			lapsedAll -= e.Bonus
		case storedvalue.EntryPay, storedvalue.EntryCommit:
			spentAll -= e.Bonus
		case storedvalue.EntryRefund:
			refundedAll += e.Bonus
		}
		if !w.Contains(e.At) {
			continue
		}
		out.Entries++
		switch e.Kind {
		case storedvalue.EntryTopUp:
			topped.add(e, 1)
			out.TopUps++
		case storedvalue.EntryPay, storedvalue.EntryCommit:
			spent.add(e, -1)
			out.Payments++
		case storedvalue.EntryRefund:
			refunded.add(e, 1)
		case storedvalue.EntryCashOut:
			cashed.add(e, -1)
		case storedvalue.EntryForfeit:
			forfeited.add(e, -1)
		case storedvalue.EntryExpire:
			expired.add(e, -1)
		case storedvalue.EntryAdjust:
			adjusted.add(e, 1)
		case storedvalue.EntryTransfer:
			transferred.add(e, 1)
		}
	}
	var liability, held svPair
	for id, o := range owed {
		h := heldAt[id]
		liability.paid, liability.bonus = liability.paid+o.paid, liability.bonus+o.bonus
		held.paid, held.bonus = held.paid+h.paid, held.bonus+h.bonus
		if o != (svPair{}) || h != (svPair{}) {
			out.Accounts++
		}
	}
	pb := func(p svPair) PaidBonus {
		return PaidBonus{Paid: decimal.New(p.paid, -scale), Bonus: decimal.New(p.bonus, -scale)}
	}
	out.ToppedUp, out.Spent, out.Refunded, out.CashedOut = pb(topped), pb(spent), pb(refunded), pb(cashed)
	out.Forfeited, out.Expired, out.Adjusted, out.Transferred = pb(forfeited), pb(expired), pb(adjusted), pb(transferred)
	out.Liability, out.Held = pb(liability), pb(held)
	out.BonusLapsed, out.BreakageBasis = lapsedAll, lapsedAll+spentAll-refundedAll
	if out.BreakageBasis > 0 {
		out.BonusBreakage = float64(lapsedAll) / float64(out.BreakageBasis)
		// Exact in decimals: liability × lapsed / basis, half up.
		out.ExpectedBonusBreakage = decimal.New(liability.bonus, -scale).Mul(decimal.NewFromInt(lapsedAll)).
			DivRound(decimal.NewFromInt(out.BreakageBasis), scale)
	} else {
		out.ExpectedBonusBreakage = decimal.New(0, -scale)
	}
	return out, nil
}
