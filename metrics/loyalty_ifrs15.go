package metrics

import (
	"errors"

	"github.com/shopspring/decimal"
)

// IFRS 15 treats points earned on a sale as a material right: a second
// performance obligation of the sale, besides the goods (IFRS 15.B40). The
// transaction price is split between the two in proportion to their
// stand-alone selling prices (IFRS 15.73-80, "relative stand-alone selling
// price"); the points' stand-alone selling price is the discount a point
// gives, adjusted for the points expected never to be redeemed (B42). The
// share allocated to the points is a contract liability, recognised as
// revenue as the points are redeemed, in proportion to the redemptions
// the entity expects in total (Illustrative Example 52), and in full once
// no redemption is left to expect (every other point expired).
//
// Rounding: each figure is exact until the one division that makes it,
// which rounds half away from zero to the currency's minor unit
// (decimal.DivRound); the goods take the transaction price less the
// points' share, so the two shares always add up to the price exactly,
// and the recognised revenue never exceeds the allocation.

// Formulas of the IFRS 15 allocation, as carried in results.
const (
	AllocationFormula = "points' SSP = points × value per point × expected redemption rate; " +
		"contract liability = round(price × points' SSP / (goods' SSP + points' SSP)); goods = price − contract liability"
	ReleaseFormula = "recognised = round(contract liability × points redeemed / points expected to be redeemed in total); " +
		"all of it once redemptions reach the expectation; liability left = contract liability − recognised"
)

// PointsSale is a sale that earned loyalty points: one contract, two
// performance obligations.
type PointsSale struct {
	// Price is the transaction price: what the customer paid, in Currency.
	Price    decimal.Decimal `json:"price"`
	Currency string          `json:"currency"`
	// GoodsPrice is the goods' stand-alone selling price; zero means
	// Price (goods sold at their list price).
	GoodsPrice decimal.Decimal `json:"goodsPrice,omitzero"`
	// Points is the number of points the sale earned.
	Points int64 `json:"points"`
}

// PointsAllocation is a sale's transaction price split between goods and
// points by relative stand-alone selling prices (IFRS 15.76).
type PointsAllocation struct {
	Currency string `json:"currency"`
	Scale    int32  `json:"scale"`
	Rounding string `json:"rounding"`
	Formula  string `json:"formula"`

	Price          decimal.Decimal `json:"price"`
	Points         int64           `json:"points"`
	ValuePerPoint  decimal.Decimal `json:"valuePerPoint"`
	RedemptionRate decimal.Decimal `json:"redemptionRate"`
	// ExpectedRedemptions is Points × RedemptionRate, exact: the
	// redemptions the allocation expects.
	ExpectedRedemptions decimal.Decimal `json:"expectedRedemptions"`

	GoodsSSP  decimal.Decimal `json:"goodsSsp"`  // the goods' stand-alone selling price
	PointsSSP decimal.Decimal `json:"pointsSsp"` // Points × ValuePerPoint × RedemptionRate, exact
	// Goods is the revenue recognised with the goods at the sale.
	Goods decimal.Decimal `json:"goods"`
	// Liability is the contract liability for the points at the sale.
	Liability decimal.Decimal `json:"liability"`
}

// AllocatePoints splits a sale's price between its goods and its points.
// opts give the value of a point and must give the expected redemption
// rate (an allocation is fixed at the sale, so the rate is the estimate
// of that day: ExpectedBreakage over the ledger so far gives one). A sale
// of 2,000 USD earning 2,000 points worth 0.10 with 85% expected to be
// redeemed allocates 2,000 × 170 / 2,170 = 156.68 to the points and
// 1,843.32 to the goods.
func AllocatePoints(sale PointsSale, opts LiabilityOptions) (PointsAllocation, error) {
	scale, err := opts.validate()
	errs := []error{err}
	const rec = "points sale"
	if opts.RedemptionRate == nil {
		errs = append(errs, fieldErr(ErrInvalidArgument, "liability options", "RedemptionRate", "is required to allocate a sale (the estimate at the sale)"))
	}
	if sale.Currency != opts.Currency {
		errs = append(errs, fieldErr(ErrMixedCurrency, rec, "Currency", "%q, the options value points in %q", sale.Currency, opts.Currency))
	}
	if !sane(sale.Price) || sale.Price.IsNegative() {
		errs = append(errs, fieldErr(ErrInvalidArgument, rec, "Price", "must be a non-negative amount of at most %d digits and %d decimal places", maxDigits, maxPlaces))
	}
	if !sane(sale.GoodsPrice) || sale.GoodsPrice.IsNegative() {
		errs = append(errs, fieldErr(ErrInvalidArgument, rec, "GoodsPrice", "must be a non-negative amount of at most %d digits and %d decimal places", maxDigits, maxPlaces))
	}
	if sale.Points < 0 {
		errs = append(errs, fieldErr(ErrInvalidArgument, rec, "Points", "must not be negative"))
	}
	if err := errors.Join(errs...); err != nil {
		return PointsAllocation{}, err
	}
	a := PointsAllocation{
		Currency: sale.Currency, Scale: scale, Rounding: RoundingRule, Formula: AllocationFormula,
		Price: sale.Price, Points: sale.Points, ValuePerPoint: opts.ValuePerPoint, RedemptionRate: *opts.RedemptionRate,
		GoodsSSP: sale.GoodsPrice,
	}
	if a.GoodsSSP.IsZero() {
		a.GoodsSSP = sale.Price
	}
	a.ExpectedRedemptions = decimal.NewFromInt(sale.Points).Mul(a.RedemptionRate)
	a.PointsSSP = a.ExpectedRedemptions.Mul(a.ValuePerPoint)
	if total := a.GoodsSSP.Add(a.PointsSSP); total.IsPositive() {
		a.Liability = sale.Price.Mul(a.PointsSSP).DivRound(total, scale)
	}
	a.Goods = sale.Price.Sub(a.Liability)
	return a, nil
}

// PointsRelease is a sale's points revenue at a reporting date.
type PointsRelease struct {
	Redeemed int64 `json:"redeemed"` // of the sale's points, redeemed so far
	Expired  int64 `json:"expired"`  // of the sale's points, expired so far
	// ExpectedRedemptions is the estimate the release was measured
	// against: the points expected to be redeemed in total, redeemed ones
	// included.
	ExpectedRedemptions decimal.Decimal `json:"expectedRedemptions"`
	Recognised          decimal.Decimal `json:"recognised"` // revenue recognised so far, cumulative
	Liability           decimal.Decimal `json:"liability"`  // contract liability left
	Formula             string          `json:"formula"`
}

// Release measures the allocation at a reporting date, when redeemed of
// the sale's points have been redeemed and expired have expired.
// expected is the current estimate of the points that will be redeemed
// in total (IFRS 15 asks for it to be updated at every reporting date,
// as Example 52 does in its second year); nil keeps the estimate made at
// the sale, moved only as far as the facts force it: never below what
// was redeemed, never above what has not expired. So when every point
// not redeemed has expired, the whole liability is recognised.
//
// IFRS 15 Illustrative Example 52, in whole currency units: 10,000 points
// on a sale of 100,000, a point worth 1, 95% expected redeemed: 8,676 is
// allocated to the points; 4,500 redeemed of 9,500 expected recognise
// 4,110 and leave 4,566; then 8,500 redeemed of 9,700 expected recognise
// 7,603 in all and leave 1,073.
func (a PointsAllocation) Release(redeemed, expired int64, expected *decimal.Decimal) (PointsRelease, error) {
	const rec = "points release"
	var errs []error
	if redeemed < 0 || expired < 0 || redeemed > a.Points-expired {
		errs = append(errs, fieldErr(ErrInvalidArgument, rec, "Redeemed", "redeemed %d and expired %d must be non-negative and together at most the %d points issued", redeemed, expired, a.Points))
	}
	left := a.Points - expired // the points that can still be redeemed, or were
	exp := a.ExpectedRedemptions
	if expected != nil {
		exp = *expected
		if !sane(exp) || exp.LessThan(decimal.NewFromInt(redeemed)) || exp.GreaterThan(decimal.NewFromInt(left)) {
			errs = append(errs, fieldErr(ErrInvalidArgument, rec, "ExpectedRedemptions", "must lie between the points redeemed and the points not expired"))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return PointsRelease{}, err
	}
	exp = decimal.Max(decimal.Min(exp, decimal.NewFromInt(left)), decimal.NewFromInt(redeemed))
	out := PointsRelease{Redeemed: redeemed, Expired: expired, ExpectedRedemptions: exp, Formula: ReleaseFormula}
	if r := decimal.NewFromInt(redeemed); r.GreaterThanOrEqual(exp) {
		out.Recognised = a.Liability
	} else {
		out.Recognised = a.Liability.Mul(r).DivRound(exp, a.Scale)
	}
	out.Liability = a.Liability.Sub(out.Recognised)
	return out, nil
}
