package storedvalue

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/shopspring/decimal"
)

// Gift cards are money accounts found by code. The store never sees a
// code: it indexes the code's keyed hash (Options.CodeSecret), and every
// request that carries a code records that hash in its idempotency hash
// instead. A lookup by a wrong code does what a right one does (see
// pin.go: the store reads a decoy card on a miss, and the service
// compares keys in constant time and reads the decoy's balance parts) and
// fails with the error a wrong PIN gets, which matches ErrNotFound. No
// error, record or String holds a code or a PIN.

// IssueGiftCardRequest registers a printed card (its code from
// GenerateCode) before sale; it holds nothing until activated.
type IssueGiftCardRequest struct {
	CardID string    `json:"cardId"`
	Code   string    `json:"-"`
	PIN    string    `json:"-"` // optional; see NormalisePIN
	At     time.Time `json:"at"`
}

// ImportGiftCardRequest brings over a card sold by another system, with
// its remaining balance as paid money.
type ImportGiftCardRequest struct {
	CardID  string          `json:"cardId"`
	Code    string          `json:"-"`
	PIN     string          `json:"-"` // optional
	Balance decimal.Decimal `json:"balance"`
	At      time.Time       `json:"at"`
}

// ActivateGiftCardRequest is the sale of an issued card: it becomes
// active with the amount sold as paid money. PIN, if set, gives a card
// issued without one its PIN.
type ActivateGiftCardRequest struct {
	ID     string          `json:"id"` // the sale line's request ID
	Code   string          `json:"-"`
	PIN    string          `json:"-"`
	Amount decimal.Decimal `json:"amount"`
	At     time.Time       `json:"at"`
}

// CardInfo is a gift card's state as the till sees it; it holds no code
// or PIN.
type CardInfo struct {
	CardID  string
	State   State
	Balance Balance
	HasPIN  bool
	// Locked: wrong PINs locked the card (see MaxPINFailures). A lookup by
	// code never returns a locked card; GiftCard by ID shows it.
	Locked bool
}

// codeBody is a request body with its code and PIN replaced by their
// keys.
type codeBody struct {
	Request any    `json:"request"`
	CodeKey string `json:"codeKey"`
	PINKey  string `json:"pinKey,omitempty"`
}

// IssueGiftCard registers a card in state Issued. A code already taken by
// another card fails with ErrAlreadyExists.
func (s *Service) IssueGiftCard(ctx context.Context, r IssueGiftCardRequest) (CardInfo, error) {
	return s.createCard(ctx, r.CardID, r.Code, r.PIN, r.At, 0, r, "issue")
}

// ImportGiftCard registers a card that is already sold, active with its
// balance (which may be zero).
func (s *Service) ImportGiftCard(ctx context.Context, r ImportGiftCardRequest) (CardInfo, error) {
	var c checks
	bal := c.amount(s, "balance", r.Balance, true)
	if err := c.err(); err != nil {
		return CardInfo{}, err
	}
	return s.createCard(ctx, r.CardID, r.Code, r.PIN, r.At, bal, r, "import")
}

func (s *Service) createCard(ctx context.Context, cardID, code, pin string, at time.Time, balance int64, req any, verb string) (CardInfo, error) {
	var c checks
	c.id("cardId", cardID)
	c.at("at", at)
	codeKey, pinKey := s.cardKeys(&c, code, pin)
	if err := c.err(); err != nil {
		return CardInfo{}, err
	}
	at = storeTime(at)
	if err := s.ensureDecoy(ctx, at); err != nil {
		return CardInfo{}, err
	}
	id := giftID(cardID)
	body := codeBody{Request: req, CodeKey: codeKey, PINKey: pinKey}
	key := verb + ":" + cardID
	var out CardInfo
	err := s.run(ctx, op{key: key, body: body, account: fixed(id),
		create: func() (Account, error) {
			a := s.newAccount(id, GiftCardAccount, "", at)
			a.CodeKey, a.PINKey = body.CodeKey, pinKey
			if pinKey == "" {
				a.PINKey = s.pinKey(codeKey, "") // no PIN, in a key of the same shape
			}
			a.State = Issued
			return a, nil
		},
		apply: func(t *tx) (any, error) {
			if t.acct.Version > 0 {
				return nil, fmt.Errorf("storedvalue: gift card %s: %w", cardID, ErrAlreadyExists)
			}
			if verb == "import" {
				t.acct.State = Active
				if balance > 0 {
					t.credit(Part{ID: key + "/paid", Kind: PaidPart, Source: key, Amount: balance, CreatedAt: at})
				}
				t.entry(Entry{Kind: EntryTopUp, Op: key, At: at, Paid: balance})
			}
			return s.giftCard(t.acct), nil
		}}, &out)
	return out, err
}

func (s *Service) giftCard(a Account) CardInfo {
	card, _ := cutPrefix(a.ID, "g:")
	return CardInfo{CardID: card, State: a.State, HasPIN: s.hasPIN(a), Locked: locked(a),
		Balance: Balance{AccountID: a.ID, Currency: a.Currency,
			Spendable: s.money(a.Paid, a.Bonus), Held: s.money(a.HeldPaid, a.HeldBonus), Lapsed: decimal.Zero}}
}

func cutPrefix(s, p string) (string, bool) {
	if len(s) >= len(p) && s[:len(p)] == p {
		return s[len(p):], true
	}
	return s, false
}

// ActivateGiftCard sells an issued card: it becomes active holding the
// amount as paid money. A second activation (another sale ID) fails with
// ErrCardState and stays failed.
func (s *Service) ActivateGiftCard(ctx context.Context, r ActivateGiftCardRequest) (CardInfo, error) {
	var c checks
	c.id("id", r.ID)
	c.at("at", r.At)
	amount := c.amount(s, "amount", r.Amount, false)
	codeKey, pinKey := s.cardKeys(&c, r.Code, r.PIN)
	if err := c.err(); err != nil {
		return CardInfo{}, err
	}
	r.At = storeTime(r.At)
	body := codeBody{Request: r, CodeKey: codeKey, PINKey: pinKey}
	key := "activate:" + r.ID
	var out CardInfo
	err := s.run(ctx, op{key: key, body: body, account: s.byCode(body.CodeKey, r.At), apply: func(t *tx) (any, error) {
		if !isCard(t.acct, codeKey) {
			return nil, errNotAccepted
		}
		if t.acct.Type != GiftCardAccount || t.acct.State != Issued {
			return nil, fmt.Errorf("storedvalue: activation %s: the card is not an issued gift card: %w", r.ID, ErrCardState)
		}
		if pinKey != "" {
			if s.hasPIN(t.acct) {
				return nil, fmt.Errorf("storedvalue: activation %s: the card has a PIN already: %w", r.ID, ErrCardState)
			}
			t.acct.PINKey = pinKey
		}
		t.acct.State = Active
		t.credit(Part{ID: key + "/paid", Kind: PaidPart, Source: key, Amount: amount, CreatedAt: r.At})
		t.entry(Entry{Kind: EntryTopUp, Op: key, At: r.At, Paid: amount})
		return s.giftCard(t.acct), nil
	}}, &out)
	return out, err
}

// byCode returns an account function that finds the card with the code
// key, or the decoy: the request's apply tells them apart (admit).
func (s *Service) byCode(key string, at time.Time) func(context.Context) (string, error) {
	return func(ctx context.Context) (string, error) {
		a, _, err := s.findCard(ctx, key, at)
		return a.ID, err
	}
}

// GiftCardByCode returns the card with the code as of at (balance check
// at the till) for a card without a PIN; a card with one answers
// CheckGiftCard only. A malformed code fails with ErrInvalidCode; an
// unknown code, or a card with a PIN, with the same error matching
// ErrNotFound, after the same work.
func (s *Service) GiftCardByCode(ctx context.Context, code string, at time.Time) (CardInfo, error) {
	norm, err := NormaliseCode(code)
	if err != nil {
		return CardInfo{}, err
	}
	return s.lookup(ctx, s.codeKey(norm), "", at)
}

// lookup reads the card with the code key, or the decoy, and its balance
// as of at, and only then says whether the card takes the PIN key: a
// right code and a wrong one make the same store calls, read a header and
// the same parts, and compare the same keys.
func (s *Service) lookup(ctx context.Context, codeKey, pinKey string, at time.Time) (CardInfo, error) {
	a, card, err := s.findCard(ctx, codeKey, at)
	if err != nil {
		return CardInfo{}, err
	}
	ok := s.pinAccepts(a, codeKey, pinKey)
	info := s.giftCard(a)
	info.Balance, err = s.balance(ctx, a, at)
	if err != nil {
		return CardInfo{}, err
	}
	if !card || !ok {
		return CardInfo{}, errNotAccepted
	}
	return info, nil
}

// CheckGiftCardRequest is a balance check by code and PIN at the till.
// Its ID makes a refusal that counted a wrong PIN idempotent.
type CheckGiftCardRequest struct {
	ID   string    `json:"id"`
	Code string    `json:"-"`
	PIN  string    `json:"-"`
	At   time.Time `json:"at"`
}

// CheckGiftCard returns the card with the code as of r.At if it takes the
// PIN (a card without a PIN takes any, or none). A right PIN writes
// nothing; a wrong one is counted on the card (or, for a wrong code, on
// the decoy) and recorded under r.ID, so a retry replays the refusal.
// Every refusal is the same error, matching ErrNotFound.
func (s *Service) CheckGiftCard(ctx context.Context, r CheckGiftCardRequest) (CardInfo, error) {
	var c checks
	c.id("id", r.ID)
	c.at("at", r.At)
	codeKey, pinKey := s.cardKeys(&c, r.Code, r.PIN)
	if err := c.err(); err != nil {
		return CardInfo{}, err
	}
	r.At = storeTime(r.At)
	body := codeBody{Request: r, CodeKey: codeKey, PINKey: pinKey}
	key := "check:" + r.ID
	hash, err := hashOf(body)
	if err != nil {
		return CardInfo{}, err
	}
	var out CardInfo
	if done, err := s.replay(ctx, key, hash, &out); done || err != nil {
		return out, err
	}
	out, err = s.lookup(ctx, codeKey, pinKey, r.At)
	if !errors.Is(err, errNotAccepted) || pinKey == "" {
		return out, err
	}
	// A wrong PIN: count it in a write of its own, recorded under the
	// request, on whatever the code found (card or decoy).
	err = s.run(ctx, op{key: key, body: body, account: s.byCode(codeKey, r.At), apply: func(t *tx) (any, error) {
		if err := s.admit(t, codeKey, pinKey); err != nil {
			return nil, err
		}
		return s.giftCard(t.acct), nil // unlocked meanwhile: the PIN is right after all
	}}, &out)
	return out, err
}

// TransferGiftCardRequest moves a card's whole spendable balance into a
// member's wallet.
type TransferGiftCardRequest struct {
	ID       string    `json:"id"`
	Code     string    `json:"-"`
	PIN      string    `json:"-"` // needed when the card has one
	MemberID string    `json:"memberId"`
	At       time.Time `json:"at"`
}

// transferOut is the record of a transfer's first step: what left the
// card.
type transferOut struct {
	Card  string `json:"card"`
	Draws []Draw `json:"draws"`
}

// TransferGiftCard empties the card into the member's wallet: paid money
// stays paid, bonus stays bonus with its expiry. It is two idempotent
// writes under keys derived from the request ID, the card's and then the
// wallet's; a retry after a failure between them replays the first and
// completes the second, so the money is never lost or doubled. The
// wallet's balance cap does not apply: the money already belongs to the
// customer.
func (s *Service) TransferGiftCard(ctx context.Context, r TransferGiftCardRequest) (Money, error) {
	var c checks
	c.id("id", r.ID)
	c.id("memberId", r.MemberID)
	c.at("at", r.At)
	codeKey, pinKey := s.cardKeys(&c, r.Code, r.PIN)
	if err := c.err(); err != nil {
		return Money{}, err
	}
	r.At = storeTime(r.At)
	body := codeBody{Request: r, CodeKey: codeKey, PINKey: pinKey}
	outKey := "transfer-out:" + r.ID
	var moved transferOut
	err := s.run(ctx, op{key: outKey, body: body, account: s.byCode(body.CodeKey, r.At), apply: func(t *tx) (any, error) {
		if err := s.admit(t, codeKey, pinKey); err != nil {
			return nil, err
		}
		if err := s.usable(t.acct); err != nil {
			return nil, err
		}
		if t.acct.Type != GiftCardAccount {
			return nil, fmt.Errorf("storedvalue: transfer %s: not a gift card: %w", r.ID, ErrWrongAccount)
		}
		if err := t.expireDue(outKey, r.At); err != nil {
			return nil, err
		}
		paid, err := t.take(PaidPart, t.acct.Paid, false)
		if err != nil {
			return nil, err
		}
		bonus, err := t.take(BonusPart, t.acct.Bonus, false)
		if err != nil {
			return nil, err
		}
		draws := append(paid, bonus...)
		p, b := byKind(draws)
		t.entry(Entry{Kind: EntryTransfer, Op: outKey, At: r.At, Paid: -p, Bonus: -b})
		return transferOut{Card: t.acct.ID, Draws: draws}, nil
	}}, &moved)
	if err != nil {
		return Money{}, err
	}
	inKey := "transfer-in:" + r.ID
	id := walletID(r.MemberID)
	var res Money
	err = s.run(ctx, op{key: inKey, body: body, account: fixed(id),
		create: func() (Account, error) { return s.newAccount(id, WalletAccount, r.MemberID, r.At), nil },
		apply: func(t *tx) (any, error) {
			if err := s.wallet(t.acct); err != nil {
				return nil, err
			}
			for i, d := range moved.Draws {
				t.credit(Part{ID: fmt.Sprintf("%s/%d", inKey, i), Kind: d.Kind, Source: inKey, Amount: d.Amount,
					CreatedAt: r.At, ExpiresAt: d.ExpiresAt})
			}
			p, b := byKind(moved.Draws)
			t.entry(Entry{Kind: EntryTransfer, Op: inKey, At: r.At, Paid: p, Bonus: b, Corrects: outKey})
			if err := t.expireDue(inKey, r.At); err != nil {
				return nil, err
			}
			return s.money(p, b), nil
		}}, &res)
	return res, err
}
