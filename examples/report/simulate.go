package main

import (
	"container/heap"
	"context"
	"errors"
	"fmt"
	"iter"
	"time"

	"github.com/clientele-go/clientele/customer"
	"github.com/clientele-go/clientele/feedback"
	"github.com/clientele-go/clientele/loyalty"
	"github.com/shopspring/decimal"
)

// The simulation replays the shop's purchases and returns in time order.
// Things that happen later than the sale that caused them (a survey
// answered the next day, each step of a complaint, the nightly job at the
// turn of the month, tier snapshots) wait in a queue of timed actions
// that run, in time order, before the first sale after them. The
// services' clock is set to each event's time, so every record carries
// its own time.

type action struct {
	at  time.Time
	seq int // ties run in the order they were queued
	run func(ctx context.Context) error
}

type agenda []action

func (a agenda) Len() int { return len(a) }
func (a agenda) Less(i, j int) bool {
	if !a[i].at.Equal(a[j].at) {
		return a[i].at.Before(a[j].at)
	}
	return a[i].seq < a[j].seq
}
func (a agenda) Swap(i, j int) { a[i], a[j] = a[j], a[i] }
func (a *agenda) Push(x any)   { *a = append(*a, x.(action)) }
func (a *agenda) Pop() any {
	old := *a
	x := old[len(old)-1]
	*a = old[:len(old)-1]
	return x
}

type runner struct {
	*sim
	queue agenda
	seq   int
}

func (r *runner) at(t time.Time, f func(ctx context.Context) error) {
	r.seq++
	heap.Push(&r.queue, action{at: t, seq: r.seq, run: f})
}

// until runs the queued actions due before t.
func (r *runner) until(ctx context.Context, t time.Time) error {
	for len(r.queue) > 0 && r.queue[0].at.Before(t) {
		a := heap.Pop(&r.queue).(action)
		r.clock.now = a.at
		if err := a.run(ctx); err != nil {
			return err
		}
	}
	return nil
}

func simulate(ctx context.Context, size shopSize) (*sim, error) {
	s, err := newSim(size)
	if err != nil {
		return nil, err
	}
	r := &runner{sim: s}
	if err := r.setUp(ctx); err != nil {
		return nil, err
	}
	for ev, err := range r.events() {
		if err != nil {
			return nil, err
		}
		if err := r.until(ctx, ev.at); err != nil {
			return nil, err
		}
		r.clock.now = ev.at
		if ev.purchase != nil {
			err = r.sale(ctx, *ev.purchase)
		} else {
			err = r.refund(ctx, *ev.ret)
		}
		if err != nil {
			return nil, err
		}
	}
	// Let complaints opened in December run their course.
	if err := r.until(ctx, historyEnd.AddDate(0, 2, 0)); err != nil {
		return nil, err
	}
	return s, nil
}

// setUp creates the survey, remembers returned purchases for the
// loyalty service, and queues the nightly job at every month's turn and
// the tier snapshots the report compares.
func (r *runner) setUp(ctx context.Context) error {
	if _, err := r.feedback.CreateSurvey(ctx, feedback.Survey{ID: "pulse", Name: "After-visit pulse", Active: true,
		Questions: []feedback.Question{
			{ID: "nps", Kind: feedback.KindNPS, Text: "How likely are you to recommend us?", Required: true},
			{ID: "csat", Kind: feedback.KindCSAT, Text: "How satisfied were you with this visit?"},
		}}); err != nil {
		return err
	}
	returned := map[string]bool{}
	for ret, err := range r.shop.Returns() {
		if err != nil {
			return err
		}
		returned[ret.PurchaseID] = true
	}
	for p, err := range r.purchases() {
		if err != nil {
			return err
		}
		if returned[p.ID] {
			r.members.purchases[p.ID] = p
		}
	}
	for t := historyStart.AddDate(0, 1, 0); !t.After(historyEnd); t = t.AddDate(0, 1, 0) {
		r.at(t, r.nightly)
	}
	for _, t := range []time.Time{reportFrom, historyEnd} {
		r.at(t, func(ctx context.Context) error { return r.snapshot(ctx, t) })
	}
	return nil
}

// nightly releases and expires points, then reviews tiers.
func (r *runner) nightly(ctx context.Context) error {
	if _, err := r.loyalty.Expire(ctx, r.clock.now, ""); err != nil {
		return err
	}
	_, err := r.loyalty.ReviewTiers(ctx, r.clock.now, "")
	return err
}

func (r *runner) snapshot(ctx context.Context, t time.Time) error {
	var states []memberTier
	for a, err := range r.lstore.Accounts(ctx, "") {
		if err != nil {
			return err
		}
		if a.MergedInto == "" {
			states = append(states, memberTier{a.MemberID, a.Tier})
		}
	}
	r.tiers[t] = states
	return nil
}

type event struct {
	at       time.Time
	purchase *customer.Purchase
	ret      *customer.Return
}

// events merges the purchase and return streams by time.
func (r *runner) events() iter.Seq2[event, error] {
	return func(yield func(event, error) bool) {
		nextP, stopP := iter.Pull2(r.purchases())
		defer stopP()
		nextR, stopR := iter.Pull2(r.shop.Returns())
		defer stopR()
		p, perr, pok := nextP()
		ret, rerr, rok := nextR()
		for pok || rok {
			if perr != nil || rerr != nil {
				yield(event{}, errors.Join(perr, rerr))
				return
			}
			if pok && (!rok || !ret.Time.Before(p.Time)) {
				pc := p
				if !yield(event{at: p.Time, purchase: &pc}, nil) {
					return
				}
				p, perr, pok = nextP()
				continue
			}
			rc := ret
			if !yield(event{at: ret.Time, ret: &rc}, nil) {
				return
			}
			ret, rerr, rok = nextR()
		}
	}
}

// sale runs a purchase through the till: one sale in eight pays with as
// many points as the programme allows, then the sale earns; some sales
// lead to a survey answer or a complaint.
func (r *runner) sale(ctx context.Context, p customer.Purchase) error {
	if c, err := r.members.Get(ctx, p.CustomerID); err != nil || !c.ErasedAt.IsZero() {
		return err // an erased member's card is gone: the sale earns nothing
	}
	if hash(p.ID, "redeem")%8 == 0 {
		if err := r.payWithPoints(ctx, p); err != nil {
			return err
		}
	}
	// The shop records the sale before loyalty earns on it; only returned
	// sales stay in memory afterwards (a return looks its sale up).
	_, keep := r.members.purchases[p.ID]
	r.members.purchases[p.ID] = p
	_, err := r.loyalty.Earn(ctx, p)
	if !keep {
		delete(r.members.purchases, p.ID)
	}
	if err != nil {
		return err
	}
	h := hash(p.ID, "feedback")
	switch {
	case h%100 < 12:
		r.at(p.Time.Add(time.Duration(20+h%30)*time.Hour), func(ctx context.Context) error { return r.answer(ctx, p, h) })
	case h%100 < 14:
		r.at(p.Time.Add(time.Duration(2+h%40)*time.Hour), func(ctx context.Context) error { return r.complain(ctx, p, h) })
	}
	return nil
}

func (r *runner) payWithPoints(ctx context.Context, p customer.Purchase) error {
	most, err := r.loyalty.MaxRedeemable(ctx, p.CustomerID, p.Total())
	if errors.Is(err, loyalty.ErrNotFound) || (err == nil && most.Points == 0) {
		return nil // no account yet, or too few points
	}
	if err != nil {
		return err
	}
	_, err = r.loyalty.Redeem(ctx, loyalty.RedeemRequest{ID: "RD-" + p.ID, MemberID: p.CustomerID, Points: most.Points,
		OrderTotal: p.Total(), PurchaseID: p.ID, At: p.Time})
	if errors.Is(err, loyalty.ErrNotRedeemable) || errors.Is(err, loyalty.ErrInsufficientPoints) {
		return nil
	}
	return err
}

func (r *runner) refund(ctx context.Context, ret customer.Return) error {
	r.members.returns[ret.ID] = ret // recorded by the shop first
	_, err := r.loyalty.Return(ctx, ret)
	return err
}

// answer submits a survey response. Stores differ in how well they do,
// and every store improves a little month by month.
func (r *runner) answer(ctx context.Context, p customer.Purchase, h uint64) error {
	months := float64(p.Time.Sub(historyStart).Hours() / (24 * 30))
	quality := 5.5 + float64(hash(p.Store, "quality")%30)/10 + months*0.06
	nps := clampInt(int(quality+float64(h>>8%70)/10-3+0.5), 0, 10)
	csat := clampInt(1+(nps*4+int(h>>16%5))/10, 1, 5)
	_, _, err := r.feedback.SubmitResponse(ctx, feedback.Response{
		ID: "SR-" + p.ID, SurveyID: "pulse", CustomerID: p.CustomerID, PurchaseID: p.ID,
		Store: p.Store, Staff: p.Staff, Channel: feedback.ChannelWeChat, Time: r.clock.now,
		Answers: []feedback.Answer{{QuestionID: "nps", Score: nps}, {QuestionID: "csat", Score: csat}},
	})
	return err
}

func clampInt(v, lo, hi int) int { return max(lo, min(hi, v)) }

var categories = []feedback.Category{feedback.CategoryProduct, feedback.CategoryService, feedback.CategoryStaff,
	feedback.CategoryDelivery, feedback.CategoryBilling}

// complain opens a complaint about a purchase and queues its handling:
// acknowledged within minutes to hours (sometimes late), investigated,
// sometimes waiting on the customer, resolved with a remedy, closed,
// sometimes reopened, and rated.
func (r *runner) complain(ctx context.Context, p customer.Purchase, h uint64) error {
	prio := feedback.PriorityNormal
	if h>>4%5 == 0 {
		prio = feedback.PriorityHigh
	}
	c, _, err := r.feedback.ReceiveComplaint(ctx, feedback.ComplaintIntake{
		ID: "CP-" + p.ID, CustomerID: p.CustomerID, Store: p.Store, Staff: p.Staff, Channel: feedback.ChannelInStore,
		Category: categories[h>>8%uint64(len(categories))], Priority: prio, Description: "about order " + p.ID,
		PurchaseID: p.ID, ReceivedAt: r.clock.now,
	})
	if err != nil {
		return err
	}
	t := r.clock.now
	step := func(after time.Duration, a feedback.Action) {
		t = t.Add(after)
		key := fmt.Sprintf("%s-%s-%d", c.ID, a, t.Unix()) // the handler's request ID: each step its own
		r.at(t, func(ctx context.Context) error {
			_, _, err := r.feedback.Apply(ctx, c.ID, feedback.Step{Action: a, Actor: p.Staff, RequestID: key})
			return err
		})
	}
	// Staff answer within 15 minutes to 4 hours of opening hours (a
	// complaint left at night waits for the morning).
	ack, err := r.policy.Calendar.Add(t, time.Duration(15+h>>12%240)*time.Minute)
	if err != nil {
		return err
	}
	step(ack.Sub(t), feedback.ActionAcknowledge)
	step(5*time.Minute, feedback.ActionInvestigate)
	if h>>20%10 < 3 {
		step(time.Hour, feedback.ActionWaitOnCustomer)
		step(time.Duration(4+h>>24%30)*time.Hour, feedback.ActionResume)
	}
	t = t.Add(time.Duration(1+h>>28%40) * time.Hour)
	r.at(t, func(ctx context.Context) error { return r.remedy(ctx, c.ID, p, h) })
	step(time.Minute, feedback.ActionResolve)
	step(24*time.Hour, feedback.ActionClose)
	if h>>32%10 == 0 {
		step(48*time.Hour, feedback.ActionReopen)
		step(6*time.Hour, feedback.ActionResolve)
		step(24*time.Hour, feedback.ActionClose)
	}
	t = t.Add(time.Hour)
	rating := clampInt(int(h>>36%5)+1+int(h>>40%2), 1, 5)
	r.at(t, func(ctx context.Context) error {
		_, _, err := r.feedback.RateHandling(ctx, c.ID, rating)
		return err
	})
	return nil
}

// remedy records what the shop gave: a tenth of the order back, a 20 CNY
// coupon, 300 goodwill points (worth 3 CNY), or an apology.
func (r *runner) remedy(ctx context.Context, id string, p customer.Purchase, h uint64) error {
	rem := feedback.Remedy{ID: "RM-" + id, Actor: p.Staff, At: r.clock.now}
	switch h >> 44 % 4 {
	case 0:
		rem.Kind, rem.Cost, rem.Currency = feedback.RemedyRefund, p.Total().Div(decimal.NewFromInt(10)).Round(2), "CNY"
	case 1:
		rem.Kind, rem.Cost, rem.Currency = feedback.RemedyCoupon, decimal.NewFromInt(20), "CNY"
	case 2:
		rem.Kind, rem.Points, rem.Cost, rem.Currency = feedback.RemedyGoodwill, 300, decimal.NewFromInt(3), "CNY"
	default:
		rem.Kind = feedback.RemedyApology
	}
	_, _, err := r.feedback.AddRemedy(ctx, id, rem)
	return err
}
