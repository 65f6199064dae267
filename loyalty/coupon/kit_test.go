package coupon_test

import (
	"context"
	"errors"
	"iter"
	"runtime"
	"testing"
	"time"

	"github.com/clientele-go/clientele/internal/kit"
	"github.com/clientele-go/clientele/loyalty/coupon"
	"github.com/clientele-go/clientele/loyalty/coupon/coupontest"
)

const brokenEnv = "COUPONTEST_RUN_BROKEN_STORES"

func TestKitPassesMemoryStore(t *testing.T) {
	coupontest.Run(t, func(*testing.T) coupon.Store { return coupon.NewMemoryStore() })
}

func mem() *coupon.MemoryStore { return coupon.NewMemoryStore() }

// broken lists stores that each break one sentence of the contract, with
// the rule that must catch it.
var broken = []kit.Broken[coupon.Store]{
	{Name: "LosesSentinel", Rule: "GetCode/MissingIsNotFound", Store: func() coupon.Store { return losesSentinel{mem()} }},
	{Name: "IgnoresVersions", Rule: "Save/StaleCodeVersionIsConflictWritingNothing", Store: func() coupon.Store { return ignoresVersions{mem()} }},
	{Name: "CheckThenWrite", Rule: "Save/ConcurrentSameVersionOneWins", Store: func() coupon.Store { return checkThenWrite{mem()} }},
	{Name: "CheckThenWriteAtTheTill", Rule: "Service/ConcurrentHoldsNeverExceedTheLimit", Store: func() coupon.Store { return checkThenWrite{mem()} }},
	{Name: "PartialBatch", Rule: "AddCodes/ExistingCodeIsAlreadyExistsWritingNothing", Store: func() coupon.Store { return partialBatch{mem()} }},
	{Name: "MillisecondTimes", Rule: "TimePrecision/MicrosecondsInZonesRoundTrip", Store: func() coupon.Store { return millisecondTimes{mem()} }},
	{Name: "IgnoresContext", Rule: "Iterators/CancelledContextIsError/Codes", Store: func() coupon.Store { return ignoresContext{mem()} }},
	{Name: "DropsTheOperationOfAWrite", Rule: "Service/ConcurrentRetriesOfOneHoldTakeOneUse", Store: func() coupon.Store { return dropsOperation{mem()} }},
	{Name: "IgnoresCutoff", Rule: "OpenHolds/HeldBeforeTheCutoffOldestFirst", Store: func() coupon.Store { return ignoresCutoff{mem()} }},
}

// TestBrokenStores is the child process's test, and fails.
func TestBrokenStores(t *testing.T) {
	kit.RunBroken(t, brokenEnv, broken, coupontest.Run)
}

func TestKitCatchesBrokenStores(t *testing.T) {
	kit.CatchesBroken(t, brokenEnv, "TestBrokenStores", broken)
}

type losesSentinel struct{ *coupon.MemoryStore }

func (s losesSentinel) GetCode(ctx context.Context, c string) (coupon.Code, error) {
	got, err := s.MemoryStore.GetCode(ctx, c)
	if err != nil {
		return got, errors.New("no such code")
	}
	return got, nil
}

// ignoresVersions writes whatever version it is given.
type ignoresVersions struct{ *coupon.MemoryStore }

func (s ignoresVersions) Save(ctx context.Context, w coupon.Write) error {
	if w.Code != nil {
		if old, err := s.GetCode(ctx, w.Code.Code); err == nil {
			c := *w.Code
			c.Version = old.Version + 1
			w.Code = &c
		}
	}
	return s.MemoryStore.Save(ctx, w)
}

// checkThenWrite checks the version, lets others run, then writes
// whatever it was given, as a store that reads and writes in two
// statements without a condition does.
type checkThenWrite struct{ *coupon.MemoryStore }

func (s checkThenWrite) Save(ctx context.Context, w coupon.Write) error {
	if w.Code != nil {
		old, err := s.GetCode(ctx, w.Code.Code)
		if err != nil || old.Version != w.Code.Version-1 {
			return coupon.ErrConflict
		}
		for range 10 {
			runtime.Gosched()
		}
		time.Sleep(time.Millisecond)
		return ignoresVersions(s).Save(ctx, w)
	}
	return s.MemoryStore.Save(ctx, w)
}

// partialBatch adds the codes one by one, keeping those before a clash.
type partialBatch struct{ *coupon.MemoryStore }

func (s partialBatch) AddCodes(ctx context.Context, b coupon.Batch) error {
	for i, c := range b.Codes {
		err := s.MemoryStore.AddCodes(ctx, coupon.Batch{Codes: []coupon.Code{c}, Operation: coupon.Operation{Key: b.Operation.Key + string(rune('a'+i))}})
		if err != nil {
			return err
		}
	}
	return nil
}

type millisecondTimes struct{ *coupon.MemoryStore }

func (s millisecondTimes) GetRedemption(ctx context.Context, id string) (coupon.Redemption, error) {
	r, err := s.MemoryStore.GetRedemption(ctx, id)
	r.HeldAt = r.HeldAt.Truncate(time.Millisecond)
	return r, err
}

type ignoresContext struct{ *coupon.MemoryStore }

func (s ignoresContext) Codes(_ context.Context, def string) iter.Seq2[coupon.Code, error] {
	return s.MemoryStore.Codes(context.Background(), def)
}

// ignoresCutoff lists every open hold, however recent.
type ignoresCutoff struct{ *coupon.MemoryStore }

func (s ignoresCutoff) OpenHolds(ctx context.Context, _ time.Time) iter.Seq2[coupon.Redemption, error] {
	return s.MemoryStore.OpenHolds(ctx, time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC))
}

// dropsOperation writes a redemption's records but not the operation
// that says the request was done, so a retry cannot replay it.
type dropsOperation struct{ *coupon.MemoryStore }

func (s dropsOperation) Save(ctx context.Context, w coupon.Write) error {
	if w.Redemption != nil {
		w.Operation = coupon.Operation{Key: w.Operation.Key + "/lost", Hash: w.Operation.Hash, Result: w.Operation.Result}
	}
	return s.MemoryStore.Save(ctx, w)
}
