package loyalty

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// RenderProgress words progress for a member in lang ("en" or "zh-Hans";
// other languages fall back to English), one sentence per line:
// "850 CNY or 2 purchases to Gold", "spend 1,200 CNY by 31 Dec 2026 to keep
// Gold". Tier names come from the ladder in the same language.
func (p *Program) RenderProgress(pr Progress, lang string) []string {
	zh := strings.HasPrefix(lang, "zh")
	var out []string
	name := func(code string) string {
		t, _ := p.Tiers.Tier(code)
		if t.Code == "" {
			return code
		}
		return t.Name(lang)
	}
	if g := pr.Next; g != nil && !g.Met {
		out = append(out, p.renderNext(*g, name(g.Tier), zh))
	}
	if g := pr.Keep; g != nil {
		out = append(out, p.renderKeep(*g, name(g.Tier), zh))
	}
	if !pr.GuaranteedUntil.IsZero() {
		d := p.lastDay(pr.GuaranteedUntil, zh)
		if zh {
			out = append(out, fmt.Sprintf("%s保级至%s", name(pr.Tier), d))
		} else {
			out = append(out, fmt.Sprintf("%s guaranteed through %s", name(pr.Tier), d))
		}
	}
	return out
}

func (p *Program) renderNext(g Gap, tier string, zh bool) string {
	parts := p.gapParts(g, zh, false)
	if zh {
		s := "再" + strings.Join(parts, joiner(g, zh)) + "即可升级为" + tier
		if !g.Deadline.IsZero() {
			s = p.lastDay(g.Deadline, zh) + "前" + s
		}
		return s
	}
	s := strings.Join(parts, joiner(g, zh)) + " to " + tier
	if !g.Deadline.IsZero() {
		s += " by " + p.lastDay(g.Deadline, zh)
	}
	return s
}

func (p *Program) renderKeep(g Gap, tier string, zh bool) string {
	by := p.lastDay(g.Deadline, zh)
	if g.Met {
		if zh {
			return fmt.Sprintf("已满足%s保级条件（评定日 %s）", tier, by)
		}
		return fmt.Sprintf("%s secured for the review after %s", tier, by)
	}
	parts := p.gapParts(g, zh, true)
	if zh {
		return by + "前" + strings.Join(parts, joiner(g, zh)) + "即可保留" + tier
	}
	return strings.Join(parts, joiner(g, zh)) + " by " + by + " to keep " + tier
}

func joiner(g Gap, zh bool) string {
	switch {
	case zh && g.Match == MatchAll:
		return "并"
	case zh:
		return "或"
	case g.Match == MatchAll:
		return " and "
	}
	return " or "
}

// gapParts lists the missing amounts; verbs says whether to say "spend",
// "make" and "earn" (for keeping) or just the amounts (for reaching).
func (p *Program) gapParts(g Gap, zh, verbs bool) []string {
	var parts []string
	if g.AsksSpend && (g.Match != MatchAll || g.Spend.Sign() > 0) {
		amt := p.money(g.Spend)
		switch {
		case zh:
			parts = append(parts, "消费 "+amt)
		case verbs:
			parts = append(parts, "spend "+amt)
		default:
			parts = append(parts, amt)
		}
	}
	if g.AsksPurchases && (g.Match != MatchAll || g.Purchases > 0) {
		n := group(strconv.FormatInt(g.Purchases, 10))
		unit := " purchases"
		if g.Purchases == 1 {
			unit = " purchase"
		}
		switch {
		case zh:
			parts = append(parts, "购买 "+n+" 次")
		case verbs:
			parts = append(parts, "make "+n+unit)
		default:
			parts = append(parts, n+unit)
		}
	}
	if g.AsksPoints && (g.Match != MatchAll || g.Points > 0) {
		n := group(strconv.FormatInt(g.Points, 10))
		switch {
		case zh:
			parts = append(parts, "获得 "+n+" 定级积分")
		case verbs:
			parts = append(parts, "earn "+n+" qualifying points")
		default:
			parts = append(parts, n+" qualifying points")
		}
	}
	return parts
}

// money formats an amount with thousands separators and the currency code,
// rounding in decimal first: whole amounts without decimals.
func (p *Program) money(d decimal.Decimal) string {
	d = d.Round(p.MinorUnit())
	s := d.StringFixed(p.MinorUnit())
	if d.IsInteger() {
		s = d.StringFixed(0)
	}
	return group(s) + " " + p.Currency
}

// group inserts thousands separators into a plain decimal string.
func group(s string) string {
	sign := ""
	if strings.HasPrefix(s, "-") {
		sign, s = "-", s[1:]
	}
	intPart, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	for i, c := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if frac != "" {
		return sign + b.String() + "." + frac
	}
	return sign + b.String()
}

// lastDay formats the last local day before the instant end.
func (p *Program) lastDay(end time.Time, zh bool) string {
	d := end.Add(-time.Nanosecond).In(p.loc())
	if zh {
		return fmt.Sprintf("%d年%d月%d日", d.Year(), int(d.Month()), d.Day())
	}
	return d.Format("2 Jan 2006")
}
