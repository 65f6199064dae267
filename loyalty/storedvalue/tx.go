package storedvalue

import (
	"context"
	"slices"
	"time"
)

// tx is one operation's change of one account, built in memory from the
// header and the parts and records it reads, and saved as one Write.
type tx struct {
	ctx     context.Context
	store   Store
	acct    Account
	parts   map[string]*Part // parts read or changed, by ID
	changed []string         // IDs of changed parts, in order of change
	records []Record
	entries []Entry
	// keep: the request fails, and its header change (a counted wrong
	// PIN) is saved with the failure's record.
	keep bool
}

// write returns the change as a Write, the header's version advanced.
func (t *tx) write() Write {
	w := Write{Account: t.acct, Records: t.records, Entries: t.entries}
	w.Account.Version++
	for _, id := range t.changed {
		w.Parts = append(w.Parts, *t.parts[id])
	}
	return w
}

// entry appends an entry, numbering it.
func (t *tx) entry(e Entry) {
	t.acct.Seq++
	e.Seq = t.acct.Seq
	t.entries = append(t.entries, e)
}

// touch marks a part changed.
func (t *tx) touch(p *Part) {
	if !slices.Contains(t.changed, p.ID) {
		t.changed = append(t.changed, p.ID)
	}
}

// credit adds a new part and its amount to the spendable balance.
func (t *tx) credit(p Part) {
	p.Remaining = p.Amount
	t.parts[p.ID] = &p
	t.touch(&p)
	t.addSpendable(p.Kind, p.Amount)
}

func (t *tx) addSpendable(k PartKind, v int64) {
	if k == BonusPart {
		t.acct.Bonus += v
	} else {
		t.acct.Paid += v
	}
}

func (t *tx) addHeld(k PartKind, v int64) {
	if k == BonusPart {
		t.acct.HeldBonus += v
	} else {
		t.acct.HeldPaid += v
	}
}

// load returns the parts with the IDs, from the tx if it read them before.
func (t *tx) load(ids []string) (map[string]*Part, error) {
	var missing []string
	for _, id := range ids {
		if _, ok := t.parts[id]; !ok && !slices.Contains(missing, id) {
			missing = append(missing, id)
		}
	}
	if len(missing) > 0 {
		got, err := t.store.Parts(t.ctx, t.acct.ID, missing)
		if err != nil {
			return nil, err
		}
		for i := range got {
			t.parts[got[i].ID] = &got[i]
		}
	}
	return t.parts, nil
}

// Draw is money a payment or hold took from one part.
type Draw struct {
	Part   string   `json:"part"`
	Kind   PartKind `json:"kind"`
	Amount int64    `json:"amount"`
	// ExpiresAt is the part's expiry, kept so a transfer can carry bonus
	// over with it.
	ExpiresAt time.Time `json:"expiresAt,omitzero"`
}

// take draws amount of the kind from the open parts in spending order.
// hold moves the money to Held instead of spending it. The caller has
// checked the header covers amount (after expireDue), so running out is a
// store that disagrees with its header.
func (t *tx) take(kind PartKind, amount int64, hold bool) ([]Draw, error) {
	var draws []Draw
	if amount == 0 {
		return nil, nil
	}
	for stored, err := range t.store.SpendingParts(t.ctx, t.acct.ID, kind) {
		if err != nil {
			return nil, err
		}
		p := t.parts[stored.ID]
		if p == nil {
			p = &stored
			t.parts[p.ID] = p
		}
		x := min(p.Remaining, amount)
		if x <= 0 {
			continue
		}
		p.Remaining -= x
		if hold {
			p.Held += x
		}
		t.touch(p)
		draws = append(draws, Draw{Part: p.ID, Kind: kind, Amount: x, ExpiresAt: p.ExpiresAt})
		amount -= x
		if amount == 0 {
			break
		}
	}
	if amount != 0 {
		return nil, errStoreDisagrees
	}
	t.addSpendable(kind, -sum(draws))
	if hold {
		t.addHeld(kind, sum(draws))
	}
	return draws, nil
}

func sum(ds []Draw) int64 {
	var n int64
	for _, d := range ds {
		n += d.Amount
	}
	return n
}

// split returns how much of each kind a spend of amount takes under the
// order, from spendable paid and bonus (amount <= paid+bonus).
func split(order SpendOrder, amount, paid, bonus int64) (p, b int64) {
	switch order {
	case PaidFirst:
		p = min(amount, paid)
		return p, amount - p
	case BonusFirst:
		b = min(amount, bonus)
		return amount - b, b
	}
	// Proportional: bonus share rounded down, exact in 128 bits.
	b, _ = mulDiv(amount, bonus, paid+bonus)
	return amount - b, b
}

// expireDue expires the bonus parts whose expiry is at or before at:
// they come first in spending order, so this reads only them and the
// next one.
func (t *tx) expireDue(op string, at time.Time) error {
	var expired int64
	for stored, err := range t.store.SpendingParts(t.ctx, t.acct.ID, BonusPart) {
		if err != nil {
			return err
		}
		if stored.ExpiresAt.IsZero() || stored.ExpiresAt.After(at) {
			break
		}
		p := t.parts[stored.ID]
		if p == nil {
			p = &stored
			t.parts[p.ID] = p
		}
		expired += p.Remaining
		p.Remaining = 0
		t.touch(p)
	}
	if expired > 0 {
		t.acct.Bonus -= expired
		t.entry(Entry{Kind: EntryExpire, Op: op, At: at, Bonus: -expired})
	}
	return nil
}

// spend takes amount from the spendable balance in the programme's order,
// paying it (hold false) or holding it.
func (t *tx) spend(order SpendOrder, amount int64, hold bool) ([]Draw, error) {
	if avail := t.acct.Paid + t.acct.Bonus; amount > avail {
		return nil, &InsufficientFundsError{Requested: amount, Available: avail}
	}
	p, b := split(order, amount, t.acct.Paid, t.acct.Bonus)
	first, second := PaidPart, BonusPart
	fa, sa := p, b
	if order == BonusFirst {
		first, second, fa, sa = BonusPart, PaidPart, b, p
	}
	d1, err := t.take(first, fa, hold)
	if err != nil {
		return nil, err
	}
	d2, err := t.take(second, sa, hold)
	if err != nil {
		return nil, err
	}
	return append(d1, d2...), nil
}

// byKind sums draws per kind.
func byKind(ds []Draw) (paid, bonus int64) {
	for _, d := range ds {
		if d.Kind == BonusPart {
			bonus += d.Amount
		} else {
			paid += d.Amount
		}
	}
	return paid, bonus
}
