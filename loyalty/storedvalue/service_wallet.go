package storedvalue

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/clientele-go/clientele/internal/daterange"
	"github.com/shopspring/decimal"
)

// errStoreDisagrees: the parts a store yields do not cover what its
// header says is spendable; a store that breaks its contract.
var errStoreDisagrees = errors.New("storedvalue: the store's parts do not add up to its header")

// TopUpRequest is a member's top-up (充值) at the till.
type TopUpRequest struct {
	ID       string          `json:"id"` // the POS's request ID
	MemberID string          `json:"memberId"`
	Amount   decimal.Decimal `json:"amount"` // paid by the customer
	At       time.Time       `json:"at"`
}

// TopUpResult is what a top-up credited.
type TopUpResult struct {
	AccountID   string    `json:"accountId"`
	Credited    Money     `json:"credited"`
	RuleID      string    `json:"ruleId,omitempty"`
	BonusPoints int64     `json:"bonusPoints,omitempty"`
	Tier        string    `json:"tier,omitempty"`
	BonusUntil  time.Time `json:"bonusUntil,omitzero"`
	Balance     Money     `json:"balance"` // spendable after the top-up
}

// TopUp credits a member's wallet (opening it on the first top-up) with
// the amount paid as a paid part and the bonus of the programme's rule as
// a bonus part. The programme's minimum and balance cap are checked; a
// top-up they refuse fails with ErrRefused and stays failed. A rule with
// bonus points or a tier is handed to the Rewards hook after the write.
func (s *Service) TopUp(ctx context.Context, r TopUpRequest) (TopUpResult, error) {
	var c checks
	c.id("id", r.ID)
	c.id("memberId", r.MemberID)
	c.at("at", r.At)
	paid := c.amount(s, "amount", r.Amount, false)
	if err := c.err(); err != nil {
		return TopUpResult{}, err
	}
	r.At = storeTime(r.At)
	id := walletID(r.MemberID)
	var res TopUpResult
	err := s.run(ctx, op{
		key: "topup:" + r.ID, body: r, account: fixed(id),
		create: func() (Account, error) { return s.newAccount(id, WalletAccount, r.MemberID, r.At), nil },
		apply: func(t *tx) (any, error) {
			if err := s.wallet(t.acct); err != nil {
				return nil, err
			}
			if paid < s.prog.minTopUp {
				return nil, fmt.Errorf("storedvalue: top-up %s: below the programme's minimum: %w", r.ID, ErrRefused)
			}
			// Lapsed bonus first, so the cap counts only money still good.
			if err := t.expireDue("topup:"+r.ID, r.At); err != nil {
				return nil, err
			}
			rule, _ := s.prog.rule(paid)
			if s.prog.maxBalance > 0 && t.acct.Balance()+paid+rule.bonus > s.prog.maxBalance {
				return nil, fmt.Errorf("storedvalue: top-up %s: the balance would exceed the programme's cap: %w", r.ID, ErrRefused)
			}
			key := "topup:" + r.ID
			t.credit(Part{ID: key + "/paid", Kind: PaidPart, Source: key, Amount: paid, CreatedAt: r.At})
			out := TopUpResult{AccountID: id, RuleID: rule.id, BonusPoints: rule.bonusPoints, Tier: rule.tier}
			if rule.bonus > 0 {
				out.BonusUntil = s.prog.bonusExpiry(r.At)
				t.credit(Part{ID: key + "/bonus", Kind: BonusPart, Source: key, Amount: rule.bonus, CreatedAt: r.At, ExpiresAt: out.BonusUntil})
			}
			t.entry(Entry{Kind: EntryTopUp, Op: key, At: r.At, Paid: paid, Bonus: rule.bonus})
			out.Credited = s.money(paid, rule.bonus)
			out.Balance = s.money(t.acct.Paid, t.acct.Bonus)
			return out, nil
		},
	}, &res)
	if err != nil {
		return TopUpResult{}, err
	}
	if s.opts.Rewards != nil && (res.BonusPoints > 0 || res.Tier != "") {
		err := s.opts.Rewards.TopUpReward(ctx, Reward{RequestID: r.ID, MemberID: r.MemberID, RuleID: res.RuleID,
			Points: res.BonusPoints, Tier: res.Tier, At: r.At})
		if err != nil {
			return res, fmt.Errorf("storedvalue: top-up %s recorded, its reward not yet: %w", r.ID, err)
		}
	}
	return res, nil
}

func (s *Service) newAccount(id string, typ AccountType, holder string, at time.Time) Account {
	return Account{ID: id, Type: typ, State: Active, Holder: holder, Currency: s.prog.currency, CreatedAt: at}
}

// wallet refuses an account that does not hold money in the programme's
// currency.
func (s *Service) wallet(a Account) error {
	if a.Type == PunchCardAccount || a.Currency != s.prog.currency {
		return fmt.Errorf("storedvalue: account is not money in %s: %w", s.prog.currency, ErrWrongAccount)
	}
	return nil
}

// PayRequest pays (or holds) an amount from a member's wallet or, with
// Code set instead of MemberID, from a gift card.
type PayRequest struct {
	ID       string          `json:"id"` // the POS's payment ID
	MemberID string          `json:"memberId,omitempty"`
	Code     string          `json:"-"` // a gift card's code; never recorded
	PIN      string          `json:"-"` // the card's PIN, when it has one; never recorded
	Amount   decimal.Decimal `json:"amount"`
	At       time.Time       `json:"at"`
	Order    string          `json:"order,omitempty"` // the sale it pays, for the record
	// ExpiresAt is when a hold lapses: ReleaseExpiredHolds releases a
	// hold still open then. Zero: the hold waits for its commit or
	// release. Only a hold has one.
	ExpiresAt time.Time `json:"expiresAt,omitzero"`
}

// PayResult is what a payment (or hold) took, per part kind.
type PayResult struct {
	AccountID string    `json:"accountId"`
	PaymentID string    `json:"paymentId"`
	Spent     Money     `json:"spent"`
	Balance   Money     `json:"balance"` // spendable afterwards
	State     HoldState `json:"state"`
}

// HoldState is a payment's state.
type HoldState string

// Payment states: a hold is Held until committed or released; a direct
// payment is Committed at once.
const (
	Held      HoldState = "held"
	Committed HoldState = "committed"
	Released  HoldState = "released"
)

// payment is the record of a payment or hold: the parts it drew and what
// refunds gave back to each.
type payment struct {
	State     HoldState `json:"state"`
	Draws     []Draw    `json:"draws"`
	Refunded  []int64   `json:"refunded,omitempty"` // per draw
	ExpiresAt time.Time `json:"expiresAt,omitzero"` // a hold's
}

// record is the payment's record; an open hold with an expiry is in the
// store's index of due records until it is settled.
func (p payment) record(id string) (Record, error) {
	b, err := p.appendJSON(nil)
	r := Record{Kind: RecordPayment, Key: id, Data: b}
	if p.State == Held {
		r.DueAt = p.ExpiresAt
	}
	return r, err
}

// Pay spends the amount from the balance at once, in the programme's
// spending order. Concurrent payments never overdraw: each is one
// compare-and-set write of the account.
func (s *Service) Pay(ctx context.Context, r PayRequest) (PayResult, error) {
	return s.pay(ctx, r, false)
}

// Hold reserves the amount at checkout; CommitHold spends it and
// ReleaseHold gives it back, each exactly once.
func (s *Service) Hold(ctx context.Context, r PayRequest) (PayResult, error) {
	return s.pay(ctx, r, true)
}

// payBody is what a payment's hash covers: the request with the code
// replaced by its lookup key, so no code is ever hashed into a record.
type payBody struct {
	PayRequest
	Hold    bool   `json:"hold"`
	CodeKey string `json:"codeKey,omitempty"`
	PINKey  string `json:"pinKey,omitempty"`
}

func (s *Service) pay(ctx context.Context, r PayRequest, hold bool) (PayResult, error) {
	var c checks
	c.id("id", r.ID)
	c.at("at", r.At)
	amount := c.amount(s, "amount", r.Amount, false)
	if r.Order != "" {
		c.id("order", r.Order)
	}
	switch {
	case r.ExpiresAt.IsZero():
	case !hold:
		c.add("expiresAt", "only a hold expires")
	case !daterange.Contains(r.ExpiresAt):
		c.add("expiresAt", daterange.Problem)
	case !r.ExpiresAt.After(r.At):
		c.add("expiresAt", "must be after at")
	}
	body := payBody{PayRequest: r, Hold: hold}
	account, err := s.payer(&c, r.MemberID, r.Code, r.PIN, r.At, &body.CodeKey, &body.PINKey)
	if err := errors.Join(c.err(), err); err != nil {
		return PayResult{}, err
	}
	body.At = storeTime(r.At)
	if !r.ExpiresAt.IsZero() {
		body.ExpiresAt = storeTime(r.ExpiresAt)
	}
	// The closure takes the ID, not the request: a request that large
	// would be captured by reference and moved to the heap.
	id, key := r.ID, "pay:"+r.ID
	var res PayResult
	err = s.run(ctx, op{key: key, body: body, account: account, apply: func(t *tx) (any, error) {
		if body.CodeKey != "" {
			if err := s.admit(t, body.CodeKey, body.PINKey); err != nil {
				return nil, err
			}
		}
		if err := s.usable(t.acct); err != nil {
			return nil, err
		}
		if err := t.expireDue(key, body.At); err != nil {
			return nil, err
		}
		draws, err := t.spend(s.prog.order, amount, hold)
		if err != nil {
			return nil, err
		}
		p, b := byKind(draws)
		e := Entry{Kind: EntryPay, Op: key, At: body.At, Paid: -p, Bonus: -b}
		state := Committed
		if hold {
			e = Entry{Kind: EntryHold, Op: key, At: body.At, HeldPaid: p, HeldBonus: b}
			state = Held
		}
		t.entry(e)
		rec, err := payment{State: state, Draws: draws, ExpiresAt: body.ExpiresAt}.record(id)
		if err != nil {
			return nil, err
		}
		t.records = append(t.records, rec)
		return PayResult{AccountID: t.acct.ID, PaymentID: id, Spent: s.money(p, b),
			Balance: s.money(t.acct.Paid, t.acct.Bonus), State: state}, nil
	}}, &res)
	return res, err
}

// payer returns how to find the account of a payment: a member's wallet,
// or the gift card with the code (or the decoy, which admit refuses).
func (s *Service) payer(c *checks, member, code, pin string, at time.Time, key, pinKey *string) (func(context.Context) (string, error), error) {
	switch {
	case (member == "") == (code == ""):
		c.add("memberId", "exactly one of memberId and code must be given")
		return nil, nil
	case member != "":
		c.id("memberId", member)
		if pin != "" {
			c.add("pin", "only a gift card has a PIN")
		}
		return fixed(walletID(member)), nil
	}
	norm, err := s.lookupCode(code)
	if err != nil {
		return nil, err
	}
	*key = s.codeKey(norm)
	*pinKey = s.pinOf(c, pin, *key)
	return s.byCode(*key, at), nil
}

// usable refuses accounts a payment cannot draw on.
func (s *Service) usable(a Account) error {
	if err := s.wallet(a); err != nil {
		return err
	}
	if a.State != Active {
		return fmt.Errorf("storedvalue: gift card not activated: %w", ErrCardState)
	}
	return nil
}

// SettleRequest commits or releases a hold.
type SettleRequest struct {
	HoldID string    `json:"holdId"`
	At     time.Time `json:"at"`
}

// CommitHold spends what the hold reserved. It happens at most once per
// hold: a replay returns the same result, and a commit of a released hold
// fails with ErrHoldSettled.
func (s *Service) CommitHold(ctx context.Context, r SettleRequest) (PayResult, error) {
	return s.settle(ctx, r, Committed)
}

// ReleaseHold returns what the hold reserved to the balance, at most once;
// a release of a committed hold fails with ErrHoldSettled.
func (s *Service) ReleaseHold(ctx context.Context, r SettleRequest) (PayResult, error) {
	return s.settle(ctx, r, Released)
}

func (s *Service) settle(ctx context.Context, r SettleRequest, to HoldState) (PayResult, error) {
	var c checks
	c.id("holdId", r.HoldID)
	c.at("at", r.At)
	if err := c.err(); err != nil {
		return PayResult{}, err
	}
	r.At = storeTime(r.At)
	// Both settlements of a hold share one key: whichever comes first is
	// the only one, and the other finds it recorded with another hash. The
	// hash covers the hold and the direction only, so a lane retrying its
	// commit with a later clock replays it rather than being told the hold
	// was settled the other way.
	key := "settle:" + r.HoldID
	body := struct {
		HoldID string    `json:"holdId"`
		To     HoldState `json:"to"`
	}{r.HoldID, to}
	var res PayResult
	err := s.run(ctx, op{key: key, body: body, account: func(ctx context.Context) (string, error) {
		return s.accountOf(ctx, "pay:"+r.HoldID, "hold "+r.HoldID)
	}, apply: func(t *tx) (any, error) {
		p, err := s.paymentOf(t, r.HoldID)
		if err != nil {
			return nil, err
		}
		if p.State != Held {
			return nil, fmt.Errorf("storedvalue: hold %s is %s: %w", r.HoldID, p.State, ErrHoldSettled)
		}
		parts, err := t.load(partIDs(p.Draws))
		if err != nil {
			return nil, err
		}
		for _, d := range p.Draws {
			part := parts[d.Part]
			if part == nil {
				return nil, errStoreDisagrees
			}
			part.Held -= d.Amount
			t.addHeld(d.Kind, -d.Amount)
			if to == Released {
				part.Remaining += d.Amount
				t.addSpendable(d.Kind, d.Amount)
			}
			t.touch(part)
		}
		paid, bonus := byKind(p.Draws)
		if to == Committed {
			t.entry(Entry{Kind: EntryCommit, Op: key, At: r.At, Paid: -paid, Bonus: -bonus, HeldPaid: -paid, HeldBonus: -bonus, Corrects: "pay:" + r.HoldID})
		} else {
			t.entry(Entry{Kind: EntryRelease, Op: key, At: r.At, HeldPaid: -paid, HeldBonus: -bonus, Corrects: "pay:" + r.HoldID})
		}
		p.State = to
		rec, err := p.record(r.HoldID)
		if err != nil {
			return nil, err
		}
		t.records = append(t.records, rec)
		if to == Released {
			// Bonus released back after its expiry lapses now.
			if err := t.expireDue(key, r.At); err != nil {
				return nil, err
			}
		}
		return PayResult{AccountID: t.acct.ID, PaymentID: r.HoldID, Spent: s.money(paid, bonus),
			Balance: s.money(t.acct.Paid, t.acct.Bonus), State: to}, nil
	}}, &res)
	if errors.Is(err, ErrIdempotencyMismatch) {
		return PayResult{}, fmt.Errorf("storedvalue: hold %s already settled the other way: %w", r.HoldID, ErrHoldSettled)
	}
	return res, err
}

func (s *Service) paymentOf(t *tx, id string) (payment, error) {
	recs, err := t.store.GetRecords(t.ctx, t.acct.ID, RecordPayment, []string{id})
	if err != nil {
		return payment{}, err
	}
	if len(recs) == 0 {
		return payment{}, fmt.Errorf("storedvalue: payment %s: %w", id, ErrNotFound)
	}
	var p payment
	if err := json.Unmarshal(recs[0].Data, &p); err != nil {
		return payment{}, fmt.Errorf("storedvalue: payment %s: unreadable record: %w", id, err)
	}
	return p, nil
}

func partIDs(ds []Draw) []string {
	ids := make([]string, len(ds))
	for i, d := range ds {
		ids[i] = d.Part
	}
	return ids
}

// RefundRequest gives (part of) a committed payment back to the balance.
type RefundRequest struct {
	ID        string          `json:"id"`
	PaymentID string          `json:"paymentId"`
	Amount    decimal.Decimal `json:"amount"`
	At        time.Time       `json:"at"`
}

// RefundResult is what a refund gave back, per part kind.
type RefundResult struct {
	AccountID string `json:"accountId"`
	Refunded  Money  `json:"refunded"`
	Balance   Money  `json:"balance"`
}

// Refund gives money back to the parts the payment drew from: a partial
// refund is shared among the payment's draws in proportion to what each
// has not yet had back (largest remainder, ties to the earlier draw), so
// refunds of the whole payment in any steps restore every part exactly,
// paid to paid and bonus to bonus. Bonus given back to a part that has
// expired meanwhile lapses in the same write. A refund beyond what is
// left of the payment fails with ErrRefused.
func (s *Service) Refund(ctx context.Context, r RefundRequest) (RefundResult, error) {
	var c checks
	c.id("id", r.ID)
	c.id("paymentId", r.PaymentID)
	c.at("at", r.At)
	amount := c.amount(s, "amount", r.Amount, false)
	if err := c.err(); err != nil {
		return RefundResult{}, err
	}
	r.At = storeTime(r.At)
	key := "refund:" + r.ID
	var res RefundResult
	err := s.run(ctx, op{key: key, body: r, account: func(ctx context.Context) (string, error) {
		return s.accountOf(ctx, "pay:"+r.PaymentID, "payment "+r.PaymentID)
	}, apply: func(t *tx) (any, error) {
		p, err := s.paymentOf(t, r.PaymentID)
		if err != nil {
			return nil, err
		}
		if p.State != Committed {
			return nil, fmt.Errorf("storedvalue: refund %s: payment %s is %s, not committed: %w", r.ID, r.PaymentID, p.State, ErrRefused)
		}
		if p.Refunded == nil {
			p.Refunded = make([]int64, len(p.Draws))
		}
		open := make([]int64, len(p.Draws))
		for i, d := range p.Draws {
			open[i] = d.Amount - p.Refunded[i]
		}
		back, ok := allocate(amount, open)
		if !ok {
			return nil, fmt.Errorf("storedvalue: refund %s: more than is left of payment %s: %w", r.ID, r.PaymentID, ErrRefused)
		}
		parts, err := t.load(partIDs(p.Draws))
		if err != nil {
			return nil, err
		}
		var paid, bonus int64
		for i, d := range p.Draws {
			if back[i] == 0 {
				continue
			}
			part := parts[d.Part]
			if part == nil {
				return nil, errStoreDisagrees
			}
			part.Remaining += back[i]
			p.Refunded[i] += back[i]
			t.addSpendable(d.Kind, back[i])
			t.touch(part)
			if d.Kind == BonusPart {
				bonus += back[i]
			} else {
				paid += back[i]
			}
		}
		t.entry(Entry{Kind: EntryRefund, Op: key, At: r.At, Paid: paid, Bonus: bonus, Corrects: "pay:" + r.PaymentID})
		rec, err := p.record(r.PaymentID)
		if err != nil {
			return nil, err
		}
		t.records = append(t.records, rec)
		if err := t.expireDue(key, r.At); err != nil {
			return nil, err
		}
		return RefundResult{AccountID: t.acct.ID, Refunded: s.money(paid, bonus), Balance: s.money(t.acct.Paid, t.acct.Bonus)}, nil
	}}, &res)
	return res, err
}

// allocate shares amount among buckets in proportion to their sizes, each
// share at most its bucket: floors first, then the remainder one unit at
// a time to the largest fractional parts (ties to the earlier bucket). It
// reports false if amount exceeds the buckets' total.
func allocate(amount int64, buckets []int64) ([]int64, bool) {
	var total int64
	for _, b := range buckets {
		total += b
	}
	if amount > total || total == 0 {
		return nil, amount == 0
	}
	out := make([]int64, len(buckets))
	rem := make([]uint64, len(buckets))
	left := amount
	for i, b := range buckets {
		q, r := mulDiv(amount, b, total)
		out[i], rem[i] = q, r
		left -= q
	}
	for ; left > 0; left-- {
		best := -1
		for i := range buckets {
			if out[i] < buckets[i] && (best < 0 || rem[i] > rem[best]) {
				best = i
			}
		}
		out[best]++
		rem[best] = 0
	}
	return out, true
}

// CashOutRequest pays unused paid money back to the customer, where the
// programme allows it.
type CashOutRequest struct {
	ID       string `json:"id"`
	MemberID string `json:"memberId"`
	// Amount of paid money to pay out; zero means all spendable paid
	// money.
	Amount decimal.Decimal `json:"amount,omitzero"`
	At     time.Time       `json:"at"`
}

// CashOutResult is what a cash-out paid out and what bonus it forfeited.
type CashOutResult struct {
	AccountID string          `json:"accountId"`
	PaidOut   decimal.Decimal `json:"paidOut"`
	Forfeited decimal.Decimal `json:"forfeited"`
	Balance   Money           `json:"balance"`
}

// CashOut pays out spendable paid money (oldest parts first) and forfeits
// bonus by the programme's CashOutRule (see ForfeitAll and
// ForfeitProportional); bonus is never paid out. Held money stays held.
// A programme without cash-out refuses it with ErrRefused.
func (s *Service) CashOut(ctx context.Context, r CashOutRequest) (CashOutResult, error) {
	var c checks
	c.id("id", r.ID)
	c.id("memberId", r.MemberID)
	c.at("at", r.At)
	amount := c.amount(s, "amount", r.Amount, true)
	if err := c.err(); err != nil {
		return CashOutResult{}, err
	}
	r.At = storeTime(r.At)
	key := "cashout:" + r.ID
	var res CashOutResult
	err := s.run(ctx, op{key: key, body: r, account: fixed(walletID(r.MemberID)), apply: func(t *tx) (any, error) {
		if s.prog.cashOut == NoCashOut {
			return nil, fmt.Errorf("storedvalue: cash-out %s: the programme allows none: %w", r.ID, ErrRefused)
		}
		if err := s.wallet(t.acct); err != nil {
			return nil, err
		}
		if err := t.expireDue(key, r.At); err != nil {
			return nil, err
		}
		paid, bonus := t.acct.Paid, t.acct.Bonus
		x := amount
		if x == 0 {
			x = paid
		}
		if x > paid || x == 0 {
			return nil, &InsufficientFundsError{Requested: x, Available: paid}
		}
		forfeit := bonus
		if s.prog.cashOut == ForfeitProportional {
			q, rem := mulDiv(x, bonus, paid)
			forfeit = q
			if rem > 0 {
				forfeit++
			}
		}
		if _, err := t.take(PaidPart, x, false); err != nil {
			return nil, err
		}
		if _, err := t.take(BonusPart, forfeit, false); err != nil {
			return nil, err
		}
		t.entry(Entry{Kind: EntryCashOut, Op: key, At: r.At, Paid: -x})
		if forfeit > 0 {
			t.entry(Entry{Kind: EntryForfeit, Op: key, At: r.At, Bonus: -forfeit})
		}
		return CashOutResult{AccountID: t.acct.ID, PaidOut: fromMinor(x, s.prog.scale), Forfeited: fromMinor(forfeit, s.prog.scale),
			Balance: s.money(t.acct.Paid, t.acct.Bonus)}, nil
	}}, &res)
	return res, err
}

// AdjustRequest corrects a wallet by hand: positive amounts credit new
// parts, negative ones draw the kind in spending order.
type AdjustRequest struct {
	ID       string          `json:"id"`
	MemberID string          `json:"memberId"`
	Paid     decimal.Decimal `json:"paid,omitzero"`
	Bonus    decimal.Decimal `json:"bonus,omitzero"`
	Reason   string          `json:"reason"`
	At       time.Time       `json:"at"`
}

// Adjust applies a manual correction with a reason. A credit of bonus
// follows the programme's bonus validity from At.
func (s *Service) Adjust(ctx context.Context, r AdjustRequest) (Money, error) {
	var c checks
	c.id("id", r.ID)
	c.id("memberId", r.MemberID)
	c.id("reason", r.Reason)
	c.at("at", r.At)
	paid := c.amount(s, "paid", r.Paid.Abs(), true) * int64(r.Paid.Sign())
	bonus := c.amount(s, "bonus", r.Bonus.Abs(), true) * int64(r.Bonus.Sign())
	if paid == 0 && bonus == 0 {
		c.add("paid", "paid or bonus must be non-zero")
	}
	if err := c.err(); err != nil {
		return Money{}, err
	}
	r.At = storeTime(r.At)
	key := "adjust:" + r.ID
	id := walletID(r.MemberID)
	var res Money
	err := s.run(ctx, op{key: key, body: r, account: fixed(id),
		create: func() (Account, error) { return s.newAccount(id, WalletAccount, r.MemberID, r.At), nil },
		apply: func(t *tx) (any, error) {
			if err := s.wallet(t.acct); err != nil {
				return nil, err
			}
			if err := t.expireDue(key, r.At); err != nil {
				return nil, err
			}
			for _, k := range []struct {
				kind PartKind
				v    int64
				have int64
			}{{PaidPart, paid, t.acct.Paid}, {BonusPart, bonus, t.acct.Bonus}} {
				switch {
				case k.v > 0:
					p := Part{ID: key + "/" + string(k.kind), Kind: k.kind, Source: key, Amount: k.v, CreatedAt: r.At}
					if k.kind == BonusPart {
						p.ExpiresAt = s.prog.bonusExpiry(r.At)
					}
					t.credit(p)
				case k.v < 0:
					if -k.v > k.have {
						return nil, &InsufficientFundsError{Requested: -k.v, Available: k.have}
					}
					if _, err := t.take(k.kind, -k.v, false); err != nil {
						return nil, err
					}
				}
			}
			t.entry(Entry{Kind: EntryAdjust, Op: key, At: r.At, Paid: paid, Bonus: bonus})
			return s.money(t.acct.Paid, t.acct.Bonus), nil
		}}, &res)
	return res, err
}

// Balance is an account's money as of an instant.
type Balance struct {
	AccountID string
	Currency  string
	Spendable Money // what a payment can take now
	Held      Money // reserved by open holds
	// Lapsed is bonus past its expiry that the next write will remove; it
	// is not in Spendable.
	Lapsed decimal.Decimal
}

// WalletBalance returns a member's wallet balance as of at. It reads the
// header and the bonus parts already past their expiry.
func (s *Service) WalletBalance(ctx context.Context, memberID string, at time.Time) (Balance, error) {
	a, err := s.store.GetAccount(ctx, walletID(memberID))
	if err != nil {
		return Balance{}, fmt.Errorf("storedvalue: wallet: %w", err)
	}
	return s.balance(ctx, a, at)
}

func (s *Service) balance(ctx context.Context, a Account, at time.Time) (Balance, error) {
	var lapsed int64
	for p, err := range s.store.SpendingParts(ctx, a.ID, BonusPart) {
		if err != nil {
			return Balance{}, err
		}
		if p.ExpiresAt.IsZero() || p.ExpiresAt.After(at) {
			break
		}
		lapsed += p.Remaining
	}
	return Balance{AccountID: a.ID, Currency: a.Currency, Spendable: s.money(a.Paid, a.Bonus-lapsed),
		Held: s.money(a.HeldPaid, a.HeldBonus), Lapsed: fromMinor(lapsed, s.prog.scale)}, nil
}

// ExpireBonus removes lapsed bonus from every money account with ID after
// after, as of at, and returns how many accounts it changed. It is a batch
// job: payments expire what they meet themselves, so running it only
// keeps headers (and liability reports) current. Writes carry no request
// key: expiring a part twice is impossible, so a rerun changes nothing.
func (s *Service) ExpireBonus(ctx context.Context, after string, at time.Time) (int, error) {
	at = storeTime(at)
	n := 0
	for a, err := range s.store.Accounts(ctx, after) {
		if err != nil {
			return n, err
		}
		if a.Bonus == 0 || a.Type == PunchCardAccount {
			continue
		}
		changed, err := s.expireOne(ctx, a.ID, at)
		if err != nil {
			return n, err
		}
		if changed {
			n++
		}
	}
	return n, nil
}

func (s *Service) expireOne(ctx context.Context, id string, at time.Time) (bool, error) {
	for range s.opts.MaxAttempts {
		a, err := s.store.GetAccount(ctx, id)
		if err != nil {
			return false, err
		}
		t := &tx{ctx: ctx, store: s.store, acct: a, parts: map[string]*Part{}}
		if err := t.expireDue("expiry:"+at.Format(time.RFC3339Nano), at); err != nil {
			return false, err
		}
		if len(t.entries) == 0 {
			return false, nil
		}
		err = s.store.Save(ctx, t.write())
		if errors.Is(err, ErrConflict) {
			continue
		}
		return err == nil, err
	}
	return false, fmt.Errorf("storedvalue: expiry of %s: %w", id, ErrConflict)
}
