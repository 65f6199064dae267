// Command lane runs a scripted day at an offline checkout lane: members
// are registered centrally and copied to the lane, then the lane sells and
// takes returns into its SQLite file and outbox, syncing into the central
// services every few facts and copying the centre's view of its members
// back (Refresh); after the second sync, the centre changes things the
// lane learns at once: a member spends points at another store, and
// another is merged. Members top up their wallets and pay from them
// (directly or as holds committed or released), returns refund those
// payments, shoppers pay with a gift card, and sales use a flyer coupon
// code; after the third sync other stores empty a wallet and the card and
// use the code up, which the lane hears of only at its next sync, so the
// centre refuses and reports the payments and the coupon use the lane
// took meanwhile. The central services are on PostgreSQL when
// -central names a database (a libpq URL or key=value string; the schema
// is migrated), and otherwise a second SQLite file beside the lane's.
//
// The script restarts from its first fact whenever the program starts:
// every step is idempotent (members found by their numbers, facts by
// their IDs), so a day killed at any point and run again ends in the
// state of a day never interrupted. The crash test (crash_test.go) does
// exactly that, with SIGKILL.
//
//	go run ./cmd/lane -dir /tmp/lane -facts 60 -seed 7
//	go run ./cmd/lane -dir /tmp/lane -central 'postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable'
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"math/rand/v2"
	"os"
	"path/filepath"
	"time"

	"github.com/clientele-go/clientele/customer"
	"github.com/clientele-go/clientele/examples/postgres"
	"github.com/clientele-go/clientele/examples/sqlite"
	"github.com/clientele-go/clientele/examples/sqlite/lane"
	"github.com/clientele-go/clientele/loyalty"
	"github.com/clientele-go/clientele/loyalty/coupon"
	"github.com/clientele-go/clientele/loyalty/pricing"
	"github.com/clientele-go/clientele/loyalty/storedvalue"
	"github.com/shopspring/decimal"
)

// day is one scripted day's settings.
type day struct {
	dir     string // holds lane.db (and central.db without central)
	central string // PostgreSQL DSN of the central services; "" for central.db
	program string // loyalty programme JSON
	wallets string // stored-value programme JSON
	facts   int    // sales and returns
	members int
	every   int // facts between syncs
	seed    uint64
	// progress, if set, is told the index of each fact before it is
	// recorded.
	progress func(i int)
}

func main() {
	var d day
	flag.StringVar(&d.dir, "dir", "lane-day", "directory of lane.db and central.db")
	flag.StringVar(&d.central, "central", "", "PostgreSQL DSN of the central services (empty: central.db in -dir)")
	flag.StringVar(&d.program, "program", "../../loyalty/testdata/program.json", "loyalty programme (JSON)")
	flag.StringVar(&d.wallets, "storedvalue", "../../loyalty/storedvalue/testdata/programme.json", "stored-value programme (JSON)")
	flag.IntVar(&d.facts, "facts", 60, "sales and returns in the day")
	flag.IntVar(&d.members, "members", 5, "members shopping")
	flag.IntVar(&d.every, "sync-every", 10, "facts between syncs")
	flag.Uint64Var(&d.seed, "seed", 1, "seed of the day's script")
	flag.Parse()
	rep, err := run(context.Background(), d)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("day done: %d facts, %d sent (%d refused), %d notes\n", d.facts, rep.Sent, rep.Refused, len(rep.Notes))
	for _, n := range rep.Notes {
		fmt.Println(" ", n)
	}
}

// start is the day's first instant; fact i happens i minutes later.
var start = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// fixed is the clock of both sides: the script's times are its own.
func fixed() time.Time { return start.Add(24 * time.Hour) }

// central opens the day's central services: on PostgreSQL when the day
// names a DSN, else over central.db in its directory. close releases
// them.
func central(ctx context.Context, d day, program *loyalty.Program, programme *storedvalue.Programme) (s lane.Services, close func(), err error) {
	var (
		customers customer.Store
		points    loyalty.Store
		wallets   storedvalue.Store
		coupons   coupon.Store
	)
	if d.central != "" {
		db, err := postgres.Open(ctx, d.central)
		if err != nil {
			return lane.Services{}, nil, err
		}
		if err := db.Migrate(ctx); err != nil {
			db.Close()
			return lane.Services{}, nil, err
		}
		customers, points, close = db.Customers(), db.JournaledLoyalty(), db.Close
		wallets, coupons = db.StoredValue(), db.Coupons()
	} else {
		db, err := sqlite.Open(ctx, filepath.Join(d.dir, "central.db"), sqlite.Options{})
		if err != nil {
			return lane.Services{}, nil, err
		}
		customers, points, close = db.Customers(), db.Loyalty(), func() { db.Close() }
		wallets, coupons = db.StoredValue(), db.Coupons()
	}
	s.Customers = customer.NewService(customers, &customer.Options{Clock: fixed, NewID: memberID,
		OnMerge: []func(context.Context, customer.MergeRecord) error{func(ctx context.Context, m customer.MergeRecord) error {
			return s.Points.MergeHook()(ctx, m)
		}}})
	s.Points, err = loyalty.NewService(program, points, s.Customers, &loyalty.Options{Clock: fixed})
	if err == nil {
		s.Wallets, err = storedvalue.NewService(wallets, programme, nil)
	}
	if err != nil {
		close()
		return lane.Services{}, nil, err
	}
	s.Coupons = coupon.NewService(coupons, nil)
	return s, close, nil
}

// nextID is the ID the central customer service gives the member being
// registered: "c-" and the member number, so two runs of the day give the
// same members the same IDs and their states compare as they are.
var nextID string

func memberID() string { return nextID }

// Fact is one step of the script: a sale, or a return of an earlier sale,
// with what the member paid from the wallet or topped up, and the flyer
// coupon used.
type Fact struct {
	Purchase *customer.Purchase
	Return   *customer.Return
	// TopUp, if set, is a top-up of the buyer's wallet before the sale.
	TopUp *storedvalue.TopUpRequest
	// Wallet, if set, pays part of the sale from the buyer's wallet (a
	// return refunds it): directly, or as a hold committed after the sale
	// is recorded (released instead when Release is set).
	Wallet  *storedvalue.PayRequest
	Hold    bool
	Release bool
	// Coupon, if set, uses the flyer code on the sale: held, then
	// committed with the purchase (released when CouponRelease is set).
	Coupon        *coupon.HoldRequest
	CouponRelease bool
	// Refund, if set, refunds the returned sale's wallet payment.
	Refund *storedvalue.RefundRequest
	// Card, if set, pays part of the sale from the day's gift card
	// (directly); CardRefund refunds it on the sale's return.
	Card       *storedvalue.PayRequest
	CardRefund *storedvalue.RefundRequest
}

// flyerCode is the generic code the centre prints on a flyer and the lane
// downloads; flyerUses is how often it may be used in all.
const (
	flyerCode = "FLYER-2026"
	flyerUses = 30
)

// dayCard is a gift card sold before the day (imported with 5,000 CNY,
// more than the script's payments can take before the centre empties it),
// which shoppers pay with at the lane; dayCardCode is its code.
const (
	dayCard     = "DAY-1"
	dayCardCode = "DAYCARD-0001"
)

// script returns the day's facts for the members, the same for a seed.
// The first sale after the centre's money changes (fact 3*every) is the
// second member's, paid partly from the wallet the centre just emptied and with
// the flyer code the centre just used up: a lane that has not heard of
// either takes both, and the centre refuses both when they reach it.
func script(d day, ids []string) []Fact {
	rng := rand.New(rand.NewPCG(d.seed, 0x1a9e))
	var facts []Fact
	var sold []Fact
	returned := map[string]bool{}
	for i := range d.facts {
		at := start.Add(time.Duration(i) * time.Minute)
		forced := len(ids) >= 5 && i == 3*d.every
		if len(sold) > 2 && rng.IntN(5) == 0 && !forced {
			f := sold[rng.IntN(len(sold))]
			p := f.Purchase
			if !returned[p.ID] {
				returned[p.ID] = true
				r := Fact{Return: &customer.Return{ID: fmt.Sprintf("L1/R%04d", i), PurchaseID: p.ID,
					Store: "SH-02", Time: at, Currency: "CNY", Refund: p.Lines[0].Total,
					Lines: []customer.ReturnLine{{Line: 1, Quantity: p.Lines[0].Quantity}}}}
				if f.Wallet != nil && !f.Release {
					r.Refund = &storedvalue.RefundRequest{ID: r.Return.ID + "/sv", PaymentID: f.Wallet.ID,
						Amount: f.Wallet.Amount, At: at}
				}
				if f.Card != nil {
					r.CardRefund = &storedvalue.RefundRequest{ID: r.Return.ID + "/gc", PaymentID: f.Card.ID,
						Amount: f.Card.Amount, At: at}
				}
				facts = append(facts, r)
				continue
			}
		}
		buyer := ""
		if n := rng.IntN(len(ids) + 1); n < len(ids) {
			buyer = ids[n]
		}
		if forced {
			buyer = ids[1]
		}
		qty := decimal.NewFromInt(int64(1 + rng.IntN(3)))
		price := decimal.New(int64(500+rng.IntN(20000)), -2)
		p := customer.Purchase{ID: fmt.Sprintf("L1/%04d", i), CustomerID: buyer, Store: "SH-02",
			Channel: customer.ChannelInStore, Time: at, Currency: "CNY",
			Lines: []customer.Line{{SKU: fmt.Sprintf("SKU-%d", rng.IntN(40)), Category: "grocery",
				Quantity: qty, UnitPrice: price, Total: qty.Mul(price)}}}
		f := Fact{Purchase: &p}
		// The draws are made whoever buys, so the members' choices do
		// not shift the rest of the script.
		topUp, pays, hold, release, coupons := rng.IntN(8) == 0, rng.IntN(3) == 0, rng.IntN(2) == 0, rng.IntN(5) == 0, rng.IntN(4) == 0
		card := rng.IntN(6) == 0
		topUpAmount := decimal.NewFromInt(int64(100 + 50*rng.IntN(10)))
		if buyer != "" && topUp && !forced {
			f.TopUp = &storedvalue.TopUpRequest{ID: p.ID + "/topup", MemberID: buyer, Amount: topUpAmount, At: at}
		}
		// The second member keeps the wallet whole until then, so the
		// lane's copy covers the payment whatever the day drew.
		saving := len(ids) >= 5 && buyer == ids[1] && i < 3*d.every
		if buyer != "" && (pays && !saving || forced) {
			// Half the sale from the wallet, to the fen.
			amount := p.Lines[0].Total.Div(decimal.NewFromInt(2)).Round(2)
			if forced {
				amount = decimal.NewFromInt(1) // within the lane's copy, beyond the centre's emptied wallet
			}
			f.Wallet = &storedvalue.PayRequest{ID: p.ID + "/sv", MemberID: buyer, Amount: amount, At: at, Order: p.ID}
			f.Hold, f.Release = hold || forced, release && !forced
		}
		if card || forced {
			// A third of the sale from the gift card (1 CNY on the forced
			// sale: the lane's copy covers it, the emptied card does not).
			amount := p.Lines[0].Total.Div(decimal.NewFromInt(3)).Round(2)
			if forced {
				amount = decimal.NewFromInt(1)
			}
			f.Card = &storedvalue.PayRequest{ID: p.ID + "/gc", Code: dayCardCode, Amount: amount, At: at, Order: p.ID}
		}
		if coupons || forced {
			f.Coupon = &coupon.HoldRequest{ID: p.ID + "/cp", Code: flyerCode, Customer: buyer, At: at}
			f.CouponRelease = release && f.Wallet == nil
		}
		facts = append(facts, f)
		if buyer != "" {
			sold = append(sold, f)
		}
	}
	return facts
}

// run runs the day from its first fact and returns what its syncs did
// (this run's: a day restarted after a crash reports what it sent since).
func run(ctx context.Context, d day) (lane.Report, error) {
	program, programme, err := programmes(d)
	if err != nil {
		return lane.Report{}, err
	}
	hq, closeHQ, err := central(ctx, d, program, programme)
	if err != nil {
		return lane.Report{}, err
	}
	defer closeHQ()
	l, err := openLane(ctx, d, program, programme)
	if err != nil {
		return lane.Report{}, err
	}
	defer l.Close()

	ids, err := Members(ctx, hq, l, d.members)
	if err != nil {
		return lane.Report{}, err
	}
	// The lane starts the day with the centre's view: the members' points
	// and wallets, and the flyer code.
	var rep lane.Report
	if err := syncAndRefresh(ctx, l, hq, &rep); err != nil {
		return rep, err
	}
	if err := l.DownloadCodes(ctx, hq, flyerCode); err != nil {
		return rep, err
	}
	if err := l.DownloadCard(ctx, hq, dayCardCode, start); err != nil {
		return rep, err
	}
	for i, f := range script(d, ids) {
		if d.progress != nil {
			d.progress(i)
		}
		if err := sell(ctx, l, f); err != nil {
			return rep, fmt.Errorf("fact %d: %w", i, err)
		}
		if (i+1)%d.every == 0 {
			if err := syncAndRefresh(ctx, l, hq, &rep); err != nil {
				return rep, err
			}
			switch i + 1 {
			case 2 * d.every:
				// The centre changes members right after the second sync,
				// and the lane hears of it at once.
				if err := meanwhile(ctx, hq, ids); err != nil {
					return rep, err
				}
				if _, err := l.Refresh(ctx, hq); err != nil {
					return rep, err
				}
			case 3 * d.every:
				// Money changes centrally after the third, and the lane
				// hears of them only at its next sync, after it sold on.
				if err := elsewhere(ctx, hq, ids); err != nil {
					return rep, err
				}
			}
		}
	}
	return rep, syncAndRefresh(ctx, l, hq, &rep)
}

// sell records one fact on the lane. A wallet payment or coupon use the
// lane refuses (the lane's copy of the wallet short, the code used up) is
// paid otherwise: the sale goes on without it.
func sell(ctx context.Context, l *lane.Lane, f Fact) error {
	if f.Return != nil {
		if _, err := l.Return(ctx, *f.Return); err != nil {
			return err
		}
		for _, r := range []*storedvalue.RefundRequest{f.Refund, f.CardRefund} {
			if r == nil {
				continue
			}
			if _, err := l.Refund(ctx, *r); err != nil && !lane.Refusal(err) {
				return err
			}
		}
		return nil
	}
	if f.TopUp != nil {
		if _, err := l.TopUp(ctx, *f.TopUp); err != nil && !lane.Refusal(err) {
			return err
		}
	}
	couponHeld, walletHeld := false, false
	if f.Coupon != nil {
		_, err := l.HoldCoupon(ctx, *f.Coupon)
		if err != nil && !lane.Refusal(err) {
			return err
		}
		couponHeld = err == nil
	}
	if f.Wallet != nil {
		var err error
		if f.Hold {
			_, err = l.Hold(ctx, *f.Wallet)
		} else {
			_, err = l.Pay(ctx, *f.Wallet)
		}
		if err != nil && !lane.Refusal(err) {
			return err
		}
		walletHeld = err == nil && f.Hold
	}
	if f.Card != nil {
		if _, err := l.Pay(ctx, *f.Card); err != nil && !lane.Refusal(err) {
			return err
		}
	}
	if _, err := l.Sell(ctx, *f.Purchase); err != nil {
		return err
	}
	at := f.Purchase.Time
	if walletHeld {
		settle := storedvalue.SettleRequest{HoldID: f.Wallet.ID, At: at}
		var err error
		if f.Release {
			_, err = l.ReleaseHold(ctx, settle)
		} else {
			_, err = l.CommitHold(ctx, settle)
		}
		if err != nil && !lane.Refusal(err) {
			return err
		}
	}
	if couponHeld {
		var err error
		if f.CouponRelease {
			_, err = l.ReleaseCoupon(ctx, f.Coupon.ID, at)
		} else {
			_, err = l.CommitCoupon(ctx, f.Coupon.ID, f.Purchase.ID, at)
		}
		if err != nil && !lane.Refusal(err) {
			return err
		}
	}
	return nil
}

// programmes reads the day's loyalty and stored-value programmes.
func programmes(d day) (*loyalty.Program, *storedvalue.Programme, error) {
	data, err := os.ReadFile(d.program)
	if err != nil {
		return nil, nil, err
	}
	program, err := loyalty.ParseProgram(data)
	if err != nil {
		return nil, nil, err
	}
	if data, err = os.ReadFile(d.wallets); err != nil {
		return nil, nil, err
	}
	programme, err := storedvalue.ParseProgramme(data)
	return program, programme, err
}

// openLane opens the day's lane (recovering it).
func openLane(ctx context.Context, d day, program *loyalty.Program, programme *storedvalue.Programme) (*lane.Lane, error) {
	return lane.Open(ctx, filepath.Join(d.dir, "lane.db"), lane.Config{Program: program,
		Customer: &customer.Options{Clock: fixed}, Loyalty: &loyalty.Options{Clock: fixed}, Clock: fixed,
		StoredValue: programme, Coupons: &coupon.Options{}})
}

// syncAndRefresh sends the lane's queue to the centre, adding what it did
// to the day's report, then copies the centre's view of the lane's
// members back.
func syncAndRefresh(ctx context.Context, l *lane.Lane, hq lane.Services, day *lane.Report) error {
	rep, err := l.Sync(ctx, hq)
	day.Sent += rep.Sent
	day.Refused += rep.Refused
	day.Notes = append(day.Notes, rep.Notes...)
	if err != nil {
		return err
	}
	_, err = l.Refresh(ctx, hq)
	return err
}

// meanwhile is what happens centrally while the lane sells, right after
// its second sync: the second member spends every available point at
// another store, and the fifth is merged into the fourth. Both are
// idempotent, and the centre holds the same facts at that point however
// often the day was cut short (every fact up to the sync was sent, none
// after it sold), so a restarted day makes the same changes: the
// redemption is skipped when recorded, its size read otherwise.
func meanwhile(ctx context.Context, hq lane.Services, ids []string) error {
	if len(ids) < 5 {
		return nil
	}
	const redemption = "S9/R-0001"
	if _, err := hq.Points.Store().GetOperation(ctx, "redeem:"+redemption); errors.Is(err, loyalty.ErrNotFound) {
		b, err := hq.Points.Balance(ctx, ids[1])
		if err != nil {
			return fmt.Errorf("meanwhile: %w", err)
		}
		if spend := b.Available / 100 * 100; spend >= 500 { // the programme's step and minimum
			if _, err := hq.Points.Redeem(ctx, loyalty.RedeemRequest{ID: redemption, MemberID: ids[1], Points: spend,
				At: fixed()}); err != nil {
				return fmt.Errorf("meanwhile: %w", err)
			}
		}
	} else if err != nil {
		return fmt.Errorf("meanwhile: %w", err)
	}
	if _, err := hq.Customers.Merge(ctx, ids[3], ids[4], customer.MergeRequest{Actor: "hq", Reason: "same person",
		At: fixed()}); err != nil {
		return fmt.Errorf("meanwhile: merge: %w", err)
	}
	return nil
}

// elsewhere is what other stores do right after the lane's third sync:
// the second member spends the whole wallet, the day's gift card is spent
// whole, and the flyer code is used up. Like meanwhile it is idempotent and meets the same central state
// however often the day was cut short: the payment is skipped when
// recorded, its size read otherwise, and the flyer's uses are replayed by
// ID before new ones are taken.
func elsewhere(ctx context.Context, hq lane.Services, ids []string) error {
	if len(ids) < 5 {
		return nil
	}
	const payment = "S9/SV-0001"
	if _, err := hq.Wallets.Store().GetOperation(ctx, "pay:"+payment); errors.Is(err, storedvalue.ErrNotFound) {
		a, err := hq.Wallets.Store().GetAccount(ctx, storedvalue.WalletID(ids[1]))
		if err != nil {
			return fmt.Errorf("elsewhere: %w", err)
		}
		if spend := a.Paid + a.Bonus; spend > 0 {
			if _, err := hq.Wallets.Pay(ctx, storedvalue.PayRequest{ID: payment, MemberID: ids[1],
				Amount: decimal.New(spend, -2), At: fixed()}); err != nil {
				return fmt.Errorf("elsewhere: %w", err)
			}
		}
	} else if err != nil {
		return fmt.Errorf("elsewhere: %w", err)
	}
	const cardPayment = "S9/GC-0001"
	if _, err := hq.Wallets.Store().GetOperation(ctx, "pay:"+cardPayment); errors.Is(err, storedvalue.ErrNotFound) {
		card, err := hq.Wallets.GiftCardByCode(ctx, dayCardCode, fixed())
		if err != nil {
			return fmt.Errorf("elsewhere: %w", err)
		}
		if spend := card.Balance.Spendable.Total(); spend.IsPositive() {
			if _, err := hq.Wallets.Pay(ctx, storedvalue.PayRequest{ID: cardPayment, Code: dayCardCode,
				Amount: spend, At: fixed()}); err != nil {
				return fmt.Errorf("elsewhere: %w", err)
			}
		}
	} else if err != nil {
		return fmt.Errorf("elsewhere: %w", err)
	}
	for n := 1; ; n++ {
		id := fmt.Sprintf("S9/CP-%04d", n)
		if _, err := hq.Coupons.Store().GetOperation(ctx, "hold:"+id); errors.Is(err, coupon.ErrNotFound) {
			c, err := hq.Coupons.Store().GetCode(ctx, coupon.Normalize(flyerCode))
			if err != nil {
				return fmt.Errorf("elsewhere: %w", err)
			}
			if c.Used+c.Held >= c.Limit {
				break
			}
		} else if err != nil {
			return fmt.Errorf("elsewhere: %w", err)
		}
		if _, err := hq.Coupons.Hold(ctx, coupon.HoldRequest{ID: id, Code: flyerCode, At: fixed()}); err != nil {
			return fmt.Errorf("elsewhere: %w", err)
		}
		if _, err := hq.Coupons.Commit(ctx, id, id, fixed()); err != nil {
			return fmt.Errorf("elsewhere: %w", err)
		}
	}
	return nil
}

// Members registers the day's members centrally (those not yet there)
// with an opening balance of points and a wallet topped up with 500, and
// copies each to the lane if it lacks it. It defines the flyer code
// centrally too. A
// member's ID is "c-" and its number, so a restarted day finds it by ID
// (its number may since have moved to the member it was merged into).
func Members(ctx context.Context, hq lane.Services, l *lane.Lane, n int) ([]string, error) {
	var ids []string
	for i := range n {
		number := fmt.Sprintf("M-%03d", i+1)
		id := "c-" + number
		m, err := hq.Customers.Store().GetCustomer(ctx, id)
		if errors.Is(err, customer.ErrNotFound) {
			nextID = id
			m, err = hq.Customers.Register(ctx, customer.Registration{Profile: customer.Profile{Name: "Member " + number},
				MemberNumber: number, JoinedAt: start.Add(-24 * time.Hour)})
		}
		if err != nil {
			return nil, fmt.Errorf("member %d: %w", i+1, err)
		}
		// Points from before the day, available at once.
		if _, err := hq.Points.Adjust(ctx, loyalty.AdjustRequest{ID: "opening:" + number, MemberID: id, Points: 1000,
			Reason: "opening", Actor: "migration", At: start.Add(-24 * time.Hour)}); err != nil {
			return nil, fmt.Errorf("member %d: opening balance: %w", i+1, err)
		}
		if _, err := hq.Wallets.TopUp(ctx, storedvalue.TopUpRequest{ID: "opening:" + number, MemberID: id,
			Amount: decimal.NewFromInt(500), At: start.Add(-24 * time.Hour)}); err != nil {
			return nil, fmt.Errorf("member %d: opening wallet: %w", i+1, err)
		}
		local := l.Local().Customers.Store()
		if _, err := local.GetCustomer(ctx, m.ID); err != nil {
			if err := local.CreateCustomer(ctx, m); err != nil {
				return nil, fmt.Errorf("member %d on the lane: %w", i+1, err)
			}
		}
		ids = append(ids, m.ID)
	}
	return ids, defineFlyer(ctx, hq)
}

// defineFlyer defines the flyer's coupon and code centrally, and imports
// the day's gift card; again, it does nothing.
func defineFlyer(ctx context.Context, hq lane.Services) error {
	err := hq.Coupons.Define(ctx, coupon.Definition{ID: "flyer", Currency: "CNY", UsesPerCode: flyerUses,
		Offer: pricing.Offer{ID: "flyer", Name: "20 off 100", Kind: pricing.KindAmountOff,
			Amount: decimal.NewFromInt(20), MinSpend: decimal.NewFromInt(100)}})
	if err != nil {
		return fmt.Errorf("flyer: %w", err)
	}
	if _, err := hq.Coupons.Import(ctx, coupon.ImportRequest{ID: "flyer", Definition: "flyer", Codes: []string{flyerCode},
		Source: coupon.SourceGeneric, At: start.Add(-24 * time.Hour)}); err != nil {
		return fmt.Errorf("flyer: %w", err)
	}
	if _, err := hq.Wallets.ImportGiftCard(ctx, storedvalue.ImportGiftCardRequest{CardID: dayCard, Code: dayCardCode,
		Balance: decimal.NewFromInt(5000), At: start.Add(-24 * time.Hour)}); err != nil {
		return fmt.Errorf("gift card: %w", err)
	}
	return nil
}
