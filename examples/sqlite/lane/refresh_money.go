package lane

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/clientele-go/clientele/examples/sqlite"
	"github.com/clientele-go/clientele/loyalty/coupon"
	"github.com/clientele-go/clientele/loyalty/storedvalue"
)

// openHolds returns the wallets and coupon codes of the stored-value
// payments and coupon uses the lane holds and has not yet committed or
// released (the outbox's open holds, read through its index of them, so
// the cost is the holds open now, not the queue's length). A refresh
// leaves those wallets and codes as the lane has them: the lane closes a
// hold against its own copy (where the hold is), and the centre's copy
// may lack it (a hold refused centrally), so a copy taken now could not
// be closed consistently.
func (l *Lane) openHolds(ctx context.Context) (wallets, codes map[string]bool, err error) {
	wallets, codes = map[string]bool{}, map[string]bool{}
	for it, err := range l.outbox.OpenHolds(ctx) {
		if err != nil {
			return nil, nil, err
		}
		// "id" matches a stored-value request's ID and, case folded, a
		// coupon.HoldRequest's.
		var r struct {
			ID string `json:"id"`
		}
		if err := json.Unmarshal(it.Payload, &r); err != nil {
			return nil, nil, fmt.Errorf("outbox item %d: %w", it.Seq, err)
		}
		switch it.Kind {
		case KindHold:
			if op, err := l.local.Wallets.Store().GetOperation(ctx, "pay:"+r.ID); err == nil {
				wallets[op.AccountID] = true
			}
		case KindCouponHold:
			if red, err := l.local.Coupons.Store().GetRedemption(ctx, r.ID); err == nil {
				codes[red.Code] = true
			}
		}
	}
	return wallets, codes, nil
}

// refreshMoney copies the centre's stored-value accounts and coupon codes
// the lane holds over the lane's, after the members' copy: the wallets of
// the members, every account the lane holds, and every code it
// downloaded, but those with a hold open on the lane (openHolds). It
// reports each wallet whose balance and each code whose counters
// differed.
func (l *Lane) refreshMoney(ctx context.Context, central Services, members []string) ([]string, error) {
	sv := l.local.Wallets != nil && central.Wallets != nil
	cp := l.local.Coupons != nil && central.Coupons != nil
	if !sv && !cp {
		return nil, nil
	}
	busyWallets, busyCodes, err := l.openHolds(ctx)
	if err != nil {
		return nil, err
	}
	var notes []string
	if sv {
		n, err := l.refreshWallets(ctx, central, members, busyWallets)
		if err != nil {
			return nil, err
		}
		notes = append(notes, n...)
	}
	if cp {
		codes, err := l.db.CouponCodes(ctx)
		if err != nil {
			return nil, err
		}
		codes = slices.DeleteFunc(codes, func(c string) bool { return busyCodes[c] })
		n, err := l.copyCodes(ctx, central, codes, members)
		if err != nil {
			return nil, err
		}
		notes = append(notes, n...)
	}
	return notes, nil
}

func (l *Lane) refreshWallets(ctx context.Context, central Services, members []string, busy map[string]bool) ([]string, error) {
	ids := map[string]bool{}
	for _, m := range members {
		ids[storedvalue.WalletID(m)] = true
	}
	for a, err := range l.local.Wallets.Store().Accounts(ctx, "") {
		if err != nil {
			return nil, err
		}
		ids[a.ID] = true
	}
	var copies []sqlite.AccountCopy
	var notes []string
	for _, id := range slices.Sorted(maps.Keys(ids)) {
		if busy[id] {
			notes = append(notes, fmt.Sprintf("account %s: a hold is open on the lane; the lane keeps its copy until it closes", id))
			continue
		}
		local, lerr := l.local.Wallets.Store().GetAccount(ctx, id)
		if lerr != nil && !errors.Is(lerr, storedvalue.ErrNotFound) {
			return nil, lerr
		}
		c, changed, err := l.accountCopy(ctx, central.Wallets.Store(), id, lerr == nil, local.Version)
		if err != nil {
			return nil, fmt.Errorf("account %s: %w", id, err)
		}
		if !changed || c.Account == nil && lerr != nil {
			continue // as the last copy left it on both sides, or held on neither
		}
		var was, now storedvalue.Account
		if lerr == nil {
			was = local
		}
		if c.Account != nil {
			now = *c.Account
		}
		if was.Paid != now.Paid || was.Bonus != now.Bonus || was.HeldPaid != now.HeldPaid || was.HeldBonus != now.HeldBonus {
			notes = append(notes, fmt.Sprintf("account %s: paid/bonus/held %d/%d/%d on the lane, %d/%d/%d centrally (minor units)",
				id, was.Paid, was.Bonus, was.HeldPaid+was.HeldBonus, now.Paid, now.Bonus, now.HeldPaid+now.HeldBonus))
		}
		copies = append(copies, c)
	}
	return notes, l.db.ReplaceStoredValue(ctx, copies)
}

// accountCopy reads what changed of a stored-value account in the central
// store since the lane's last copy of it (sqlite.CopyMark), and reports
// false when nothing did on either side: the central header and the
// lane's (held says whether the lane holds one, at laneVersion) are at
// the versions the copy left them. Otherwise it reads the header, every
// part, the entries after the mark's central sequence (all of them
// without a mark) and the payment records the lane holds that an entry
// after the mark names, on either side (a payment, hold, commit, release
// or refund of it: those are the records that can differ), so what it
// reads grows with what changed, not with the account's history (but for
// the parts, one per top-up, which it reads whole). A write landing
// between the reads is seen by the header's version and the reads are
// made again.
func (l *Lane) accountCopy(ctx context.Context, store storedvalue.Store, id string, held bool, laneVersion int64) (sqlite.AccountCopy, bool, error) {
	c := sqlite.AccountCopy{ID: id}
	mark, marked, err := l.db.StoredValueCopyMark(ctx, id)
	if err != nil {
		return c, false, err
	}
	if marked && held {
		c.Since = mark.CentralSeq
	}
	// The lane's own entries after the mark name the payments it took
	// or settled offline since.
	named := map[string]bool{}
	if held {
		for e, err := range l.local.Wallets.Store().Entries(ctx, id, c.Since) {
			if err != nil {
				return c, false, err
			}
			namePayments(named, e)
		}
	}
	for attempt := 0; ; attempt++ {
		a, err := store.GetAccount(ctx, id)
		if errors.Is(err, storedvalue.ErrNotFound) {
			return c, true, nil
		}
		if err != nil {
			return c, false, err
		}
		if marked && held && a.Version == mark.CentralVersion && laneVersion == mark.LaneVersion {
			return c, false, nil
		}
		c.Account, c.Parts, c.Entries = &a, nil, nil
		for p, err := range store.AllParts(ctx, id) {
			if err != nil {
				return c, false, err
			}
			c.Parts = append(c.Parts, p)
		}
		keys := maps.Clone(named)
		for e, err := range store.Entries(ctx, id, c.Since) {
			if err != nil {
				return c, false, err
			}
			c.Entries = append(c.Entries, e)
			namePayments(keys, e)
		}
		if held {
			if c.RecordKeys, err = l.db.StoredValueRecordKeysIn(ctx, id, storedvalue.RecordPayment, slices.Sorted(maps.Keys(keys))); err != nil {
				return c, false, err
			}
		}
		if c.Records, err = store.GetRecords(ctx, id, storedvalue.RecordPayment, c.RecordKeys); err != nil {
			return c, false, err
		}
		again, err := store.GetAccount(ctx, id)
		if err != nil {
			return c, false, err
		}
		if again.Version == a.Version {
			return c, true, nil
		}
		if attempt >= 8 {
			return c, false, fmt.Errorf("account %s kept changing while it was read: %w", id, storedvalue.ErrConflict)
		}
	}
}

// namePayments adds to keys the payment records an entry changed: the
// payment or hold it is (operation "pay:<ID>"), or the one it settles or
// refunds (Corrects "pay:<ID>"). A record's key is the payment's ID.
func namePayments(keys map[string]bool, e storedvalue.Entry) {
	for _, op := range []string{e.Op, e.Corrects} {
		if k, ok := strings.CutPrefix(op, "pay:"); ok {
			keys[k] = true
		}
	}
}

// DownloadCodes copies coupon codes (as presented; normalised here) and
// their definitions from the centre to the lane, with the per-customer
// counts of the lane's members, so the lane can hold them offline; later
// Refreshes copy their counters again. A code the lane holds already is
// left to Refresh, which knows whether a hold of it is open on the lane. Like Refresh it runs only when
// everything queued was sent (sqlite.ErrUnsent otherwise). A code the
// centre does not hold fails with coupon.ErrNotFound.
func (l *Lane) DownloadCodes(ctx context.Context, central Services, codes ...string) error {
	if l.local.Coupons == nil || central.Coupons == nil {
		return errNoCoupons
	}
	l.syncMu.Lock()
	defer l.syncMu.Unlock()
	var members []string
	for c, err := range l.local.Customers.Store().Customers(ctx) {
		if err != nil {
			return fmt.Errorf("lane: download codes: %w", err)
		}
		members = append(members, c.ID)
	}
	var norm []string
	for _, c := range codes {
		c = coupon.Normalize(c)
		switch _, err := l.local.Coupons.Store().GetCode(ctx, c); {
		case err == nil:
			continue // Refresh's: a hold of it may be open on the lane
		case !errors.Is(err, coupon.ErrNotFound):
			return fmt.Errorf("lane: download codes: %w", err)
		}
		norm = append(norm, c)
	}
	if _, err := l.copyCodes(ctx, central, norm, members); err != nil {
		return fmt.Errorf("lane: download codes: %w", err)
	}
	return nil
}

// copyCodes reads the codes, their definitions and the members' counts of
// them centrally and writes them over the lane's. A code's header and its
// counts are read in one pass; the centre's one Save per use keeps them
// consistent with each other at any instant, and a use landing between
// the reads is counted by the next refresh. What it reads is what may
// have changed: a definition the lane holds is not read again (they never
// change), and a code whose versions centrally and on the lane are those
// of the lane's last copy of it (sqlite.CopyMark: no use of it anywhere
// since) has only the counts of members not read before read, none when
// there are none.
func (l *Lane) copyCodes(ctx context.Context, central Services, codes, members []string) ([]string, error) {
	store := central.Coupons.Store()
	cp := sqlite.CouponCopy{Read: map[string][]string{}}
	var notes []string
	defs := map[string]bool{}
	for _, code := range codes {
		c, err := store.GetCode(ctx, code)
		if err != nil {
			return nil, err
		}
		local, lerr := l.local.Coupons.Store().GetCode(ctx, code)
		if lerr == nil && (local.Used != c.Used || local.Held != c.Held || local.Void != c.Void) {
			notes = append(notes, fmt.Sprintf("coupon %s: used/held %d/%d on the lane, %d/%d centrally%s",
				coupon.Mask(code), local.Used, local.Held, c.Used, c.Held, map[bool]string{true: ", void", false: ""}[c.Void]))
		}
		mark, marked, err := l.db.CouponCopyMark(ctx, code)
		if err != nil {
			return nil, err
		}
		unchanged := marked && lerr == nil && c.Version == mark.CentralVersion && local.Version == mark.LaneVersion
		toRead := members
		if unchanged && c.PerCustomer > 0 {
			read, err := l.db.CouponMembersRead(ctx, code, members)
			if err != nil {
				return nil, err
			}
			toRead = slices.DeleteFunc(slices.Clone(members), func(m string) bool { _, found := slices.BinarySearch(read, m); return found })
		}
		if unchanged && (c.PerCustomer == 0 || len(toRead) == 0) {
			continue // as the last copy left it, on both sides
		}
		cp.Codes = append(cp.Codes, c)
		if !defs[c.Definition] {
			defs[c.Definition] = true
			if _, err := l.local.Coupons.Store().GetDefinition(ctx, c.Definition); errors.Is(err, coupon.ErrNotFound) {
				d, err := store.GetDefinition(ctx, c.Definition)
				if err != nil {
					return nil, err
				}
				cp.Definitions = append(cp.Definitions, d)
			} else if err != nil {
				return nil, err
			}
		}
		if c.PerCustomer == 0 {
			continue
		}
		for _, m := range toRead {
			u, err := store.GetUses(ctx, code, m)
			if errors.Is(err, coupon.ErrNotFound) {
				cp.Read[code] = append(cp.Read[code], m)
				continue
			}
			if err != nil {
				return nil, err
			}
			cp.Uses = append(cp.Uses, u)
			cp.Read[code] = append(cp.Read[code], m)
		}
	}
	return notes, l.db.ReplaceCoupons(ctx, cp)
}

// DownloadCard copies a gift card from the centre to the lane, found by
// its code, so the lane can take payments from it offline (Pay with the
// code); later Refreshes copy it again, as every stored-value account the
// lane holds. The lane and the centre must share the stored-value
// CodeSecret. Like Refresh it runs only when everything queued was sent
// (sqlite.ErrUnsent otherwise). An unknown code fails with
// storedvalue.ErrNotFound; a card the lane holds already is left to
// Refresh.
func (l *Lane) DownloadCard(ctx context.Context, central Services, code string, at time.Time) error {
	if l.local.Wallets == nil || central.Wallets == nil {
		return errNoStoredValue
	}
	l.syncMu.Lock()
	defer l.syncMu.Unlock()
	card, err := central.Wallets.GiftCardByCode(ctx, code, at)
	if err != nil {
		return fmt.Errorf("lane: download card: %w", err)
	}
	id := "g:" + card.CardID // storedvalue's namespace of gift cards
	switch _, err := l.local.Wallets.Store().GetAccount(ctx, id); {
	case err == nil:
		return nil
	case !errors.Is(err, storedvalue.ErrNotFound):
		return fmt.Errorf("lane: download card: %w", err)
	}
	c, _, err := l.accountCopy(ctx, central.Wallets.Store(), id, false, 0)
	if err != nil {
		return fmt.Errorf("lane: download card: %w", err)
	}
	if err := l.db.ReplaceStoredValue(ctx, []sqlite.AccountCopy{c}); err != nil {
		return fmt.Errorf("lane: download card: %w", err)
	}
	return nil
}
