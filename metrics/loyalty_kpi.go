package metrics

import (
	"iter"

	"github.com/clientele-go/clientele/loyalty/ledger"
)

// PointsFlow is the points movement of a loyalty programme in a window,
// summed over the ledger entries whose Time lies in it.
//
// Totals follows ledger.Totals entry kind by entry kind (earn, release,
// redeem and hold-commit, refund-of-redemption, expire, clawback,
// debt-payoff, adjust, merge-in, merge-out), each a non-negative count of
// points. The headline figures are derived from it:
//
//	Issued         = Earned                       (points granted on purchases)
//	Redeemed       = Redeemed − Refunded          (spent, net of spends given back on returns)
//	Expired        = Expired
//	ClawedBack     = ClawedBack + DebtIncurred     (taken back for returns, from lots or as debt)
//	Adjusted       = AdjustedUp − AdjustedDown    (manual corrections and goodwill, signed)
//	RedemptionRate = Redeemed / Issued
//	BreakageRate   = Expired / Issued
//
// The two rates are flow ratios of one window: points redeemed or expired
// in the window were mostly issued earlier, so they can exceed 1 and are
// not the share of this window's points that will be redeemed (for that,
// see ExpectedBreakage). Both are 0 when nothing was issued. Merges move
// points between accounts and are left out of every headline figure.
type PointsFlow struct {
	Window   Window        `json:"window"`
	Entries  int           `json:"entries"`  // ledger entries in the window
	Accounts int           `json:"accounts"` // accounts with an entry in it
	Totals   ledger.Totals `json:"totals"`

	Issued         int64   `json:"issued"`
	Redeemed       int64   `json:"redeemed"`
	Expired        int64   `json:"expired"`
	ClawedBack     int64   `json:"clawedBack"`
	Adjusted       int64   `json:"adjusted"`
	RedemptionRate float64 `json:"redemptionRate"`
	BreakageRate   float64 `json:"breakageRate"`
}

// PointsIn sums the entries with Time in w. The entries may come in any
// order (per account in Seq order, as loyalty.Store.Entries yields them,
// one account after another, is the usual one).
func PointsIn(entries iter.Seq2[ledger.Entry, error], w Window) (PointsFlow, error) {
	if err := w.Validate(); err != nil {
		return PointsFlow{}, err
	}
	out := PointsFlow{Window: w}
	accounts := map[string]struct{}{}
	for e, err := range entries {
		if err != nil {
			return PointsFlow{}, readErr("ledger entries", err)
		}
		if !w.Contains(e.Time) {
			continue
		}
		if err := checkEntryKind(e); err != nil {
			return PointsFlow{}, err
		}
		out.Entries++
		accounts[e.Account] = struct{}{}
		out.Totals.Add(e)
	}
	out.Accounts = len(accounts)
	t := out.Totals
	out.Issued = t.Earned
	out.Redeemed = t.Redeemed - t.Refunded
	out.Expired = t.Expired
	out.ClawedBack = t.ClawedBack + t.DebtIncurred
	out.Adjusted = t.AdjustedUp - t.AdjustedDown
	if out.Issued > 0 {
		out.RedemptionRate = float64(out.Redeemed) / float64(out.Issued)
		out.BreakageRate = float64(out.Expired) / float64(out.Issued)
	}
	return out, nil
}

// checkEntryKind rejects an entry of a kind the ledger does not define,
// rather than leaving it silently out of every sum.
func checkEntryKind(e ledger.Entry) error {
	switch e.Kind {
	case ledger.KindEarn, ledger.KindRelease, ledger.KindRedeem, ledger.KindHold,
		ledger.KindHoldCommit, ledger.KindHoldRelease, ledger.KindClawback, ledger.KindRefund,
		ledger.KindExpire, ledger.KindAdjust, ledger.KindMergeIn, ledger.KindMergeOut,
		ledger.KindDebtPayoff:
		return nil
	}
	return fieldErr(ErrInvalidArgument, "entry "+e.ID, "Kind", "%q is not a ledger entry kind", string(e.Kind))
}
