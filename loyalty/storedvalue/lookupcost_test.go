package storedvalue_test

import (
	"context"
	"fmt"
	"iter"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/clientele-go/clientele/loyalty/storedvalue"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// callLog records every store call the service makes with what it read
// or wrote: the header a call returned, the parts and records it yielded,
// the shape of a Save. Two requests that do the same work log the same.
type callLog struct {
	storedvalue.Store
	mu    sync.Mutex
	calls []string
}

func (c *callLog) log(format string, args ...any) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.calls = append(c.calls, fmt.Sprintf(format, args...))
}

func (c *callLog) take() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := c.calls
	c.calls = nil
	return out
}

// header is what a returned header looks like from outside: whether one
// came back, its type and state, and whether it has a code key and a PIN.
func header(a storedvalue.Account, err error) string {
	if err != nil {
		return "error"
	}
	return fmt.Sprintf("%s/%s code:%t pin:%t", a.Type, a.State, a.CodeKey != "", a.PINKey != "")
}

func (c *callLog) GetAccount(ctx context.Context, id string) (storedvalue.Account, error) {
	a, err := c.Store.GetAccount(ctx, id)
	c.log("GetAccount %s", header(a, err))
	return a, err
}

func (c *callLog) AccountByCode(ctx context.Context, key, decoy string) (storedvalue.Account, error) {
	a, err := c.Store.AccountByCode(ctx, key, decoy)
	c.log("AccountByCode %s", header(a, err))
	return a, err
}

func (c *callLog) GetOperation(ctx context.Context, key string) (storedvalue.Operation, error) {
	op, err := c.Store.GetOperation(ctx, key)
	c.log("GetOperation found:%t", err == nil)
	return op, err
}

func (c *callLog) GetRecords(ctx context.Context, id string, kind storedvalue.RecordKind, keys []string) ([]storedvalue.Record, error) {
	rs, err := c.Store.GetRecords(ctx, id, kind, keys)
	c.log("GetRecords %d", len(rs))
	return rs, err
}

func (c *callLog) Parts(ctx context.Context, id string, ids []string) ([]storedvalue.Part, error) {
	ps, err := c.Store.Parts(ctx, id, ids)
	c.log("Parts %d", len(ps))
	return ps, err
}

func (c *callLog) SpendingParts(ctx context.Context, id string, kind storedvalue.PartKind) iter.Seq2[storedvalue.Part, error] {
	return func(yield func(storedvalue.Part, error) bool) {
		n := 0
		defer func() { c.log("SpendingParts %s %d", kind, n) }()
		for p, err := range c.Store.SpendingParts(ctx, id, kind) {
			n++
			if !yield(p, err) {
				return
			}
		}
	}
}

func (c *callLog) Save(ctx context.Context, w storedvalue.Write) error {
	err := c.Store.Save(ctx, w)
	c.log("Save %s parts:%d records:%d entries:%d op:%t err:%v", header(w.Account, nil),
		len(w.Parts), len(w.Records), len(w.Entries), w.Operation != nil, err)
	return err
}

// TestWrongCodeDoesTheWorkOfARightOne runs each lookup with a right code
// and a wrong one (a valid check character, no card) and requires the
// same store calls, reading headers of the same shape and the same number
// of parts and records, and the same error for every refusal. It fails if
// a miss skips any read a hit makes.
func TestWrongCodeDoesTheWorkOfARightOne(t *testing.T) {
	log := &callLog{Store: storedvalue.NewMemoryStore()}
	s, err := storedvalue.NewService(log, programme(storedvalue.PaidFirst),
		&storedvalue.Options{CodeSecret: []byte("code-secret"), PINSecret: []byte("pin-secret")})
	require.NoError(t, err)
	ctx := t.Context()
	src := newSeeded(21)
	code := func() string {
		c, err := storedvalue.GenerateCode(src)
		require.NoError(t, err)
		return c
	}
	open, withPIN, wrong := code(), code(), code()
	_, err = s.ImportGiftCard(ctx, storedvalue.ImportGiftCardRequest{CardID: "open", Code: open, Balance: d("100"), At: t0})
	require.NoError(t, err)
	_, err = s.ImportGiftCard(ctx, storedvalue.ImportGiftCardRequest{CardID: "pin", Code: withPIN, PIN: "2468", Balance: d("100"), At: t0})
	require.NoError(t, err)

	type attempt func(i int) error
	lookup := func(code string) attempt {
		return func(int) error { _, err := s.GiftCardByCode(ctx, code, t0); return err }
	}
	check := func(code, pin string) attempt {
		return func(i int) error {
			_, err := s.CheckGiftCard(ctx, storedvalue.CheckGiftCardRequest{ID: fmt.Sprint("chk-", code[:4], pin, i), Code: code, PIN: pin, At: t0})
			return err
		}
	}
	pay := func(code, pin string) attempt {
		return func(i int) error {
			_, err := s.Pay(ctx, storedvalue.PayRequest{ID: fmt.Sprint("pay-", code[:4], pin, i), Code: code, PIN: pin, Amount: d("1"), At: t0})
			return err
		}
	}
	transfer := func(code, pin string) attempt {
		return func(i int) error {
			_, err := s.TransferGiftCard(ctx, storedvalue.TransferGiftCardRequest{ID: fmt.Sprint("tr-", code[:4], pin, i), Code: code, PIN: pin, MemberID: "m", At: t0})
			return err
		}
	}
	for _, tc := range []struct {
		name          string
		right, wrong  attempt
		rightRefused  bool
		rightAttempts int
	}{
		{"BalanceByCode", lookup(open), lookup(wrong), false, 3},
		{"BalanceByCodeOfAPINCard", lookup(withPIN), lookup(wrong), true, 3},
		{"CheckRightPIN", check(withPIN, "2468"), check(wrong, "2468"), false, 3},
		{"CheckWrongPIN", check(withPIN, "1357"), check(wrong, "1357"), true, 2},
		{"CheckNoPIN", check(withPIN, ""), check(wrong, ""), true, 3},
		{"PayWrongPIN", pay(withPIN, "1111"), pay(wrong, "1111"), true, 2},
		{"PayNoPIN", pay(withPIN, ""), pay(wrong, ""), true, 3},
		{"TransferWrongPIN", transfer(withPIN, "9999"), transfer(wrong, "9999"), true, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for i := range tc.rightAttempts {
				log.take()
				rerr := tc.right(i)
				right := log.take()
				werr := tc.wrong(i)
				wrongLog := log.take()
				require.Error(t, werr)
				assert.ErrorIs(t, werr, storedvalue.ErrNotFound)
				if tc.rightRefused {
					require.Error(t, rerr)
					assert.Equal(t, werr.Error(), rerr.Error(), "a refusal never says whether the code exists")
					assert.ErrorIs(t, rerr, storedvalue.ErrNotFound)
					assert.Equal(t, right, wrongLog, "attempt %d: store calls of a right code and a wrong one", i)
				} else {
					require.NoError(t, rerr)
					// A right code and PIN succeed where a wrong code is
					// refused; up to that answer they read alike (a
					// refusal that counts a PIN then writes, on the decoy
					// as on a card).
					require.LessOrEqual(t, len(right), len(wrongLog))
					assert.Equal(t, right, wrongLog[:len(right)], "attempt %d: store calls of a right code and a wrong one", i)
				}
				assert.NotContains(t, strings.Join(append(right, werr.Error()), " "), "2468")
			}
		})
	}
	// The refusals counted on the PIN card locked it.
	card, err := s.GiftCard(ctx, "pin", t0)
	require.NoError(t, err)
	assert.True(t, card.Locked)
}

func (c *callLog) DueRecords(ctx context.Context, kind storedvalue.RecordKind, until time.Time, after storedvalue.DueRecord) iter.Seq2[storedvalue.DueRecord, error] {
	return func(yield func(storedvalue.DueRecord, error) bool) {
		n := 0
		defer func() { c.log("DueRecords %d", n) }()
		for d, err := range c.Store.DueRecords(ctx, kind, until, after) {
			n++
			if !yield(d, err) {
				return
			}
		}
	}
}

func (c *callLog) Accounts(ctx context.Context, after string) iter.Seq2[storedvalue.Account, error] {
	c.log("Accounts")
	return c.Store.Accounts(ctx, after)
}

// TestDecoyComesToAnOlderStore: a store whose cards predate the decoy
// gets it at the first miss, and from then on a miss reads it.
func TestDecoyComesToAnOlderStore(t *testing.T) {
	log := &callLog{Store: storedvalue.NewMemoryStore()}
	opts := &storedvalue.Options{CodeSecret: []byte("k")}
	s, err := storedvalue.NewService(log, programme(storedvalue.PaidFirst), opts)
	require.NoError(t, err)
	ctx := t.Context()
	src := newSeeded(40)
	right, err := storedvalue.GenerateCode(src)
	require.NoError(t, err)
	wrong, err := storedvalue.GenerateCode(src)
	require.NoError(t, err)
	_, err = s.ImportGiftCard(ctx, storedvalue.ImportGiftCardRequest{CardID: "c1", Code: right, Balance: d("5"), At: t0})
	require.NoError(t, err)
	// An older store: the card's header without its PIN key, no decoy.
	bare := storedvalue.NewMemoryStore()
	a, err := log.GetAccount(ctx, "g:c1")
	require.NoError(t, err)
	a.PINKey, a.Version = "", 1
	w := storedvalue.Write{Account: a}
	for p, err := range log.AllParts(ctx, "g:c1") {
		require.NoError(t, err)
		w.Parts = append(w.Parts, p)
	}
	for e, err := range log.Entries(ctx, "g:c1", 0) {
		require.NoError(t, err)
		w.Entries = append(w.Entries, e)
	}
	require.NoError(t, bare.Save(ctx, w))
	log = &callLog{Store: bare}
	s, err = storedvalue.NewService(log, programme(storedvalue.PaidFirst), opts)
	require.NoError(t, err)

	_, err = s.GiftCardByCode(ctx, wrong, t0)
	require.ErrorIs(t, err, storedvalue.ErrNotFound)
	first := log.take()
	assert.Contains(t, first, "Save giftcard/active code:true pin:true parts:0 records:0 entries:0 op:false err:<nil>", "the decoy is made")
	_, err = s.GiftCardByCode(ctx, right, t0)
	require.NoError(t, err, "a card without a PIN key takes no PIN")
	rightLog := log.take()
	_, err = s.GiftCardByCode(ctx, wrong, t0)
	require.ErrorIs(t, err, storedvalue.ErrNotFound)
	wrongLog := log.take()
	assert.Equal(t, []string{"AccountByCode giftcard/active code:true pin:false", "SpendingParts bonus 0"}, rightLog)
	assert.Equal(t, []string{"AccountByCode giftcard/active code:true pin:true", "SpendingParts bonus 0"}, wrongLog,
		"the same calls; an older card's header lacks the PIN key until it is written again")
	_, err = s.Pay(ctx, storedvalue.PayRequest{ID: "p1", Code: right, Amount: d("1"), At: t0})
	require.NoError(t, err)
	log.take()
	_, err = s.GiftCardByCode(ctx, right, t0)
	require.NoError(t, err)
	assert.Equal(t, wrongLog, log.take(), "after a payment the card's header has the shape of the decoy's")
}
