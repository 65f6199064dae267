// Package loyalty is the loyalty programme of clientele: points earned on
// purchases and events, what they are worth, when they lapse, member tiers
// and the reward catalogue.
//
// This file set is the pure rule engine. A [Program] is data (a Go literal
// or strict JSON read by [ParseProgram]); [Program.Validate] reports every
// problem at once as [*FieldError] values joined with errors.Join, each
// matching [ErrInvalid]. Nothing here stores anything, reads the clock or
// takes a context: every function takes the instants it needs and computes
// calendar rules in the programme's time zone from the event's own time,
// so a lane that syncs late gets the same answer as one that synced at
// once.
//
// # Recorded facts and arrival order
//
// The service trusts only facts the customer service recorded. A host
// records a sale (customer.Service.RecordPurchase) and a return
// (RecordReturn) first, then hands the recorded value to [Service.Earn] or
// [Service.Return]; anything never recorded is [ErrNotRecorded], anything
// that differs from the record (an edited line, another member's card) is
// [ErrNotAsRecorded], and neither writes. Points go to whoever holds the
// purchase now: a lane's copy queued before a merge and the copy the
// customer store holds after it earn once, for the survivor. Arrival order
// never changes the account: a return that reaches loyalty before its
// purchase's earn is kept with the purchase and clawed back when the earn
// arrives, as if it had come after it, and replays change nothing.
//
// Facts that a lane syncs late, across an expiry run or a tier review,
// end in the same tier state as if they had arrived in time: the service
// keeps the tier state before each review, grace end and change of the
// last three months ([TierMark]), walks a late fact from the state before
// the first step it precedes, and reports only what that changes
// ([TierCorrected]). A purchase earns as the member stood just before it
// (the tier held then, whether it was the first purchase, what earlier
// purchases of its day and cap period earned), whatever arrived first.
// A fact that lands before purchases already earned re-quotes those whose
// quote it changes, in time order: what a purchase should hold more
// becomes a further lot of it with the same expiry, what it should hold
// less is clawed back under the return policy, and its later returns
// claw back by the new quote. The points each purchase holds, the balance
// and the tier state then match the run that got every fact in time;
// the lots may be split differently. A return that came before a
// re-quote has the qualifying points it took corrected to what it takes
// back under the new quote. A return synced after the expiry run that
// lapsed its purchase's points takes them from that purchase's lot (the
// expiry reversed by as much), as it would have before the run, not from
// the member's other lots.
//
// # Storage
//
// A [Store] keeps an account as a small versioned header beside its lots
// and keyed records, so that every operation reads and writes what it
// touches and never the member's history; [LoadWhole] reads everything,
// for audits and statements.
//
// # Earning
//
// [Program.Quote] says what a purchase earns, line by line and rule by
// rule, before anything is written; the service's Earn stores that very
// quote, and a return later claws back what the quote says the returned
// lines earned ([Quote.PointsForReturn]). Rules are base rates per currency
// unit of the net paid amount, multipliers of the base points (category,
// tier, birthday, promotions by date, weekday, hour, store and channel),
// fixed bonuses per product or per purchase, and event bonuses
// ([Program.QuoteEvent]). Rules stack by explicit priority and stacking
// groups (best-of or additive), never by the order they were written in.
// Money is decimal; points are int64; every rule rounds once, as it says
// (floor unless told otherwise), and quotes are computed in exact integer
// arithmetic.
//
// Stacking is explicit: rules of one named [StackingGroup] in best-of mode
// give a line only the rule worth most (ties to the higher priority);
// additive groups and ungrouped rules add up. Multipliers add their
// extras over the base points, so ×2 and ×1.5 from different groups make
// ×2.5. Two rules of one group may not share a priority. Caps per order,
// per local day and per period (the usage so far is an input) then trim
// the lowest-priority rules first; every trim is shown in the quote.
//
// Quotes compute in exact integers: amounts in minor units up to
// [MaxAmountMinor] per purchase, quantities to six decimals, at most
// [MaxQuotePoints] points; beyond that Quote returns [ErrOutOfRange]
// rather than a wrong number. A [Quote] keeps its breakdown in those
// integers too and hands out decimals on demand ([LineQuote.Net],
// [RuleQuote.Exact], ...); its JSON form carries every amount as an exact
// decimal string and decodes back to the same quote.
//
// # Host-defined events and member days
//
// A programme may define its own events ([HostEvent]: a daily check-in
// with streaks and make-up days, a share, a survey answered), each with
// its points and its caps per day and per period; the host reports an
// occurrence under its own event ID with [Service.RecordEvent], and a
// retry earns once. A rule's [Condition.MemberDay] limits it to the
// shop's member days: days of the month (the 18th, the last day) or a
// weekday's place in the month (the last Friday).
//
// # Time
//
// [ExpiryPolicy] and [PendingPolicy] turn an earning instant into the
// instants its points lapse and are released, always at a local midnight,
// correct across daylight-saving changes (including zones whose clocks
// skip midnight) and month ends (31 January plus one month is the end of
// February).
//
// # Tiers
//
// [EvaluateTier] is the tier rule as a pure function of the programme, the
// stored [TierState], the member's [QualifyingActivity] and the clock:
// upgrades land with the qualifying purchase, scheduled reviews downgrade
// with grace and guarantees, overrides expire, and [Progress] says what is
// missing ([Program.RenderProgress] words it in English or Chinese).
//
// The service keeps a member's qualifying activity in the account header
// as at most two events per active local day (one summing purchases, one
// summing returns and corrections, see [QualifyingEvent.Count]) once its
// walk has passed them, with each summed fact in a [RecordActivity]
// record that only a late fact's walk reads back. Months that no window,
// review or cap boundary can still cut are kept as one event per class
// ([QualifyingEvent.Month]) with their days in a [RecordActivityMonth]
// record, read back when a window starts inside the month or a late fact
// lands in it. The header holds the days of about two months and two
// events for every other month of the lookback, whatever the member did.
//
// # Redemption and rewards
//
// [Program.MaxRedeemable] says how many points may pay for an order and
// what they are worth; [Program.CheckReward] decides catalogue
// eligibility; [BirthdayIn] and [Program.BirthdayCouponDue] decide whose
// birthday falls in a window (29 February is observed on 28 February in
// common years).
package loyalty
