package validate

import (
	"regexp"

	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// slugForm is lowercase words of letters and digits joined by single
// hyphens, starting with a letter: "finance", "smart-city", "iot-2".
var slugForm = regexp.MustCompile(model.SlugPattern)

// Slug checks a short machine-readable classifier, such as a data category,
// written as a lowercase slug of at most max characters. One spelling per
// value keeps classifiers usable as index keys and statistics dimensions.
func Slug(field, s string, max int) error {
	if len(s) > max {
		return ledgererr.Invalid(field, "must be at most %d characters, got %d", max, len(s))
	}
	if !slugForm.MatchString(s) {
		return ledgererr.Invalid(field, "must be a lowercase slug such as finance or smart-city (a-z, 0-9, single hyphens, starting with a letter), got %q", clip(s))
	}
	return nil
}

// regionForm is the form of a region's key (model.RegionPattern).
var regionForm = regexp.MustCompile(model.RegionPattern)

// Region checks the form of a region's key. Whether the market has the
// region is the market rules' word: domain.ValidateRegion checks both.
func Region(field, s string) error {
	if !regionForm.MatchString(s) {
		return ledgererr.Invalid(field, "must be %s, got %q", model.RegionRule, clip(s))
	}
	return nil
}
