package segment

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
)

// Axes says which scores a segment map reads.
type Axes string

// The grids a segment map can be drawn on.
const (
	// AxesRF is the R × F grid (M is ignored).
	AxesRF Axes = "rf"
	// AxesRFM is the full R × F × M cube.
	AxesRFM Axes = "rfm"
	// AxesRFMAvg is R × FM, where FM is the mean of F and M rounded half
	// up: (F+M+1)/2 in integers. It is the grid of the widely used
	// 11-segment map.
	AxesRFMAvg Axes = "r-fm"
)

// MapVersion is the JSON format version of SegmentMap this package reads.
const MapVersion = 1

// MaxBins is the most score bins RFM allows, so that a code is one digit
// per score.
const MaxBins = 9

// Range is an inclusive score range [lo, hi]; the zero Range means "this
// axis is not constrained" and is only allowed on axes the map ignores.
type Range [2]int

// IsZero reports whether the range is unset.
func (r Range) IsZero() bool { return r == Range{} }

func (r Range) has(v int) bool { return v >= r[0] && v <= r[1] }

// Cell is a box of the grid: one range per axis the map reads.
type Cell struct {
	R  Range `json:"r,omitzero"`
	F  Range `json:"f,omitzero"`
	M  Range `json:"m,omitzero"`
	FM Range `json:"fm,omitzero"`
}

// SegmentDef is one named segment and the boxes of the grid it covers.
type SegmentDef struct {
	Name  string `json:"name"`            // machine name, e.g. "champions"
	Label string `json:"label,omitempty"` // display name, e.g. "Champions"
	Cells []Cell `json:"cells"`
}

// SegmentMap assigns a segment to every cell of an RFM score grid. Maps
// are data: they load from JSON (LoadSegmentMap) and Validate checks that
// every cell is covered exactly once.
type SegmentMap struct {
	Version  int          `json:"version"`
	Name     string       `json:"name"`
	Bins     int          `json:"bins"`
	Axes     Axes         `json:"axes"`
	Segments []SegmentDef `json:"segments"`
}

// LoadSegmentMap decodes a map strictly (unknown fields and keys given
// twice are errors) and validates it. It reads at most 1 MiB.
func LoadSegmentMap(r io.Reader) (SegmentMap, error) {
	var m SegmentMap
	data, err := io.ReadAll(io.LimitReader(r, 1<<20))
	if err != nil {
		return SegmentMap{}, fmt.Errorf("segment: reading segment map: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&m); err != nil {
		return SegmentMap{}, fmt.Errorf("%w: segment map: %v", ErrInvalid, err)
	}
	if dec.More() {
		return SegmentMap{}, &FieldError{Field: "segmentMap", Problem: "trailing data after the JSON object"}
	}
	var p problems
	duplicateKeys(data, "segmentMap.", &p)
	if err := errors.Join(p.err(), m.Validate()); err != nil {
		return SegmentMap{}, err
	}
	return m, nil
}

// MarshalJSON is the plain encoding; it exists so that a map round-trips
// through LoadSegmentMap.
func (m SegmentMap) MarshalJSON() ([]byte, error) {
	type plain SegmentMap
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(plain(m)); err != nil {
		return nil, err
	}
	return bytes.TrimRight(buf.Bytes(), "\n"), nil
}

// Validate reports every problem at once: version, bins, axes, names,
// ranges, and each cell of the grid covered twice or not at all.
func (m SegmentMap) Validate() error {
	var p problems
	if m.Version != MapVersion {
		p.add("segmentMap.version", "is %d, want %d", m.Version, MapVersion)
	}
	// The grid can be walked for coverage whenever bins, axes and every
	// cell are sound; a duplicate or empty name does not stop it.
	gridOK := true
	if m.Bins < 2 || m.Bins > MaxBins {
		p.add("segmentMap.bins", "is %d, want 2 to %d", m.Bins, MaxBins)
		gridOK = false
	}
	if m.Axes != AxesRF && m.Axes != AxesRFM && m.Axes != AxesRFMAvg {
		p.add("segmentMap.axes", "unknown axes %q (want rf, rfm or r-fm)", m.Axes)
		gridOK = false
	}
	if len(m.Segments) == 0 {
		p.add("segmentMap.segments", "empty")
	}
	seen := map[string]bool{}
	for i, s := range m.Segments {
		path := fmt.Sprintf("segmentMap.segments[%d]", i)
		if s.Name == "" {
			p.add(path+".name", "empty")
		} else if seen[s.Name] {
			p.add(path+".name", "duplicate segment %q", s.Name)
		}
		seen[s.Name] = true
		if len(s.Cells) == 0 {
			p.add(path+".cells", "empty")
		}
		for j, c := range s.Cells {
			gridOK = m.checkCell(&p, fmt.Sprintf("%s.cells[%d]", path, j), c) && gridOK
		}
	}
	if gridOK {
		m.checkCoverage(&p)
	}
	return p.err()
}

// checkCell reports the cell's problems and whether it had none.
func (m SegmentMap) checkCell(p *problems, path string, c Cell) bool {
	before := len(*p)
	want := map[string]bool{"r": true}
	switch m.Axes {
	case AxesRF:
		want["f"] = true
	case AxesRFM:
		want["f"], want["m"] = true, true
	case AxesRFMAvg:
		want["fm"] = true
	}
	for _, ax := range []struct {
		name string
		r    Range
	}{{"r", c.R}, {"f", c.F}, {"m", c.M}, {"fm", c.FM}} {
		switch {
		case want[ax.name] && ax.r.IsZero():
			p.add(path+"."+ax.name, "missing (axes %s)", m.Axes)
		case !want[ax.name] && !ax.r.IsZero():
			p.add(path+"."+ax.name, "not an axis of %s", m.Axes)
		case want[ax.name] && (ax.r[0] < 1 || ax.r[1] > m.Bins || ax.r[0] > ax.r[1]):
			p.add(path+"."+ax.name, "range [%d,%d] not within 1..%d ascending", ax.r[0], ax.r[1], m.Bins)
		}
	}
	return len(*p) == before
}

// checkCoverage walks every cell of the grid and reports cells no segment
// or more than one segment covers (two segments of the same name count as
// two: which would win is undefined).
func (m SegmentMap) checkCoverage(p *problems) {
	for _, pt := range m.grid() {
		var owners []string
		for _, s := range m.Segments {
			for _, c := range s.Cells {
				if m.cellHas(c, pt) {
					owners = append(owners, s.Name)
					break
				}
			}
		}
		switch len(owners) {
		case 0:
			p.add("segmentMap.segments", "cell %s covered by no segment", m.cellName(pt))
		case 1:
		default:
			p.add("segmentMap.segments", "cell %s covered by %s", m.cellName(pt), strings.Join(owners, " and "))
		}
	}
}

// point is a cell of the grid in the map's own axes: a, b, c are R, then
// F or FM, then M (zero when unused).
type point struct{ a, b, c int }

func (m SegmentMap) grid() []point {
	var pts []point
	for a := 1; a <= m.Bins; a++ {
		for b := 1; b <= m.Bins; b++ {
			if m.Axes != AxesRFM {
				pts = append(pts, point{a, b, 0})
				continue
			}
			for c := 1; c <= m.Bins; c++ {
				pts = append(pts, point{a, b, c})
			}
		}
	}
	return pts
}

func (m SegmentMap) cellHas(c Cell, pt point) bool {
	switch m.Axes {
	case AxesRF:
		return c.R.has(pt.a) && c.F.has(pt.b)
	case AxesRFMAvg:
		return c.R.has(pt.a) && c.FM.has(pt.b)
	default:
		return c.R.has(pt.a) && c.F.has(pt.b) && c.M.has(pt.c)
	}
}

func (m SegmentMap) cellName(pt point) string {
	switch m.Axes {
	case AxesRF:
		return fmt.Sprintf("r=%d f=%d", pt.a, pt.b)
	case AxesRFMAvg:
		return fmt.Sprintf("r=%d fm=%d", pt.a, pt.b)
	default:
		return fmt.Sprintf("r=%d f=%d m=%d", pt.a, pt.b, pt.c)
	}
}

// segmentTable is a validated map compiled to a lookup table indexed by
// scores, so that assigning segments to a million customers is an array
// read each.
type segmentTable struct {
	axes  Axes
	bins  int
	names []string // by cell; "" never occurs in a validated map
}

func (m SegmentMap) compile() (*segmentTable, error) {
	if err := m.Validate(); err != nil {
		return nil, err
	}
	b := m.Bins
	t := &segmentTable{axes: m.Axes, bins: b, names: make([]string, b*b*b)}
	for _, pt := range m.grid() {
		for _, s := range m.Segments {
			for _, c := range s.Cells {
				if m.cellHas(c, pt) {
					t.names[t.index(pt)] = s.Name
				}
			}
		}
	}
	return t, nil
}

func (t *segmentTable) index(pt point) int {
	c := max(pt.c, 1)
	return ((pt.a-1)*t.bins+(pt.b-1))*t.bins + (c - 1)
}

// lookup returns the segment of a score triple.
func (t *segmentTable) lookup(r, f, m uint8) string {
	pt := point{int(r), int(f), 0}
	switch t.axes {
	case AxesRFMAvg:
		pt.b = (int(f) + int(m) + 1) / 2
	case AxesRFM:
		pt.c = int(m)
	}
	return t.names[t.index(pt)]
}

// Segment returns the segment a validated map gives to the scores, and
// false if the map is invalid or a score is outside 1..Bins.
func (m SegmentMap) Segment(r, f, mon int) (string, bool) {
	t, err := m.compile()
	if err != nil || r < 1 || f < 1 || mon < 1 || r > m.Bins || f > m.Bins || mon > m.Bins {
		return "", false
	}
	return t.lookup(uint8(r), uint8(f), uint8(mon)), true
}

// Label returns the display label of a segment (its name if it has none).
func (m SegmentMap) Label(name string) string {
	for _, s := range m.Segments {
		if s.Name == name {
			if s.Label != "" {
				return s.Label
			}
			return name
		}
	}
	return name
}
