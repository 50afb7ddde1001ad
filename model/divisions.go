package model

import (
	_ "embed"
	"fmt"
	"slices"
	"strings"
)

// Division is an administrative division of the Yangtze River Delta, named by
// its six-digit code: GB/T 2260 as the National Bureau of Statistics'
// statistical division codes extend it with functional zones (320576 Suzhou
// Industrial Park). The two first digits name the province, the next two
// the prefecture-level city, the last two the county-level division.
type Division struct {
	Code string `json:"code"`
	// Name is the division's Chinese name; a municipality's city level
	// (310100) is named after the municipality.
	Name string `json:"name"`
	// NameEn is its English name: the place in Hanyu Pinyin and the kind of
	// division in English (Suzhou Industrial Park, Huangpu District, She
	// County); a city or a province is named by the place alone (Suzhou,
	// Jiangsu).
	NameEn string `json:"nameEn"`
	// Level is LevelProvince, LevelCity or LevelDistrict.
	Level string `json:"level"`
	// Region is the founding region whose province the division lies in
	// (FoundingDivisions). A region that joined may hold part of a province
	// by the market rules in force: Rules.RegionOf says whose it is now.
	Region string `json:"region"`
}

// Levels of the divisions, finest last, and the whole delta above them.
const (
	LevelDelta    = "delta"
	LevelProvince = "province"
	LevelCity     = "city"
	// LevelDistrict is every county-level division: districts, counties,
	// county-level cities and functional zones.
	LevelDistrict = "district"
	// DeltaDivision names the whole Yangtze River Delta where a division
	// code stands.
	DeltaDivision = "YRD"
)

// DivisionPattern is the form of a division code.
const DivisionPattern = `^[0-9]{6}$`

// DivisionRule says which codes a participant may be placed in.
const DivisionRule = "a city or county-level division code (GB/T 2260, six digits, e.g. 320500 Suzhou, " +
	"320576 Suzhou Industrial Park) of the participant's region"

// FoundingDivisions are the division prefixes of the founding regions: each
// holds its province. Market rules whose org names no divisions of its own
// (MarketOrg.Divisions; every version before divisions were ruled) hold
// these for a founding region; a region that joins names its own.
var FoundingDivisions = map[string][]string{"shanghai": {"31"}, "jiangsu": {"32"}, "zhejiang": {"33"}, "anhui": {"34"}}

// DivisionPrefixRule says what a division prefix of the market rules is.
const DivisionPrefixRule = "a division prefix: the two digits of a province or the four of a city of the division table " +
	"(e.g. 32 Jiangsu, 3205 Suzhou)"

// CheckDivisionPrefix checks that prefix is a province's or a city's
// prefix of the table, as DivisionPrefixRule says.
func CheckDivisionPrefix(prefix string) error {
	d, ok := LookupDivision(PrefixDivision(prefix))
	if !ok || !(len(prefix) == 2 && d.Level == LevelProvince || len(prefix) == 4 && d.Level == LevelCity) {
		return fmt.Errorf("must be %s, got %q", DivisionPrefixRule, Clipped(prefix))
	}
	return nil
}

// PrefixDivision is the division code a prefix names: 32 -> 320000,
// 3205 -> 320500.
func PrefixDivision(prefix string) string { return prefix + strings.Repeat("0", 6-min(len(prefix), 6)) }

// divisionsTSV is the table the ledger accepts, made by scripts/divisions.sh
// (code TAB Chinese name TAB English name a line, sorted by code).
//
//go:embed divisions.tsv
var divisionsTSV string

// divisions are the table's divisions in code order.
var divisions = parseDivisions(divisionsTSV)

func parseDivisions(tsv string) []Division {
	regionOf := make(map[string]string, len(FoundingDivisions))
	for region, prefixes := range FoundingDivisions {
		for _, p := range prefixes {
			regionOf[p] = region
		}
	}
	var out []Division
	for line := range strings.Lines(tsv) {
		line = strings.TrimRight(line, "\n")
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fields := strings.Split(line, "\t")
		if len(fields) != 3 || len(fields[0]) != 6 || regionOf[fields[0][:2]] == "" || fields[1] == "" || fields[2] == "" {
			panic(fmt.Sprintf("model/divisions.tsv: bad line %q", line))
		}
		code := fields[0]
		out = append(out, Division{Code: code, Name: fields[1], NameEn: fields[2], Level: divisionLevel(code), Region: regionOf[code[:2]]})
	}
	if !slices.IsSortedFunc(out, func(a, b Division) int { return strings.Compare(a.Code, b.Code) }) {
		panic("model/divisions.tsv: not sorted by code")
	}
	return out
}

// divisionLevel is the level a six-digit code's form names.
func divisionLevel(code string) string {
	switch {
	case code[4:] != "00":
		return LevelDistrict
	case code[2:4] != "00":
		return LevelCity
	default:
		return LevelProvince
	}
}

// The whole delta's names, where DeltaDivision stands for it.
const (
	DeltaName   = "长江三角洲"
	DeltaNameEn = "Yangtze River Delta"
)

// DivisionNames returns the Chinese and English names of a division code of
// the table or of DeltaDivision; "" for any other code.
func DivisionNames(code string) (name, nameEn string) {
	if code == DeltaDivision {
		return DeltaName, DeltaNameEn
	}
	d, _ := LookupDivision(code)
	return d.Name, d.NameEn
}

// Divisions returns every division the ledger accepts, in code order.
func Divisions() []Division { return slices.Clone(divisions) }

// LookupDivision returns the division with the code, if the table has it.
func LookupDivision(code string) (Division, bool) {
	i, found := slices.BinarySearchFunc(divisions, code, func(d Division, code string) int { return strings.Compare(d.Code, code) })
	if !found {
		return Division{}, false
	}
	return divisions[i], true
}

// CheckDivision checks that code is a city or county-level division of
// region by the market rules in force, as DivisionRule says: the region
// whose prefix of the code is the longest holds it (Rules.RegionOf).
func CheckDivision(rules *Rules, code, region string) error {
	d, ok := LookupDivision(code)
	if !ok {
		return fmt.Errorf("must be %s; %q is not a division of the Yangtze River Delta", DivisionRule, Clipped(code))
	}
	if d.Level == LevelProvince {
		return fmt.Errorf("must be %s; %s %s is a whole province", DivisionRule, d.Code, d.Name)
	}
	holder := rules.RegionOf(code)
	if holder == region {
		return nil
	}
	if holder == "" {
		// No org of these rules holds it: say whose province it is.
		holder = d.Region
	}
	return fmt.Errorf("must be %s; %s %s lies in %s, not %s", DivisionRule, d.Code, d.Name, holder, region)
}

// RollUp returns the codes and levels a figure of the division counts in,
// finest first: the division itself, its city, its province and the delta.
// A code that is not six digits counts in the delta alone.
func RollUp(code string) []Division {
	if len(code) != 6 {
		return []Division{{Code: DeltaDivision, Level: LevelDelta}}
	}
	var out []Division
	if divisionLevel(code) == LevelDistrict {
		out = append(out, Division{Code: code, Level: LevelDistrict})
	}
	if code[2:4] != "00" {
		out = append(out, Division{Code: code[:4] + "00", Level: LevelCity})
	}
	return append(out, Division{Code: code[:2] + "0000", Level: LevelProvince}, Division{Code: DeltaDivision, Level: LevelDelta})
}
