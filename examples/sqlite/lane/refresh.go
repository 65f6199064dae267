package lane

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/clientele-go/clientele/customer"
	"github.com/clientele-go/clientele/examples/sqlite"
	"github.com/clientele-go/clientele/loyalty"
)

// RecordKinds are the kinds of loyalty records Refresh copies from the
// centre: every kind the loyalty package declares. A kind added there
// must be added here, or a refreshed lane would lack those records.
var RecordKinds = []loyalty.RecordKind{loyalty.RecordOperation, loyalty.RecordPurchase,
	loyalty.RecordCoupon, loyalty.RecordRewardCount, loyalty.RecordActivity, loyalty.RecordActivityMonth}

// RefreshReport says what a Refresh changed on the lane.
type RefreshReport struct {
	Members int // members copied from the centre
	// Whole counts the members, of Members, whose loyalty account was
	// copied whole rather than by what changed: a first copy, or a store
	// that keeps no change journal (or no longer the whole of it).
	Whole int
	Notes []string // one line per member whose central state differed in what the lane decides with
}

// Refresh replaces the lane's copy of its members with the central
// services' current one: each member's customer record (merged, erased,
// identities) and whole loyalty account (balance, lots, tier, activity,
// the per-purchase state returns use). Offline decisions after it start
// from the centre's view: a sale to a member merged centrally is recorded
// against the survivor on the lane as well, a sale to an erased member is
// refused before anything is queued, and a return's local clawback sees
// the points spent at other stores.
//
// The members refreshed are every customer the lane holds, and the
// customers those were merged into centrally. Refresh runs only after
// everything queued was sent (call Sync first): with an unsent fact it
// fails with sqlite.ErrUnsent and changes nothing, because the centre's
// view would not hold that fact yet. Each account is read from the
// centre with LoadWhole's consistency check (read the header again after
// the rest; read again if it moved), and all members are replaced in one
// transaction on the lane, so a crash leaves the old copy or the new.
// Where both sides run them, the members' wallets and the lane's other
// stored-value accounts, and the lane's coupon codes, are copied next in a
// second transaction (see the package doc); a crash between the two
// leaves the members fresh and the money as it was, which the next
// Refresh copies. Refresh and Sync of one lane do not run at once.
func (l *Lane) Refresh(ctx context.Context, central Services) (RefreshReport, error) {
	l.syncMu.Lock()
	defer l.syncMu.Unlock()
	var rep RefreshReport
	var ids []string
	for c, err := range l.local.Customers.Store().Customers(ctx) {
		if err != nil {
			return rep, fmt.Errorf("lane: refresh: %w", err)
		}
		ids = append(ids, c.ID)
	}
	var copies []sqlite.MemberCopy
	seen := map[string]bool{}
	for len(ids) > 0 {
		id := ids[0]
		ids = ids[1:]
		if seen[id] {
			continue
		}
		seen[id] = true
		c, err := central.Customers.Store().GetCustomer(ctx, id)
		if errors.Is(err, customer.ErrNotFound) {
			rep.Notes = append(rep.Notes, fmt.Sprintf("member %s: not held centrally; the lane keeps its copy", id))
			continue
		}
		if err != nil {
			return rep, fmt.Errorf("lane: refresh member %s: %w", id, err)
		}
		if c.MergedInto != "" {
			ids = append(ids, c.MergedInto)
		}
		cp, err := l.memberCopy(ctx, central.Points.Store(), c)
		if err != nil {
			return rep, fmt.Errorf("lane: refresh member %s: %w", id, err)
		}
		rep.Notes = append(rep.Notes, l.differences(ctx, central, cp)...)
		if cp.Account != nil && !cp.Unchanged && cp.Changed == nil {
			rep.Whole++
		}
		copies = append(copies, cp)
	}
	if err := l.db.ReplaceMembers(ctx, copies); err != nil {
		return RefreshReport{}, fmt.Errorf("lane: refresh: %w", err)
	}
	rep.Members = len(copies)
	members := make([]string, len(copies))
	for i, c := range copies {
		members[i] = c.Customer.ID
	}
	notes, err := l.refreshMoney(ctx, central, members)
	if err != nil {
		return rep, fmt.Errorf("lane: refresh stored value and coupons: %w", err)
	}
	rep.Notes = append(rep.Notes, notes...)
	return rep, nil
}

// memberCopy reads a member's loyalty account from the central store:
// nothing but the header when the central header and the lane's are at the
// versions the lane's last copy left them (sqlite.LoyaltyCopyMark: the copy
// is marked Unchanged); what changed on either side since, when both stores
// journal their changes (loyalty.ChangeFeed: deltaCopy); the whole account
// otherwise (the first copy, or changes no longer journalled). A write
// landing between the reads is seen by the header's version and the reads
// are made again.
func (l *Lane) memberCopy(ctx context.Context, store loyalty.Store, c customer.Customer) (sqlite.MemberCopy, error) {
	cp := sqlite.MemberCopy{Customer: c}
	mark, marked, err := l.db.LoyaltyCopyMark(ctx, c.ID)
	if err != nil {
		return cp, err
	}
	laneSame := false
	if marked {
		local, err := l.db.Loyalty().GetAccount(ctx, c.ID)
		switch {
		case errors.Is(err, loyalty.ErrNotFound):
			marked = false
		case err != nil:
			return cp, err
		default:
			laneSame = local.Version == mark.LaneVersion
		}
	}
	for attempt := 0; ; attempt++ {
		a, err := store.GetAccount(ctx, c.ID)
		if errors.Is(err, loyalty.ErrNotFound) {
			return cp, nil
		}
		if err != nil {
			return cp, err
		}
		if marked && laneSame && a.Version == mark.CentralVersion {
			cp.Unchanged = true
			return cp, nil
		}
		cp.Account, cp.Lots, cp.Records, cp.Entries, cp.Changed = &a, nil, nil, nil, nil
		delta := false
		if marked {
			if delta, err = l.deltaCopy(ctx, store, &cp, mark); err != nil {
				return cp, err
			}
		}
		if !delta {
			if err := wholeCopy(ctx, store, &cp); err != nil {
				return cp, err
			}
		}
		again, err := store.GetAccount(ctx, c.ID)
		if err != nil {
			return cp, err
		}
		if again.Version == a.Version && (cp.Changed == nil || cp.Changed.Version == a.Version) {
			return cp, nil
		}
		if attempt >= 8 {
			return cp, fmt.Errorf("account %s kept changing while it was read: %w", c.ID, loyalty.ErrConflict)
		}
	}
}

// wholeCopy reads every lot, record and entry of the account.
func wholeCopy(ctx context.Context, store loyalty.Store, cp *sqlite.MemberCopy) error {
	id := cp.Customer.ID
	for lot, err := range store.AllLots(ctx, id) {
		if err != nil {
			return err
		}
		cp.Lots = append(cp.Lots, lot)
	}
	for _, kind := range RecordKinds {
		for r, err := range store.Records(ctx, id, kind) {
			if err != nil {
				return err
			}
			cp.Records = append(cp.Records, r)
		}
	}
	for e, err := range store.Entries(ctx, id, 0) {
		if err != nil {
			return err
		}
		cp.Entries = append(cp.Entries, e)
	}
	return nil
}

// deltaCopy reads what changed since the lane's last copy: the lots and
// records the central saves and the lane's own (its offline sales, synced
// since) wrote after the copy's versions, as the centre holds them now,
// and the central entries after the copy's last. It reports false, having
// read nothing but the journals, when either store keeps no journal or no
// longer the whole of it; the caller copies the account whole.
func (l *Lane) deltaCopy(ctx context.Context, store loyalty.Store, cp *sqlite.MemberCopy, mark sqlite.CopyMark) (bool, error) {
	central, ok := store.(loyalty.ChangeFeed)
	lane, laneOK := l.db.Loyalty().(loyalty.ChangeFeed)
	if !ok || !laneOK {
		return false, nil
	}
	id := cp.Customer.ID
	there, err := central.Changes(ctx, id, mark.CentralVersion)
	if err != nil {
		return false, ignoreGone(err)
	}
	here, err := lane.Changes(ctx, id, mark.LaneVersion)
	if err != nil {
		return false, ignoreGone(err)
	}
	if here.EntriesAfter != there.EntriesAfter { // not the copy the mark says: start again
		return false, nil
	}
	changed := loyalty.Changes{Version: there.Version, EntriesAfter: there.EntriesAfter,
		Lots:    union(there.Lots, here.Lots, strings.Compare),
		Records: union(there.Records, here.Records, loyalty.RecordRef.Compare)}
	if cp.Lots, err = store.Lots(ctx, id, changed.Lots); err != nil {
		return false, err
	}
	for i := 0; i < len(changed.Records); {
		kind, keys := changed.Records[i].Kind, []string(nil)
		for ; i < len(changed.Records) && changed.Records[i].Kind == kind; i++ {
			keys = append(keys, changed.Records[i].Key)
		}
		recs, err := store.GetRecords(ctx, id, kind, keys)
		if err != nil {
			return false, err
		}
		cp.Records = append(cp.Records, recs...)
	}
	for e, err := range store.Entries(ctx, id, changed.EntriesAfter) {
		if err != nil {
			return false, err
		}
		cp.Entries = append(cp.Entries, e)
	}
	cp.Changed = &changed
	return true, nil
}

// ignoreGone is nil for loyalty.ErrChangesGone (the caller copies whole).
func ignoreGone(err error) error {
	if errors.Is(err, loyalty.ErrChangesGone) {
		return nil
	}
	return err
}

// union merges two sorted lists of distinct items into one.
func union[T any](a, b []T, cmp func(x, y T) int) []T {
	out := make([]T, 0, len(a)+len(b))
	out = append(append(out, a...), b...)
	slices.SortFunc(out, cmp)
	return slices.CompactFunc(out, func(x, y T) bool { return cmp(x, y) == 0 })
}

// differences describes what the central copy changes in what the lane
// decides with: the member merged or erased, the points available,
// pending or owed.
func (l *Lane) differences(ctx context.Context, central Services, cp sqlite.MemberCopy) []string {
	var notes []string
	id := cp.Customer.ID
	local, err := l.local.Customers.Store().GetCustomer(ctx, id)
	if err == nil && local.MergedInto != cp.Customer.MergedInto && cp.Customer.MergedInto != "" {
		notes = append(notes, fmt.Sprintf("member %s: merged into %s centrally", id, cp.Customer.MergedInto))
	}
	if err == nil && !local.Erased() && cp.Customer.Erased() {
		notes = append(notes, fmt.Sprintf("member %s: erased centrally", id))
	}
	if cp.Unchanged {
		return slices.Clip(notes) // the balances are as the last copy left them on both sides
	}
	var was, now loyalty.BalanceView
	if b, err := l.local.Points.Balance(ctx, id); err == nil {
		was = b
	}
	if b, err := central.Points.Balance(ctx, id); err == nil {
		now = b
	}
	if was.Available != now.Available || was.Pending != now.Pending || was.Debt != now.Debt {
		notes = append(notes, fmt.Sprintf("member %s: points available/pending/debt %d/%d/%d on the lane, %d/%d/%d centrally",
			id, was.Available, was.Pending, was.Debt, now.Available, now.Pending, now.Debt))
	}
	return slices.Clip(notes)
}
