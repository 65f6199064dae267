// Package campaign runs marketing campaigns whose effect is measured, not
// assumed: an audience (a segment rule over customer facts: RFM cells,
// lifecycle stages, behaviour; only members who consented to the purpose
// and channel), an offer (a coupon, bonus points or a promotion), an issue
// window, a budget and limits, and a control group.
//
// The control group is drawn reproducibly: whether a member is held out
// depends only on the campaign's ID and the member's ID (a SHA-256 hash
// compared with the control share), so a rerun, a resumed run or an
// auditor draws the same members, whatever order or batch they come in.
// Control members are recorded and never contacted: the issuer is never
// called for them.
//
// Issuing is idempotent per member and resumable: every member of a run
// gets one record (treated or control) keyed by campaign and member; a
// treated member's record is written first, reserving the budget under
// the campaign header's compare-and-set, then the offer is issued under
// the key "campaign:<campaign>:<member>" and its reference recorded, so a
// run stopped anywhere, rerun, issues each offer exactly once and never
// spends past the budget.
//
// The records are what metrics.CampaignResults reads, with the members'
// purchases, to report reach, redemption, revenue and margin per member
// in each group and the uplift with its confidence interval.
//
// Storage follows the bounded-cost contract of loyalty.Store: a small
// versioned header per campaign and a record per member, every operation
// reading one header and one member record. campaigntest checks a Store;
// NewMemoryStore is the embedded default.
package campaign
