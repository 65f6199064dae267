package segment

import (
	"bytes"
	"embed"
	"fmt"
)

// Segment names used by the shipped maps.
const (
	SegChampions         = "champions"
	SegLoyal             = "loyal"
	SegPotentialLoyalist = "potential-loyalist"
	SegNew               = "new"
	SegPromising         = "promising"
	SegNeedAttention     = "need-attention"
	SegAboutToSleep      = "about-to-sleep"
	SegAtRisk            = "at-risk"
	SegCannotLose        = "cannot-lose"
	SegHibernating       = "hibernating"
	SegLost              = "lost"
)

//go:embed presets/*.json
var presetFiles embed.FS

// RFM11 returns the widely used 11-segment map (Champions, Loyal, Potential
// Loyalists, New, Promising, Need Attention, About to Sleep, At Risk, Can't
// Lose Them, Hibernating, Lost) on the R × FM grid with 5 bins. It is
// loaded from presets/rfm11.json, the same JSON a shop can copy and edit.
func RFM11() SegmentMap { return mustPreset("rfm11") }

// RF10 returns the 10-segment R × F grid with 5 bins (the RFM11 segments
// without Lost, whose customers fall under Hibernating), from
// presets/rf10.json.
func RF10() SegmentMap { return mustPreset("rf10") }

// Presets returns the names of the shipped maps, for Preset.
func Presets() []string { return []string{"rfm11", "rf10"} }

// Preset returns a shipped map by name.
func Preset(name string) (SegmentMap, error) {
	b, err := presetFiles.ReadFile("presets/" + name + ".json")
	if err != nil {
		return SegmentMap{}, fmt.Errorf("%w: no preset segment map %q", ErrInvalid, name)
	}
	return LoadSegmentMap(bytes.NewReader(b))
}

// mustPreset loads an embedded map. The files are part of the source and
// their validity is a test (TestPresetsCoverEachCellOnce), so failure here
// is a build defect, not bad input.
func mustPreset(name string) SegmentMap {
	m, err := Preset(name)
	if err != nil {
		panic(err)
	}
	return m
}
