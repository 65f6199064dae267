package ledger

import (
	"cmp"
	"slices"
	"strings"
	"time"
)

// HoldState is where a hold is in its life: held, then committed or
// released, exactly once.
type HoldState string

// Hold states.
const (
	HoldOpen      HoldState = "held"
	HoldCommitted HoldState = "committed"
	HoldReleased  HoldState = "released"
)

// Portion is the part of one lot a redemption or hold drew or reserved, and
// how much of it has been given back by refunds.
type Portion struct {
	LotID    string
	Points   int64
	Refunded int64
}

// Operation is the record an account keeps of each identified operation, so
// that a replay with the same ID is a no-op, a reuse with a different payload
// is ErrIdempotencyMismatch, and corrections can find what they correct.
type Operation struct {
	Kind      EntryKind // KindRedeem, KindHold, KindClawback, KindRefund, KindAdjust or KindMergeIn
	ID        string
	Points    int64          // requested points (signed for adjustments)
	Target    string         // clawback: the purchase; refund: the redemption; merge: the merged account
	Policy    ClawbackPolicy // clawback only
	State     HoldState      // hold only
	Portions  []Portion      // redeem and hold: the lots drawn, in draw order
	Refunded  int64          // redeem and committed hold: points given back so far
	Entry     string         // the entry that recorded it (hold: the hold entry)
	EndEntry  string         // hold: the commit or release entry
	Time      time.Time
	ExpiresAt time.Time // positive adjustment: the new lot's expiry
	Reason    string    // adjustment
	Actor     string    // adjustment
}

// Spent reports the points a redemption or committed hold spent and has not
// had refunded.
func (o Operation) Spent() int64 {
	if o.Kind == KindRedeem || (o.Kind == KindHold && o.State == HoldCommitted) {
		return o.Points - o.Refunded
	}
	return 0
}

func (o Operation) clone() Operation {
	o.Portions = slices.Clone(o.Portions)
	return o
}

// opKey separates ID namespaces: redemptions and holds share one (a hold ID
// is the redemption ID once committed); returns, refunds, adjustments and
// merges have their own.
type opKey struct {
	ns string
	id string
}

func keyOf(kind EntryKind, id string) opKey {
	switch kind {
	case KindRedeem, KindHold:
		return opKey{"spend", id}
	}
	return opKey{string(kind), id}
}

func cmpOpKey(a, b opKey) int {
	return cmp.Or(strings.Compare(a.ns, b.ns), strings.Compare(a.id, b.id))
}
