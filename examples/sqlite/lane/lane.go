package lane

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/clientele-go/clientele/customer"
	"github.com/clientele-go/clientele/examples/sqlite"
	"github.com/clientele-go/clientele/loyalty"
	"github.com/clientele-go/clientele/loyalty/coupon"
	"github.com/clientele-go/clientele/loyalty/storedvalue"
)

// Item kinds in the outbox.
const (
	KindPurchase = "purchase"
	KindReturn   = "return"
)

// Services are a customer and a loyalty service over one set of stores:
// the lane's own, or the central ones, and, where the shop runs them, a
// stored-value and a coupon service over the same.
type Services struct {
	Customers *customer.Service
	Points    *loyalty.Service
	// Wallets is the stored-value service; nil where there is none (the
	// lane then refuses stored-value facts, and a sync stops at one).
	Wallets *storedvalue.Service
	// Coupons is the coupon service; nil where there is none.
	Coupons *coupon.Service
}

// Lane is a checkout lane: its services over its SQLite file and the
// outbox beside them.
type Lane struct {
	db     *sqlite.DB
	local  Services
	outbox *sqlite.Outbox
	clock  func() time.Time
	// codeSecret keys the hash of a gift card's code in a queued
	// payment's payload.
	codeSecret []byte
	// syncMu keeps Sync and Refresh apart: a copy read from the centre
	// while a sync is under way could miss a fact the sync then marks
	// sent.
	syncMu sync.Mutex
}

// Config is what Open needs beside the file.
type Config struct {
	// Program is the loyalty programme, the same as the central one.
	Program *loyalty.Program
	// Customer configures the lane's customer service.
	Customer *customer.Options
	// Loyalty configures the lane's loyalty service.
	Loyalty *loyalty.Options
	// Clock stamps outbox rows; nil means time.Now.
	Clock func() time.Time
	// StoredValue is the stored-value programme, the same as the central
	// one; nil means the lane takes no top-ups or wallet payments.
	StoredValue *storedvalue.Programme
	// StoredValueOptions configures the lane's stored-value service. Its
	// CodeSecret must be the centre's, or the lane finds no gift card it
	// downloaded by its code.
	StoredValueOptions *storedvalue.Options
	// Coupons enables the lane's coupon service (nil: no coupons).
	Coupons *coupon.Options
}

// Open opens the lane's database file and finishes what a crash left:
// every queued fact not yet applied to the lane's stores is applied.
func Open(ctx context.Context, path string, cfg Config) (*Lane, error) {
	db, err := sqlite.Open(ctx, path, sqlite.Options{})
	if err != nil {
		return nil, err
	}
	customers := customer.NewService(db.Customers(), cfg.Customer)
	points, err := loyalty.NewService(cfg.Program, db.Loyalty(), customers, cfg.Loyalty)
	if err != nil {
		return nil, errors.Join(err, db.Close())
	}
	local := Services{Customers: customers, Points: points}
	if cfg.StoredValue != nil {
		if local.Wallets, err = storedvalue.NewService(db.StoredValue(), cfg.StoredValue, cfg.StoredValueOptions); err != nil {
			return nil, errors.Join(err, db.Close())
		}
	}
	if cfg.Coupons != nil {
		local.Coupons = coupon.NewService(db.Coupons(), cfg.Coupons)
	}
	clock := cfg.Clock
	if clock == nil {
		clock = time.Now
	}
	l := &Lane{db: db, local: local, outbox: db.Outbox(), clock: clock, codeSecret: []byte("clientele lane code\x00")}
	if cfg.StoredValueOptions != nil {
		l.codeSecret = append(l.codeSecret, cfg.StoredValueOptions.CodeSecret...)
	}
	if err := l.Recover(ctx); err != nil {
		return nil, errors.Join(err, db.Close())
	}
	return l, nil
}

// Close closes the lane's database.
func (l *Lane) Close() error { return l.db.Close() }

// Local returns the lane's own services (to register members, look up
// balances).
func (l *Lane) Local() Services { return l.local }

// Outbox returns the lane's outbound queue.
func (l *Lane) Outbox() *sqlite.Outbox { return l.outbox }

// Sale is what the lane recorded for a purchase.
type Sale struct {
	Purchase customer.Purchase
	Earned   int64 // points earned locally; 0 for an anonymous sale
}

// Sell queues the purchase, then records it and earns its points on the
// lane. Replaying the same purchase returns the same sale and queues
// nothing twice.
func (l *Lane) Sell(ctx context.Context, p customer.Purchase) (Sale, error) {
	it, err := l.enqueue(ctx, KindPurchase, p.ID, p)
	if err != nil {
		return Sale{}, err
	}
	return l.applyPurchase(ctx, it.Seq, p)
}

// Refund is what the lane recorded for a return.
type Refund struct {
	Return customer.Return
	Taken  int64 // points clawed back locally
}

// Return queues the return, then records it and claws its points back on
// the lane.
func (l *Lane) Return(ctx context.Context, r customer.Return) (Refund, error) {
	it, err := l.enqueue(ctx, KindReturn, r.ID, r)
	if err != nil {
		return Refund{}, err
	}
	return l.applyReturn(ctx, it.Seq, r)
}

func (l *Lane) enqueue(ctx context.Context, kind, id string, v any) (sqlite.Item, error) {
	if id == "" {
		return sqlite.Item{}, fmt.Errorf("lane: %s: %w: the ID is required", kind, customer.ErrInvalid)
	}
	payload, err := json.Marshal(v)
	if err != nil {
		return sqlite.Item{}, err
	}
	it, err := l.outbox.Enqueue(ctx, kind+":"+id, kind, payload, l.clock())
	if err != nil {
		return sqlite.Item{}, fmt.Errorf("lane: %s %s: %w", kind, id, err)
	}
	return it, nil
}

func (l *Lane) applyPurchase(ctx context.Context, seq int64, p customer.Purchase) (Sale, error) {
	stored, err := l.local.Customers.RecordPurchase(ctx, p)
	if err != nil {
		return Sale{}, l.refused(ctx, seq, err)
	}
	sale := Sale{Purchase: stored}
	if stored.CustomerID != "" {
		res, err := l.local.Points.Earn(ctx, stored)
		if err != nil {
			return Sale{}, l.partly(ctx, seq, err)
		}
		sale.Earned = res.Quote.Total
	}
	return sale, l.outbox.MarkApplied(ctx, seq, l.clock())
}

func (l *Lane) applyReturn(ctx context.Context, seq int64, r customer.Return) (Refund, error) {
	stored, err := l.local.Customers.RecordReturn(ctx, r)
	if err != nil {
		return Refund{}, l.refused(ctx, seq, err)
	}
	ref := Refund{Return: stored}
	if stored.CustomerID != "" {
		res, err := l.local.Points.Return(ctx, stored)
		if err != nil {
			return Refund{}, l.partly(ctx, seq, err)
		}
		ref.Taken = res.Taken
	}
	return ref, l.outbox.MarkApplied(ctx, seq, l.clock())
}

// refused handles a failure of a fact's first local write: when the lane's
// service refused the fact (a refusal, not a failure to reach the file),
// nothing of it was recorded, so its queue item is discarded and the
// refusal returned; any other failure leaves the item for Recover.
func (l *Lane) refused(ctx context.Context, seq int64, err error) error {
	if Refusal(err) {
		if derr := l.outbox.Discard(ctx, seq); derr != nil && !errors.Is(derr, sqlite.ErrApplied) {
			return fmt.Errorf("lane: %w", errors.Join(err, derr))
		}
	}
	return fmt.Errorf("lane: %w", err)
}

// partly handles a failure of a fact's points step after the fact itself
// was recorded: a refusal marks the item applied (the fact stands, and
// the central services decide its points), any other failure leaves it
// for Recover.
func (l *Lane) partly(ctx context.Context, seq int64, err error) error {
	if Refusal(err) {
		if merr := l.outbox.MarkApplied(ctx, seq, l.clock()); merr != nil {
			err = errors.Join(err, merr)
		}
	}
	return fmt.Errorf("lane: %w", err)
}

// Refusal reports whether err is the services' refusal of a fact (it is
// invalid, names what does not exist, reuses an ID, concerns an erased
// customer, or is a payment the balance does not cover, a coupon that
// cannot be used, a hold already settled), as opposed to a failure to reach a store, which a retry may
// cure.
func Refusal(err error) bool {
	for _, target := range []error{customer.ErrInvalid, customer.ErrNotFound, customer.ErrErased,
		customer.ErrIdempotencyMismatch, customer.ErrOverReturn, loyalty.ErrInvalid, loyalty.ErrIdempotencyMismatch,
		loyalty.ErrUntrusted, loyalty.ErrNotFound, loyalty.ErrCurrencyMismatch,
		storedvalue.ErrInvalid, storedvalue.ErrInsufficientFunds, storedvalue.ErrRefused, storedvalue.ErrHoldSettled,
		storedvalue.ErrInvalidCode, storedvalue.ErrCardState, storedvalue.ErrWrongAccount, storedvalue.ErrNotFound,
		storedvalue.ErrIdempotencyMismatch,
		coupon.ErrInvalid, coupon.ErrRefused, coupon.ErrHoldClosed, coupon.ErrNotFound, coupon.ErrIdempotencyMismatch} {
		if errors.Is(err, target) {
			return true
		}
	}
	return false
}

// Recover applies every queued fact not marked applied, in queue order.
// Open calls it; applying a fact twice writes nothing the second time.
func (l *Lane) Recover(ctx context.Context) error {
	var todo []sqlite.Item
	for it, err := range l.outbox.Unapplied(ctx) {
		if err != nil {
			return fmt.Errorf("lane: recover: %w", err)
		}
		todo = append(todo, it)
	}
	for _, it := range todo {
		// A refusal settled the item (discarded or marked applied);
		// anything else is left for the next Open.
		if err := l.apply(ctx, it); err != nil && !Refusal(err) {
			return fmt.Errorf("lane: recover item %d: %w", it.Seq, err)
		}
	}
	return nil
}

func (l *Lane) apply(ctx context.Context, it sqlite.Item) error {
	switch it.Kind {
	case KindPurchase:
		var p customer.Purchase
		if err := json.Unmarshal(it.Payload, &p); err != nil {
			return err
		}
		_, err := l.applyPurchase(ctx, it.Seq, p)
		return err
	case KindReturn:
		var r customer.Return
		if err := json.Unmarshal(it.Payload, &r); err != nil {
			return err
		}
		_, err := l.applyReturn(ctx, it.Seq, r)
		return err
	}
	if moneyOps[it.Kind] != nil {
		_, err := l.applyMoney(ctx, it, it.Kind)
		return err
	}
	return fmt.Errorf("outbox item %d: unknown kind %q", it.Seq, it.Kind)
}
