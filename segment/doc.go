// Package segment divides customers into groups a shop can act on: RFM
// scores and segments, value classes, lifecycle stages, rule trees,
// audiences that respect consent, and k-means clusters.
//
// The package is pure: no storage, no context, no clock. Every analysis
// takes its date (asOf) as an argument and reads iterators of facts, so
// the same input always gives the same answer.
//
// # Facts
//
// Facts is the per-customer record segmentation reads. BuildFacts makes
// it in one streaming pass over what customer.Store yields (customers,
// then purchases and returns sorted by time), with optional hooks for
// loyalty and feedback facts. See Facts for the memory trade-off behind
// windowed rules.
//
// # Money
//
// Money is int64 minor units at the currency's scale (ScaleOf), summed
// exactly with overflow checks (ErrOverflow); conversions from
// decimal.Decimal are exact or fail (ErrCurrency); amounts leave the
// package as decimal.Decimal (Amount). Only k-means converts money to
// float64, for statistics.
//
// # RFM
//
// Summarize folds a lean stream of Txn tuples (customer ID, time, net
// amount in int64 minor units) into Summaries, in memory proportional to
// the number of customers; TxnsOf and SummarizePurchases adapt
// customer.Purchase and customer.Return streams, and Facts.Summary gives
// the same from facts.
// For files and bulk data, txnfile reads CSV/TSV exports into a compact
// Table (interned IDs, day numbers, minor units: 16 bytes a row) and
// SummarizeTable folds it on several goroutines with the same result for
// any number of them; SummarizeFile gives the same summaries straight from
// the file, folding the rows as they are parsed, in memory by customers
// only.
// ScoreRFM scores recency, frequency and monetary value at asOf either by
// quantiles (5 bins by default) or by fixed Thresholds, and looks up each
// customer's segment in a SegmentMap. Quantile scoring gives equal values
// equal scores (TiePolicy): a customer beaten by L of N customers scores
// 1 + ⌊bins·L/N⌋, so when most customers bought once they all score F=1
// and the scores above stay distinct. RFMConfig.Workers scores the three
// dimensions at once.
//
// Segment maps are data: RFM11 (the widely used 11 segments, Champions to
// Lost, on the R × FM grid) and RF10 (an R × F grid of 10 segments) ship
// as JSON, and SegmentMap.Validate reports every cell covered twice or
// not at all.
//
// # Rules and audiences
//
// A Rule is an and/or/not tree over typed leaves: attributes (Gender,
// Age, City, Tags, Tier, MemberSince, BirthdayWithin, BirthdayMonth),
// behaviour over windows (Spent, Purchases, Bought, LastPurchase,
// ChannelShare, StoreShare), loyalty (Points, PointsExpiring), RFMSegment,
// Lifecycle and NPS. Rules load from strict, versioned JSON (ParseRule),
// validate with every problem reported at once, compile for an analysis
// date (Rule.Compile) and evaluate over streams (Matcher.Filter) with an
// explanation of why a customer matched or not (Matcher.Explain). Diff
// compares two evaluations. An Audience adds a purpose and a channel and
// keeps only customers who may be contacted (customer.Customer's
// CanContact: never erased or merged customers).
//
// # Lifecycle, value and clusters
//
// LifecycleConfig.StageOf places a customer in a stage (prospect, new,
// active, repeat, loyal, at risk, lapsed, won back) using the shop's
// thresholds or, with enough history, the customer's own rhythm.
// ValueClasses splits customers into high, medium and low value by
// cumulative share of revenue or thresholds. KMeans clusters scaled RFM
// with a fixed seed and describes each centre in plain words.
package segment
