package ledger

import "time"

// Available reports the points the member can spend at time at: the
// remaining points of released lots whose expiry is after at, less the
// points open holds reserve. Lots past expiry count as expired even before
// Expire records it, so the view never offers points that are gone.
func (a Account) Available(at time.Time) int64 { return a.freeAt(at.Round(0)) }

// Pending reports the points of unreleased lots whose expiry is after at.
func (a Account) Pending(at time.Time) int64 {
	at = at.Round(0)
	n := a.pendingPts
	for k := range a.open.All() {
		if k.expires.isZero() || k.expires.after(at) {
			break
		}
		l, _ := a.lots.Get(k.id)
		n -= l.Pending()
	}
	return n
}

// Held reports the points reserved by open holds.
func (a Account) Held() int64 { return a.held }

// ExpiryBucket is the points that expire at one instant.
type ExpiryBucket struct {
	Date    time.Time // the lots' ExpiresAt
	Points  int64     // available points expiring then
	Pending int64     // pending points expiring then
}

// ExpiringBy groups the unheld points that are still alive at now and
// expire at or before by, one bucket per expiry instant, soonest first. The
// calendar grouping (per day in the program's zone) is the caller's: the
// instants are those the lots carry.
func (a Account) ExpiringBy(now, by time.Time) []ExpiryBucket {
	now, by = now.Round(0), by.Round(0)
	var out []ExpiryBucket
	for k := range a.open.All() {
		if k.expires.isZero() || k.expires.after(by) {
			break
		}
		if !k.expires.after(now) {
			continue
		}
		l, _ := a.lots.Get(k.id)
		if n := len(out); n == 0 || !out[n-1].Date.Equal(l.ExpiresAt) {
			out = append(out, ExpiryBucket{Date: l.ExpiresAt})
		}
		b := &out[len(out)-1]
		b.Points += l.Free()
		b.Pending += l.Pending()
	}
	return out
}

// Balance is a view of an account at one time.
type Balance struct {
	At        time.Time
	Available int64 // spendable now
	Pending   int64 // earned, not yet released
	Held      int64 // reserved by open holds
	Debt      int64 // owed after clawbacks under AllowDebt
	Totals    Totals
}

// Net reports available + pending + held - debt: what the member would
// have if everything pending were released and every hold released.
func (b Balance) Net() int64 { return b.Available + b.Pending + b.Held - b.Debt }

// Balance returns the balances at time at.
func (a Account) Balance(at time.Time) Balance {
	return Balance{At: at, Available: a.Available(at), Pending: a.Pending(at), Held: a.held, Debt: a.debt, Totals: a.totals}
}
