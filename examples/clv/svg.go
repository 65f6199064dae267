package main

import (
	"bytes"
	"fmt"
	"html"
	"math"
)

// A minimal SVG line chart: enough for the two validation figures, with
// no dependency. Text is escaped and drawn in the reader's sans-serif font
// (which has CJK glyphs on any current system).

type series struct {
	name   string
	x, y   []float64
	dashed bool
}

type chart struct {
	title, xLabel, yLabel string
	series                []series
	// xTicks, when set, label x = 0, 1, ... instead of numeric ticks.
	xTicks []string
	// vline draws a vertical marker at this x (0 = none).
	vline      float64
	vlineLabel string
}

var palette = []string{"#222222", "#1f77b4", "#2ca02c", "#d62728", "#9467bd"}

const (
	chartW, chartH             = 720.0, 440.0
	padL, padR, padT, padB     = 70.0, 20.0, 40.0, 60.0
	plotW, plotH               = chartW - padL - padR, chartH - padT - padB
	legendX, legendY, legendDY = padL + 12, padT + 14, 18.0
)

func (c chart) svg() []byte {
	xmin, xmax, ymax := math.Inf(1), math.Inf(-1), 0.0
	for _, s := range c.series {
		for i := range s.x {
			xmin, xmax = math.Min(xmin, s.x[i]), math.Max(xmax, s.x[i])
			if !math.IsNaN(s.y[i]) {
				ymax = math.Max(ymax, s.y[i])
			}
		}
	}
	if xmax <= xmin {
		xmax = xmin + 1
	}
	ystep := niceStep(ymax / 5)
	ymax = math.Ceil(ymax/ystep) * ystep
	if ymax == 0 {
		ymax, ystep = 1, 0.2
	}
	px := func(x float64) float64 { return padL + (x-xmin)/(xmax-xmin)*plotW }
	py := func(y float64) float64 { return padT + plotH - y/ymax*plotH }

	var b bytes.Buffer
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%.0f" height="%.0f" viewBox="0 0 %.0f %.0f" font-family="sans-serif" font-size="12">`+"\n", chartW, chartH, chartW, chartH)
	fmt.Fprintf(&b, `<rect width="100%%" height="100%%" fill="white"/>`+"\n")
	fmt.Fprintf(&b, `<text x="%.0f" y="22" font-size="15">%s</text>`+"\n", padL, html.EscapeString(c.title))
	// Axes, grid and ticks.
	for y := 0.0; y <= ymax+ystep/2; y += ystep {
		fmt.Fprintf(&b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#e0e0e0"/>`+"\n", padL, py(y), padL+plotW, py(y))
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" text-anchor="end">%s</text>`+"\n", padL-6, py(y)+4, trimFloat(y))
	}
	if c.xTicks != nil {
		for i, t := range c.xTicks {
			fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" text-anchor="middle">%s</text>`+"\n", px(float64(i)), padT+plotH+18, html.EscapeString(t))
		}
	} else {
		step := niceStep((xmax - xmin) / 8)
		for x := math.Ceil(xmin/step) * step; x <= xmax; x += step {
			fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" text-anchor="middle">%s</text>`+"\n", px(x), padT+plotH+18, trimFloat(x))
		}
	}
	fmt.Fprintf(&b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="black"/>`+"\n", padL, padT+plotH, padL+plotW, padT+plotH)
	fmt.Fprintf(&b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="black"/>`+"\n", padL, padT, padL, padT+plotH)
	fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" text-anchor="middle">%s</text>`+"\n", padL+plotW/2, chartH-16, html.EscapeString(c.xLabel))
	fmt.Fprintf(&b, `<text transform="translate(18 %.1f) rotate(-90)" text-anchor="middle">%s</text>`+"\n", padT+plotH/2, html.EscapeString(c.yLabel))
	if c.vline != 0 {
		fmt.Fprintf(&b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#888" stroke-dasharray="2 3"/>`+"\n", px(c.vline), padT, px(c.vline), padT+plotH)
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" fill="#555">%s</text>`+"\n", px(c.vline)+4, padT+plotH-6, html.EscapeString(c.vlineLabel))
	}
	// Lines and legend.
	for i, s := range c.series {
		color := palette[i%len(palette)]
		dash := ""
		if s.dashed {
			dash = ` stroke-dasharray="6 4"`
		}
		fmt.Fprintf(&b, `<polyline fill="none" stroke="%s" stroke-width="2"%s points="`, color, dash)
		for j := range s.x {
			if !math.IsNaN(s.y[j]) {
				fmt.Fprintf(&b, "%.1f,%.1f ", px(s.x[j]), py(s.y[j]))
			}
		}
		b.WriteString("\"/>\n")
		ly := legendY + float64(i)*legendDY
		fmt.Fprintf(&b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="%s" stroke-width="2"%s/>`+"\n", legendX, ly-4, legendX+24, ly-4, color, dash)
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f">%s</text>`+"\n", legendX+30, ly, html.EscapeString(s.name))
	}
	b.WriteString("</svg>\n")
	return b.Bytes()
}

// niceStep rounds a raw tick step up to 1, 2 or 5 times a power of ten.
func niceStep(raw float64) float64 {
	if raw <= 0 || math.IsNaN(raw) {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 5, 10} {
		if raw <= m*p {
			return m * p
		}
	}
	return 10 * p
}

func trimFloat(v float64) string {
	if v == math.Trunc(v) {
		return fmt.Sprintf("%.0f", v)
	}
	return fmt.Sprintf("%g", math.Round(v*1000)/1000)
}
